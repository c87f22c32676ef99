package io.cob.model.timer;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Objects;

/**
 * A timer that fires repeatedly, an interval apart: the ISO-8601 repeating interval {@code
 * Rn/[start/]interval}.
 *
 * <p>Without a start the first occurrence is one interval after the timer starts. With a start that
 * is not in the past, the first occurrence is the start itself. With a start in the past, the first
 * occurrence is the earliest one on the start's grid ({@code start + k * interval}) at or after
 * now: occurrences missed before the timer existed are skipped, not fired in a burst, and are not
 * counted against {@link #repetitions()}. Later occurrences follow from {@link
 * TimerSchedule#nextDue(Instant, String)}; counting them down is the caller's job.
 *
 * @param repetitions how many times the timer fires, at least 1, or {@link #UNBOUNDED}
 * @param interval canonical ISO-8601 duration text between occurrences, never zero
 * @param start the first occurrence, or null when it is one interval after the timer starts
 */
public record CycleSchedule(int repetitions, String interval, Instant start)
    implements TimerSchedule {

  /** The {@link #repetitions()} of a cycle that repeats until cancelled. */
  public static final int UNBOUNDED = -1;

  static final String EXAMPLES =
      "an ISO-8601 repeating interval such as R3/PT10S, R/PT1H or R5/2026-12-01T10:00:00Z/PT1H";

  /**
   * @throws IllegalArgumentException when repetitions is neither positive nor {@link #UNBOUNDED},
   *     or the interval is not a positive ISO-8601 duration
   */
  public CycleSchedule {
    if (repetitions < 1 && repetitions != UNBOUNDED) {
      throw new IllegalArgumentException(
          "timer cycle repetitions must be at least 1 (or unbounded), was " + repetitions);
    }
    interval = parseInterval(interval).toString();
  }

  public boolean isUnbounded() {
    return repetitions == UNBOUNDED;
  }

  @Override
  public Instant firstDue(Instant now) {
    IsoDuration step = parseInterval(interval);
    if (start == null) {
      return step.addTo(now);
    }
    if (!start.isBefore(now)) {
      return start;
    }
    return firstOnGridNotBefore(step, now);
  }

  private Instant firstOnGridNotBefore(IsoDuration step, Instant now) {
    if (step.isFixedLength()) {
      Duration length = step.fixedLength();
      long k = Duration.between(start, now).dividedBy(length);
      Instant candidate = start.plus(length.multipliedBy(k));
      return candidate.isBefore(now) ? candidate.plus(length) : candidate;
    }
    // Months and years vary in length, so step through the grid; each step is at least 28
    // days, which bounds the loop by the start's age. Each occurrence is computed from the start
    // (not from its predecessor) so that month ends do not drift.
    long k = 1;
    Instant candidate = step.addTo(start, k);
    while (candidate.isBefore(now)) {
      candidate = step.addTo(start, ++k);
    }
    return candidate;
  }

  static CycleSchedule parse(String text) {
    if (text.chars().anyMatch(Character::isWhitespace)) {
      throw invalid(text, "cron expressions are not supported; expected " + EXAMPLES);
    }
    char first = Character.toUpperCase(text.charAt(0));
    if (first == 'P') {
      return new CycleSchedule(UNBOUNDED, intervalOf(text, text), null);
    }
    if (first != 'R') {
      throw invalid(text, "expected " + EXAMPLES);
    }
    String[] parts = text.split("/", -1);
    int repetitions = repetitionsOf(text, parts[0]);
    return switch (parts.length) {
      case 2 -> new CycleSchedule(repetitions, intervalOf(text, parts[1]), null);
      case 3 -> {
        if (startsWithP(parts[1]) || !startsWithP(parts[2])) {
          // R/start/end and R/duration/end are valid ISO-8601 but not timer cycles here.
          throw invalid(text, "expected R[n]/<duration> or R[n]/<start>/<duration>, " + EXAMPLES);
        }
        Instant start = startOf(text, parts[1]);
        yield new CycleSchedule(repetitions, intervalOf(text, parts[2]), start);
      }
      default -> throw invalid(text, "expected " + EXAMPLES);
    };
  }

  private static boolean startsWithP(String part) {
    return !part.isEmpty() && Character.toUpperCase(part.charAt(0)) == 'P';
  }

  private static int repetitionsOf(String text, String part) {
    String count = part.substring(1);
    if (count.isEmpty()) {
      return UNBOUNDED;
    }
    int repetitions;
    try {
      repetitions = Integer.parseInt(count);
    } catch (NumberFormatException e) {
      throw invalid(text, "repetition count '" + count + "' is not a number; expected " + EXAMPLES);
    }
    if (repetitions < 1) {
      throw invalid(text, "repetition count must be at least 1, or omitted for unbounded");
    }
    return repetitions;
  }

  private static String intervalOf(String text, String part) {
    try {
      return parseInterval(part).toString();
    } catch (IllegalArgumentException e) {
      throw invalid(text, "interval '" + part + "': " + e.getMessage());
    }
  }

  private static Instant startOf(String text, String part) {
    try {
      return DateSchedule.parseDateTime(part);
    } catch (DateTimeParseException e) {
      throw invalid(text, "start '" + part + "': expected " + DateSchedule.EXAMPLES);
    }
  }

  /** Parses a cycle interval, which must be positive, else the cycle would never advance. */
  static IsoDuration parseInterval(String interval) {
    Objects.requireNonNull(interval, "interval");
    IsoDuration parsed = IsoDuration.parse(interval.strip());
    if (parsed.isZero()) {
      throw new IllegalArgumentException("must be longer than zero");
    }
    return parsed;
  }

  private static IllegalArgumentException invalid(String text, String reason) {
    return new IllegalArgumentException("invalid timer cycle '" + text + "': " + reason);
  }
}
