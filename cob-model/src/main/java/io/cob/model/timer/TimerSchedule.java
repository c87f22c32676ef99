package io.cob.model.timer;

import io.cob.model.TimerSpec;
import java.time.Instant;
import java.util.Objects;

/**
 * When a timer fires: once after a {@link DurationSchedule duration}, once at a {@link DateSchedule
 * date}, or repeatedly in a {@link CycleSchedule cycle}.
 *
 * <p>Schedules are parsed from a {@link TimerSpec.Kind} and the timer's value after expression
 * evaluation. All calendar arithmetic is in UTC, so a day is always 24 hours.
 */
public sealed interface TimerSchedule permits DurationSchedule, DateSchedule, CycleSchedule {

  /**
   * The instant the timer first fires, for a timer started at {@code now}. It may lie before {@code
   * now} (a date in the past), meaning the timer is due at once.
   */
  Instant firstDue(Instant now);

  /**
   * Parses a timer value.
   *
   * <ul>
   *   <li>{@link TimerSpec.Kind#DURATION DURATION}: an ISO-8601 duration, {@code PT10S}, {@code
   *       P1D}, {@code P1DT2H}, also with months or years ({@code P1M}).
   *   <li>{@link TimerSpec.Kind#DATE DATE}: an ISO-8601 date-time with offset or zone ({@code
   *       2026-12-01T10:00:00Z}, {@code 2026-12-01T10:00:00+01:00}, {@code
   *       2026-12-01T10:00:00[Europe/Berlin]}); without either it is taken as UTC.
   *   <li>{@link TimerSpec.Kind#CYCLE CYCLE}: an ISO-8601 repeating interval, {@code R3/PT10S},
   *       {@code R/PT1H}, {@code R5/2026-12-01T10:00:00Z/PT1H}, or a bare duration {@code PT10S}
   *       meaning unbounded repetition. Cron expressions are not supported.
   * </ul>
   *
   * @param value the timer text, surrounding white space ignored
   * @throws IllegalArgumentException when the value does not fit the kind; the message names the
   *     value and what was expected
   */
  static TimerSchedule parse(TimerSpec.Kind kind, String value) {
    Objects.requireNonNull(kind, "kind");
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(
          "timer " + kind.name().toLowerCase(java.util.Locale.ROOT) + " value is empty");
    }
    String text = value.strip();
    return switch (kind) {
      case DURATION -> DurationSchedule.parse(text);
      case DATE -> DateSchedule.parse(text);
      case CYCLE -> CycleSchedule.parse(text);
    };
  }

  /**
   * The occurrence after {@code previousDue} in a cycle with the given interval.
   *
   * @param interval an ISO-8601 duration as returned by {@link CycleSchedule#interval()}
   * @throws IllegalArgumentException when the interval is malformed or zero
   */
  static Instant nextDue(Instant previousDue, String interval) {
    Objects.requireNonNull(previousDue, "previousDue");
    IsoDuration step;
    try {
      step = CycleSchedule.parseInterval(interval);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "invalid timer cycle interval '" + interval + "': " + e.getMessage(), e);
    }
    return step.addTo(previousDue);
  }
}
