package io.cob.engine.replay;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A block-structured process: a sequence of blocks between one start and one end event, where every
 * block has one way in and one way out. Built this way, any generated shape is a well-formed BPMN
 * process; {@link ShapeXml} writes it as XML.
 */
record ProcessShape(List<Block> body) {
  static final String PROCESS_ID = "random";

  /** Job type that waits for an outside worker (the driver completes, fails or throws). */
  static final String WORK = "work";

  /** Messages the models wait for; each correlates on the variable {@code key}. */
  static final List<String> MESSAGES = List.of("ping", "pong");

  /** Error codes the models declare; drivers also throw codes nobody catches. */
  static final List<String> ERROR_CODES = List.of("E1", "E2");

  /** One step of a sequence. */
  sealed interface Block {}

  /** A service task of type "work". */
  record Work() implements Block {}

  /**
   * A "work" service task with input and output mappings into nested contexts: inputs {@code
   * input.x} and {@code input.items}, outputs {@code data.input} (merged into the context {@code
   * data}) and {@code result}.
   */
  record MappedWork() implements Block {}

  /** A service task of type "noop", which the engine completes by itself. */
  record Noop() implements Block {}

  record UserTask() implements Block {}

  /** A plain task: passes at once. */
  record PlainTask() implements Block {}

  record TimerCatch(Duration duration) implements Block {}

  record MessageCatch(String message) implements Block {}

  /**
   * An exclusive or inclusive split and merge. Branch {@code i < thresholds.size()} is taken when
   * {@code x > thresholds[i]}; the last branch is the default flow.
   */
  record Choice(boolean inclusive, List<Integer> thresholds, List<List<Block>> branches)
      implements Block {}

  /**
   * A way out of the enclosing scope: when {@code x > threshold}, a terminate end event (for {@code
   * "terminate"}) or an error end event throwing {@code end}; otherwise on to the next block.
   */
  record Escape(int threshold, String end) implements Block {}

  /** An event-based gateway between a timer and a message, each with its own path to a merge. */
  record EventChoice(
      Duration timer, String message, List<Block> afterTimer, List<Block> afterMessage)
      implements Block {}

  /** A parallel fork and join. */
  record Fork(List<List<Block>> branches) implements Block {}

  /**
   * An embedded subprocess with a nested sequence. With {@code localX} it declares its own {@code
   * x} (an input mapping from the outer one), which the steps inside then change instead of the
   * outer one; on completion the local value goes out as {@code subX}.
   */
  record SubProcess(List<Block> body, Boundaries boundaries, boolean localX) implements Block {}

  /** A "work" service task with boundary events. */
  record GuardedWork(Boundaries boundaries) implements Block {}

  /** A "work" service task run once per element of {@code items}. */
  record MultiWork(boolean sequential, Boundaries boundaries) implements Block {}

  /**
   * Boundary events of an activity: an optional timer (interrupting, or not and then maybe a cycle
   * that fires twice), an optional error catcher ({@code "*"} catches every code), an optional
   * message (interrupting or not). Interrupting ones lead over their handler back to the flow after
   * the activity. The handler of a non-interrupting one ends on its own, or with {@code rejoin}
   * also leads back, so that more than one token goes on after the activity.
   */
  record Boundaries(
      Optional<Timer> timer,
      Optional<String> errorCode,
      Optional<Message> message,
      List<Block> onTimer,
      List<Block> onError,
      List<Block> onMessage,
      boolean rejoin) {
    static final Boundaries NONE =
        new Boundaries(
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            List.of(),
            List.of(),
            List.of(),
            false);

    boolean any() {
      return timer.isPresent() || errorCode.isPresent() || message.isPresent();
    }

    /** Whether some boundary path comes back to the flow after the activity. */
    boolean merges() {
      return leadsBack(timer.map(Timer::interrupts))
          || errorCode.isPresent()
          || leadsBack(message.map(Message::interrupts));
    }

    /** Whether a boundary event (given whether it interrupts) leads back to the flow. */
    boolean leadsBack(Optional<Boolean> interrupts) {
      return interrupts.map(i -> i || rejoin).orElse(false);
    }

    /**
     * Whether a non-interrupting boundary event leads back, so tokens may multiply after the
     * activity.
     */
    boolean multipliesTokens() {
      return rejoin
          && (timer.map(t -> !t.interrupts()).orElse(false)
              || message.map(m -> !m.interrupts()).orElse(false));
    }

    Boundaries withRejoin(boolean r) {
      return new Boundaries(timer, errorCode, message, onTimer, onError, onMessage, r);
    }
  }

