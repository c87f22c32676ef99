package io.cob.bus.topology;

/**
 * Told when a cloud's health changes (placement re-places jobs of a cloud that went DOWN; the
 * console shows it). Called one change at a time, on the thread that noticed it (the heartbeat
 * timer or the bus's delivery thread); must not block. What it throws is logged and ignored.
 */
@FunctionalInterface
public interface HealthListener {
  void changed(HealthChange change);
}
