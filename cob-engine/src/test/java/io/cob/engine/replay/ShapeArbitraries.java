package io.cob.engine.replay;

import io.cob.engine.replay.ProcessShape.Block;
import io.cob.engine.replay.ProcessShape.Boundaries;
import io.cob.engine.replay.ProcessShape.Choice;
import io.cob.engine.replay.ProcessShape.Escape;
import io.cob.engine.replay.ProcessShape.EventChoice;
import io.cob.engine.replay.ProcessShape.Fork;
import io.cob.engine.replay.ProcessShape.GuardedWork;
import io.cob.engine.replay.ProcessShape.MappedWork;
import io.cob.engine.replay.ProcessShape.Message;
import io.cob.engine.replay.ProcessShape.MessageCatch;
import io.cob.engine.replay.ProcessShape.MultiWork;
import io.cob.engine.replay.ProcessShape.Noop;
import io.cob.engine.replay.ProcessShape.PlainTask;
import io.cob.engine.replay.ProcessShape.SubProcess;
import io.cob.engine.replay.ProcessShape.Timer;
import io.cob.engine.replay.ProcessShape.TimerCatch;
import io.cob.engine.replay.ProcessShape.UserTask;
import io.cob.engine.replay.ProcessShape.Work;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * Random process shapes. Nesting stops at depth 3 (blocks below that are leaves); sequences get
 * shorter the deeper they are, and whatever grows past {@link #MAX_BLOCKS} blocks is cut off, so
 * every shape stays small enough to drive to its end in a few dozen steps.
 */
final class ShapeArbitraries {
  static final int MAX_DEPTH = 3;
  static final int MAX_BLOCKS = 15;

  private ShapeArbitraries() {}

  static Arbitrary<ProcessShape> shapes() {
    return sequence(0)
        .map(blocks -> new ProcessShape(limitRejoins(prune(blocks, new int[] {MAX_BLOCKS}), true)));
  }

  /**
   * Lets non-interrupting boundary handlers lead back into the flow (so that several tokens go on
   * after the activity) only where that cannot leave a token waiting at a join for good: in the
   * main sequence of a scope, never inside a branch, whose parallel join would wait for the other
   * branches a second time, and not before a parallel fork. (An inclusive join after them is fine:
   * surplus tokens pass in a next round, see {@code InclusiveJoinSurplusTokenTest}.)
   */
  static List<Block> limitRejoins(List<Block> blocks, boolean scopeLevel) {
    List<Block> out = new ArrayList<>();
    for (int i = 0; i < blocks.size(); i++) {
      Block b = blocks.get(i);
      // Nor before a parallel fork later in the sequence: its branches see every token, and an
      // inclusive join inside one may merge the tokens of two passes into one, which leaves the
      // fork's parallel join a token short for good (a deadlock of the model, not of the engine).
      boolean allowed = scopeLevel && !forks(blocks.subList(i + 1, blocks.size()));
      out.add(
          switch (b) {
            case Choice c -> new Choice(c.inclusive(), c.thresholds(), limitAll(c.branches()));
            case Fork f -> new Fork(limitAll(f.branches()));
            case EventChoice e ->
                new EventChoice(
                    e.timer(),
                    e.message(),
                    limitRejoins(e.afterTimer(), false),
                    limitRejoins(e.afterMessage(), false));
            case SubProcess s ->
                new SubProcess(
                    limitRejoins(s.body(), true),
                    s.boundaries().withRejoin(s.boundaries().rejoin() && allowed),
                    s.localX());
            case GuardedWork g ->
                new GuardedWork(g.boundaries().withRejoin(g.boundaries().rejoin() && allowed));
            case MultiWork m ->
                new MultiWork(
                    m.sequential(), m.boundaries().withRejoin(m.boundaries().rejoin() && allowed));
            default -> b;
          });
    }
    return out;
  }

  /** Whether the blocks hold a parallel fork at any depth. */
  static boolean forks(List<Block> blocks) {
    for (Block b : blocks) {
      boolean found =
          switch (b) {
            case Fork f -> true;
            case Choice c -> c.branches().stream().anyMatch(ShapeArbitraries::forks);
            case EventChoice e -> forks(e.afterTimer()) || forks(e.afterMessage());
            case SubProcess sp -> forks(sp.body());
            default -> false;
          };
      if (found) {
        return true;
      }
    }
    return false;
  }

  private static List<List<Block>> limitAll(List<List<Block>> branches) {
    return branches.stream().map(br -> limitRejoins(br, false)).toList();
  }

  /** A sequence at a nesting depth: 1-5 blocks at the top, fewer (and possibly none) below. */
  static Arbitrary<List<Block>> sequence(int depth) {
    int min = depth == 0 ? 1 : 0;
    int max =
        switch (depth) {
          case 0 -> 5;
          case 1 -> 3;
          default -> 2;
        };
    return block(depth).list().ofMinSize(min).ofMaxSize(max);
  }

  static Arbitrary<Block> block(int depth) {
    if (depth >= MAX_DEPTH) {
      return leaf();
    }
    // Containers get rarer with depth, which keeps most shapes small without a filter. Edge cases
    // are left out: jqwik would mix in the combinations of the containers' parts (empty branches,
    // first and last durations) so often that they crowd out the weights given here.
    int nested = depth == 0 ? 4 : depth == 1 ? 2 : 1;
    return Arbitraries.frequencyOf(
            Tuple.of(12, leaf()),
            Tuple.of(nested * 2, choice(depth, false)),
            Tuple.of(nested, choice(depth, true)),
            Tuple.of(nested * 2, fork(depth)),
            Tuple.of(nested, eventChoice(depth)),
            Tuple.of(2, escape()),
            Tuple.of(nested * 2, subProcess(depth)),
            Tuple.of(4, guardedWork(depth)),
            Tuple.of(3, multiWork(depth)))
        .withoutEdgeCases();
  }

  /** Blocks without nested sequences. */
  static Arbitrary<Block> leaf() {
    return Arbitraries.frequencyOf(
        Tuple.of(6, Arbitraries.just(new Work())),
        Tuple.of(2, Arbitraries.just(new MappedWork())),
        Tuple.of(2, Arbitraries.just(new Noop())),
        Tuple.of(3, Arbitraries.just(new UserTask())),
        Tuple.of(2, Arbitraries.just(new PlainTask())),
        Tuple.of(2, durations().map(TimerCatch::new)),
        Tuple.of(2, Arbitraries.of(ProcessShape.MESSAGES).map(MessageCatch::new)));
  }

  /** Timer durations from five minutes to two hours. */
  static Arbitrary<Duration> durations() {
    return Arbitraries.of(5, 10, 15, 30, 45, 60, 90, 120).map(Duration::ofMinutes);
  }

  static Arbitrary<Block> choice(int depth, boolean inclusive) {
    Arbitrary<List<List<Block>>> branches = sequence(depth + 1).list().ofMinSize(2).ofMaxSize(3);
    return branches.flatMap(
        bs ->
            Arbitraries.integers()
                .between(0, 10)
                .list()
                .ofSize(bs.size() - 1)
                .map(thresholds -> new Choice(inclusive, thresholds, bs)));
  }

  static Arbitrary<Block> eventChoice(int depth) {
    return Combinators.combine(
            durations(),
            Arbitraries.of(ProcessShape.MESSAGES),
            sequence(depth + 1),
            sequence(depth + 1))
        .as(EventChoice::new);
  }

  /** Escapes need a large {@code x}, so most runs get past them. */
  static Arbitrary<Block> escape() {
    return Combinators.combine(
            Arbitraries.integers().between(3, 12), Arbitraries.of("terminate", "E1", "E2"))
        .as(Escape::new);
  }

  static Arbitrary<Block> fork(int depth) {
    return sequence(depth + 1).list().ofMinSize(2).ofMaxSize(3).map(Fork::new);
  }

  static Arbitrary<Block> subProcess(int depth) {
    return Combinators.combine(
            sequence(depth + 1),
            boundaries(0.4),
            Arbitraries.frequency(Tuple.of(3, false), Tuple.of(1, true)))
        .as(SubProcess::new);
  }

  static Arbitrary<Block> guardedWork(int depth) {
    return boundaries(1.0).filter(Boundaries::any).map(GuardedWork::new);
  }

  static Arbitrary<Block> multiWork(int depth) {
    return Combinators.combine(Arbitraries.of(false, true), boundaries(0.4)).as(MultiWork::new);
  }

  /**
   * Boundary events: with probability {@code chance} some; then any of a timer, an error catcher
   * and a message, with handler paths of at most one leaf each, and whether non-interrupting
   * handlers lead back into the flow (see {@link #limitRejoins}).
   */
  static Arbitrary<Boundaries> boundaries(double chance) {
    Arbitrary<List<Block>> handler = leaf().list().ofMaxSize(1);
    Arbitrary<Optional<Timer>> timer =
        Combinators.combine(
                durations(), Arbitraries.integers().between(0, 3), Arbitraries.of(false, true))
            .as((d, interrupts, cycle) -> new Timer(d, interrupts > 0, cycle))
            .optional(0.6);
    Arbitrary<Optional<String>> error = Arbitraries.of("E1", "E2", "*").optional(0.5);
    Arbitrary<Optional<Message>> message =
        Combinators.combine(Arbitraries.of(ProcessShape.MESSAGES), Arbitraries.of(true, false))
            .as(Message::new)
            .optional(0.3);
    Arbitrary<Boundaries> some =
        Combinators.combine(
                timer, error, message, handler, handler, handler, Arbitraries.of(false, true))
            .as(Boundaries::new);
    int weightSome = (int) Math.round(chance * 10);
    if (weightSome >= 10) {
      return some;
    }
    return Arbitraries.frequencyOf(
        Tuple.of(10 - weightSome, Arbitraries.just(Boundaries.NONE)), Tuple.of(weightSome, some));
  }

  /**
   * Keeps blocks in writing order while the budget lasts; containers keep what fits of their
   * insides.
   */
  static List<Block> prune(List<Block> blocks, int[] budget) {
    List<Block> out = new ArrayList<>();
    for (Block b : blocks) {
      if (budget[0] <= 0) {
        break;
      }
      budget[0]--;
      out.add(
          switch (b) {
            case Choice c ->
                new Choice(c.inclusive(), c.thresholds(), pruneAll(c.branches(), budget));
            case Fork f -> new Fork(pruneAll(f.branches(), budget));
            case EventChoice e ->
                new EventChoice(
                    e.timer(),
                    e.message(),
                    prune(e.afterTimer(), budget),
                    prune(e.afterMessage(), budget));
            case SubProcess s ->
                new SubProcess(prune(s.body(), budget), prune(s.boundaries(), budget), s.localX());
            case GuardedWork g -> new GuardedWork(prune(g.boundaries(), budget));
            case MultiWork m -> new MultiWork(m.sequential(), prune(m.boundaries(), budget));
            default -> b;
          });
    }
    return out;
  }

  private static List<List<Block>> pruneAll(List<List<Block>> branches, int[] budget) {
    List<List<Block>> out = new ArrayList<>();
    for (List<Block> branch : branches) {
      out.add(prune(branch, budget)); // branches stay (maybe empty), so the gateway stays valid
    }
    return out;
  }

  private static Boundaries prune(Boundaries b, int[] budget) {
    return new Boundaries(
        b.timer(),
        b.errorCode(),
        b.message(),
        prune(b.onTimer(), budget),
        prune(b.onError(), budget),
        prune(b.onMessage(), budget),
        b.rejoin());
  }
}
