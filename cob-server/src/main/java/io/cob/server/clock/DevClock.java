package io.cob.server.clock;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The engine clock of a node started with {@code --dev-clock}: real time plus an offset that {@code
 * POST /clock/advance} grows. Time keeps flowing (so a dev node behaves like a real one between
 * jumps) and never runs backwards. Thread-safe.
 */
public final class DevClock extends Clock {
  private final Clock base;
  private final AtomicReference<Duration> offset = new AtomicReference<>(Duration.ZERO);

  public DevClock(Clock base) {
    this.base = base;
  }

  /** Moves the clock forward by {@code d}; returns the new time. */
  public Instant advance(Duration d) {
    if (d.isNegative()) {
      throw new IllegalArgumentException("the clock only moves forward");
    }
    offset.updateAndGet(o -> o.plus(d));
    return instant();
  }

  public Duration offset() {
    return offset.get();
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }

  @Override
  public Instant instant() {
    return base.instant().plus(offset.get());
  }
}
