package io.cob.model.timer;

import java.time.Instant;
import java.util.Objects;

/**
 * A timer that fires once, a duration after it starts.
 *
 * @param duration canonical ISO-8601 duration text, such as {@code PT10S} or {@code P1DT2H}
 */
public record DurationSchedule(String duration) implements TimerSchedule {

  /**
   * @throws IllegalArgumentException when {@code duration} is not a non-negative ISO-8601 duration
   */
  public DurationSchedule {
    Objects.requireNonNull(duration, "duration");
    duration = parseDuration(duration).toString();
  }

  static DurationSchedule parse(String text) {
    return new DurationSchedule(text);
  }

  private static IsoDuration parseDuration(String text) {
    try {
      return IsoDuration.parse(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "invalid timer duration '" + text + "': " + e.getMessage(), e);
    }
  }

  /** {@code now} plus the duration. */
  @Override
  public Instant firstDue(Instant now) {
    return parseDuration(duration).addTo(now);
  }
}
