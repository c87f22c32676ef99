package io.cob.engine.port;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What the engine knows of the clouds when it places a step: each cloud's attributes (from the
 * configuration) and its health and latency as this node sees them now (from heartbeats).
 *
 * <p>The answer may change between two calls; the engine records every placement it decides as an
 * event, so that replaying an instance never asks again. Thread-safe.
 */
public interface CloudDirectory {

  /** Every known cloud, in configuration order; this node's own cloud among them. */
  List<CloudInfo> clouds();

  /**
   * The cloud of that name (as {@code cob:cloud} names it), if known. By default the one of {@link
   * #clouds()} with that name. Placement asks this for clouds a model names, and {@link #clouds()}
   * for the clouds a policy chooses from and for whether a lane's name names a cloud.
   */
  default Optional<CloudInfo> find(String name) {
    return clouds().stream().filter(c -> c.name().equals(name)).findFirst();
  }

  /** A directory of one cloud, always up: a node on its own. */
  static CloudDirectory single(String cloud) {
    CloudInfo only =
        new CloudInfo(cloud, null, null, Set.of(), null, null, CloudHealth.UP, Duration.ZERO);
    return () -> List.of(only);
  }

  /** How a cloud looks from here. */
  enum CloudHealth {
    /** Heard from within the expected interval. */
    UP,
    /** Missed a few heartbeats: still eligible, but not preferred. */
    SUSPECT,
    /** Silent for long: steps are not placed there, and steps out there are placed again. */
    DOWN
  }

  /**
   * One cloud.
   *
   * @param jurisdiction tags such as {@code eu}, {@code gdpr}
   * @param costPerStep what one executed step costs there, or {@code null} when unknown
   * @param availability the availability target in percent, or {@code null} when unknown
   * @param latency the measured latency from this node, or {@code null} when not measured yet
   */
  record CloudInfo(
      String name,
      String provider,
      String region,
      Set<String> jurisdiction,
      BigDecimal costPerStep,
      BigDecimal availability,
      CloudHealth health,
      Duration latency) {
    public CloudInfo {
      jurisdiction = jurisdiction == null ? Set.of() : Set.copyOf(jurisdiction);
    }
  }
}
