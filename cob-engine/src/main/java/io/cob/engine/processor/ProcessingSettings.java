package io.cob.engine.processor;

import io.cob.engine.port.CloudDirectory;
import io.cob.engine.port.OwnershipFence;
import java.time.Duration;
import java.util.function.Predicate;

/**
 * What the processor needs to know about the node it runs on.
 *
 * @param nodeId the lock owner name of this node
 * @param cloud this node's cloud (the owner cloud of instances it starts)
 * @param runsLocally whether this node runs jobs of a type itself; such jobs are stored locked by
 *     this node and handed to its executor right after commit
 * @param localLockDuration how long a locally run job stays locked
 * @param initialBackoff the first retry back-off of a failed job; doubles with each failure
 * @param maxBackoff the back-off never exceeds this
 * @param clouds what this node knows of the clouds when it places a step; read by the processor
 *     only, never by appliers
 * @param dispatchLease how long a job placed on another cloud is held while it travels there, or
 *     {@code null} when this node sends no jobs away (they wait unlocked)
 */
public record ProcessingSettings(
    String nodeId,
    String cloud,
    Predicate<String> runsLocally,
    Duration localLockDuration,
    Duration initialBackoff,
    Duration maxBackoff,
    CloudDirectory clouds,
    Duration dispatchLease,
    OwnershipFence fence) {

  public ProcessingSettings {
    fence = fence == null ? OwnershipFence.NONE : fence;
  }

  /** The settings of a node on its own: one cloud, {@code cloud}, always up. */
  public static ProcessingSettings defaults(
      String nodeId, String cloud, Predicate<String> runsLocally) {
    return new ProcessingSettings(
        nodeId,
        cloud,
        runsLocally,
        Duration.ofMinutes(5),
        Duration.ofSeconds(1),
        Duration.ofMinutes(5),
        CloudDirectory.single(cloud),
        null,
        OwnershipFence.NONE);
  }
}
