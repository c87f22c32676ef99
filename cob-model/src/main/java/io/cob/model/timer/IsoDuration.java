package io.cob.model.timer;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneOffset;

/**
 * An ISO-8601 duration with both a calendar part (years, months, weeks, days) and a time part
 * (hours, minutes, seconds), such as {@code P1Y2M}, {@code P1DT2H} or {@code PT0.5S}.
 *
 * <p>{@link Duration} alone cannot hold months or years and {@link Period} cannot hold hours, so
 * the text is split at {@code T} and each half parsed by its own class. Durations are added in UTC:
 * a day is always 24 hours and a month follows the UTC calendar (Jan 31 + P1M = Feb 28).
 *
 * <p>Negative durations and negative components are rejected: timers cannot fire in the past.
 */
final class IsoDuration {

  static final String EXAMPLES = "an ISO-8601 duration such as PT10S, P1D, P1DT2H or P1M";

  private final Period period;
  private final Duration time;

  private IsoDuration(Period period, Duration time) {
    this.period = period;
    this.time = time;
  }

  /**
   * Parses a non-negative ISO-8601 duration.
   *
   * @throws IllegalArgumentException with a reason (not naming the text; callers add context)
   */
  static IsoDuration parse(String text) {
    if (text.startsWith("-")) {
      throw new IllegalArgumentException("must not be negative");
    }
    if (text.isEmpty() || Character.toUpperCase(text.charAt(0)) != 'P') {
      throw new IllegalArgumentException("expected " + EXAMPLES);
    }
    int t = indexOfTimeDesignator(text);
    String calendarText = t < 0 ? text : text.substring(0, t);
    String timeText = t < 0 ? "" : text.substring(t + 1);
    if (t < 0 ? calendarText.length() == 1 : timeText.isEmpty()) {
      // "P", "PT" or "P1DT": a designator without components.
      throw new IllegalArgumentException("expected " + EXAMPLES);
    }
    try {
      Period period = calendarText.length() == 1 ? Period.ZERO : Period.parse(calendarText);
      Duration time = timeText.isEmpty() ? Duration.ZERO : Duration.parse("PT" + timeText);
      if (period.isNegative() || time.isNegative()) {
        throw new IllegalArgumentException("must not be negative");
      }
      return new IsoDuration(period, time);
    } catch (DateTimeException e) {
      throw new IllegalArgumentException("expected " + EXAMPLES, e);
    }
  }

  private static int indexOfTimeDesignator(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (Character.toUpperCase(text.charAt(i)) == 'T') {
        return i;
      }
    }
    return -1;
  }

  boolean isZero() {
    return period.isZero() && time.isZero();
  }

  /** Whether every occurrence has the same length, i.e. there are no months or years. */
  boolean isFixedLength() {
    return period.toTotalMonths() == 0;
  }

  /** The exact length; only meaningful when {@link #isFixedLength()}. */
  Duration fixedLength() {
    return Duration.ofDays(period.getDays()).plus(time);
  }

  Instant addTo(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC).plus(period).plus(time).toInstant();
  }

  /** Adds this duration {@code times} times in one step, so month ends do not drift. */
  Instant addTo(Instant instant, long times) {
    return instant
        .atOffset(ZoneOffset.UTC)
        .plus(period.multipliedBy(Math.toIntExact(times)))
        .plus(time.multipliedBy(times))
        .toInstant();
  }

  /** Canonical ISO-8601 text: {@code P1DT2H}, {@code PT1H30M}, {@code P14D} for P2W. */
  @Override
  public String toString() {
    if (isZero()) {
      return "PT0S";
    }
    StringBuilder text = new StringBuilder("P");
    if (!period.isZero()) {
      text.append(period.toString(), 1, period.toString().length());
    }
    if (!time.isZero()) {
      text.append(time.toString(), 1, time.toString().length());
    }
    return text.toString();
  }
}