  /**
   * A boundary timer; {@code cycle} (only when not interrupting) fires it twice, {@code
   * R2/duration}.
   */
  record Timer(Duration duration, boolean interrupts, boolean cycle) {}

  record Message(String name, boolean interrupts) {}

  /** The kinds of blocks and boundary events the shape uses, for statistics. */
  java.util.SortedSet<String> features() {
    java.util.SortedSet<String> out = new java.util.TreeSet<>();
    collect(body, out);
    return out;
  }

  private static void collect(List<Block> blocks, java.util.SortedSet<String> out) {
    for (Block b : blocks) {
      out.add(
          b.getClass().getSimpleName()
              + switch (b) {
                case Choice c -> c.inclusive() ? " (inclusive)" : " (exclusive)";
                case MultiWork m -> m.sequential() ? " (sequential)" : " (parallel)";
                case Escape e -> "terminate".equals(e.end()) ? " (terminate)" : " (error)";
                case SubProcess sp -> sp.localX() ? " (local x)" : "";
                default -> "";
              });
      switch (b) {
        case Choice c -> c.branches().forEach(br -> collect(br, out));
        case Fork f -> f.branches().forEach(br -> collect(br, out));
        case EventChoice e -> {
          collect(e.afterTimer(), out);
          collect(e.afterMessage(), out);
        }
        case SubProcess sp -> {
          collect(sp.body(), out);
          collect(sp.boundaries(), out);
        }
        case GuardedWork g -> collect(g.boundaries(), out);
        case MultiWork m -> collect(m.boundaries(), out);
        default -> {}
      }
    }
  }

  private static void collect(Boundaries b, java.util.SortedSet<String> out) {
    b.timer()
        .ifPresent(
            t ->
                out.add(
                    "boundary timer "
                        + (t.interrupts()
                            ? "(interrupting)"
                            : t.cycle() ? "(non-interrupting cycle)" : "(non-interrupting)")));
    if (b.multipliesTokens()) {
      out.add("boundary handler rejoins (tokens multiply)");
    }
    b.errorCode()
        .ifPresent(c -> out.add("boundary error " + ("*".equals(c) ? "(catch-all)" : "(code)")));
    b.message()
        .ifPresent(
            m ->
                out.add(
                    "boundary message "
                        + (m.interrupts() ? "(interrupting)" : "(non-interrupting)")));
    collect(b.onTimer(), out);
    collect(b.onError(), out);
    collect(b.onMessage(), out);
  }

  /** How many blocks the shape has, nested ones included. */
  int size() {
    return count(body);
  }

  static int count(List<Block> blocks) {
    int n = 0;
    for (Block b : blocks) {
      n += count(b);
    }
    return n;
  }

  static int count(Block b) {
    return 1
        + switch (b) {
          case Choice c -> c.branches().stream().mapToInt(ProcessShape::count).sum();
          case Fork f -> f.branches().stream().mapToInt(ProcessShape::count).sum();
          case EventChoice e -> count(e.afterTimer()) + count(e.afterMessage());
          case SubProcess s -> count(s.body()) + count(s.boundaries());
          case GuardedWork g -> count(g.boundaries());
          case MultiWork m -> count(m.boundaries());
          default -> 0;
        };
  }

  private static int count(Boundaries b) {
    return count(b.onTimer()) + count(b.onError()) + count(b.onMessage());
  }
}
