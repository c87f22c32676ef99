package io.cob.engine.replay;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A block-structured process: a sequence of blocks between one start and one end event, where
 * every block has one way in and one way out. Built this way, any generated shape is a well-formed
 * BPMN process; {@link ShapeXml} writes it as XML.
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
  record Choice(boolean inclusive, List<Integer> thresholds, List<List<Block>> branches) implements Block {}

  /** A parallel fork and join. */
  record Fork(List<List<Block>> branches) implements Block {}

  /** An embedded subprocess with a nested sequence. */
  record SubProcess(List<Block> body, Boundaries boundaries) implements Block {}

  /** A "work" service task with boundary events. */
  record GuardedWork(Boundaries boundaries) implements Block {}

  /** A "work" service task run once per element of {@code items}. */
  record MultiWork(boolean sequential, Boundaries boundaries) implements Block {}

  /**
   * Boundary events of an activity: an optional timer (interrupting or not), an optional error
   * catcher ({@code "*"} catches every code). Interrupting ones lead over their handler back to
   * the flow after the activity; a non-interrupting timer's handler ends on its own.
   */
  record Boundaries(Optional<Duration> timer, boolean timerInterrupts, Optional<String> errorCode,
      List<Block> onTimer, List<Block> onError) {
    static final Boundaries NONE = new Boundaries(Optional.empty(), true, Optional.empty(), List.of(), List.of());

    boolean any() {
      return timer.isPresent() || errorCode.isPresent();
    }
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
    return 1 + switch (b) {
      case Choice c -> c.branches().stream().mapToInt(ProcessShape::count).sum();
      case Fork f -> f.branches().stream().mapToInt(ProcessShape::count).sum();
      case SubProcess s -> count(s.body()) + count(s.boundaries());
      case GuardedWork g -> count(g.boundaries());
      case MultiWork m -> count(m.boundaries());
      default -> 0;
    };
  }

  private static int count(Boundaries b) {
    return count(b.onTimer()) + count(b.onError());
  }
}
