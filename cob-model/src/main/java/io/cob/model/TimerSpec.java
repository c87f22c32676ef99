package io.cob.model;

/**
 * A timer definition: {@code timeDuration} (ISO-8601 duration, {@code PT10S}), {@code timeDate}
 * (ISO-8601 date-time) or {@code timeCycle} (ISO-8601 repeating interval {@code R3/PT10S}, or
 * {@code R/PT1H} for unbounded). The text may be an expression that evaluates to one of these.
 */
public record TimerSpec(Kind kind, Expression expression) {
  public enum Kind {
    DURATION,
    DATE,
    CYCLE
  }
}
