package io.cob.bus.topology;

import java.time.Duration;

/**
 * Heartbeat timing ({@code bus.heartbeat.*} in {@code cob.yaml}).
 *
 * @param interval how often each node announces itself ({@code interval}, default 2 s)
 * @param suspectAfter missed intervals after which a cloud is SUSPECT ({@code suspectAfter},
 *     default 3)
 * @param downAfter missed intervals after which a cloud is DOWN ({@code downAfter}, default 10;
 *     more than {@code suspectAfter})
 */
public record TopologySettings(Duration interval, int suspectAfter, int downAfter) {
  public static final TopologySettings DEFAULTS =
      new TopologySettings(Duration.ofSeconds(2), 3, 10);

  public TopologySettings {
    if (interval == null || interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException(
          "bus.heartbeat.interval must be positive, not " + interval);
    }
    if (suspectAfter < 1) {
      throw new IllegalArgumentException(
          "bus.heartbeat.suspectAfter must be at least 1, not " + suspectAfter);
    }
    if (downAfter <= suspectAfter) {
      throw new IllegalArgumentException(
          "bus.heartbeat.downAfter (%d) must be more than suspectAfter (%d)"
              .formatted(downAfter, suspectAfter));
    }
  }

  /** How long without a heartbeat makes a cloud SUSPECT. */
  public Duration suspectAge() {
    return interval.multipliedBy(suspectAfter);
  }

  /** How long without a heartbeat makes a cloud DOWN. */
  public Duration downAge() {
    return interval.multipliedBy(downAfter);
  }
}
