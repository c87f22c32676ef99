package io.cob.engine.command;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Where and when a job ran on another cloud, reported with its outcome so that the owner records it
 * in the instance's history ({@code JobRanRemotely}). Times are each node's own clock: the sending
 * and receiving clouds' clocks may differ, so latencies are as good as the clocks agree.
 *
 * @param cloud the cloud whose node ran the job (must be the cloud the job is placed on)
 * @param node the node that ran it
 * @param sentAt when the owner sent the job ({@code job.dispatch})
 * @param receivedAt when the running node took the dispatch from the bus
 * @param startedAt when its handler started
 * @param finishedAt when its outcome was known (for an awaited job: when the late answer came)
 * @param resultSentAt when the running node sent the outcome ({@code job.result})
 * @param resultReceivedAt when the owner took the outcome from the bus
 */
public record RemoteRun(
    String cloud,
    String node,
    Instant sentAt,
    Instant receivedAt,
    Instant startedAt,
    Instant finishedAt,
    Instant resultSentAt,
    Instant resultReceivedAt) {

  public RemoteRun {
    Objects.requireNonNull(cloud, "remote run cloud");
    Objects.requireNonNull(node, "remote run node");
  }

  /**
   * Time on the bus: dispatch sent to received plus result sent to received; {@code null} when a
   * time is missing. Negative parts (clocks apart) count as zero.
   */
  public Duration busLatency() {
    if (sentAt == null || receivedAt == null || resultSentAt == null || resultReceivedAt == null) {
      return null;
    }
    return positive(Duration.between(sentAt, receivedAt))
        .plus(positive(Duration.between(resultSentAt, resultReceivedAt)));
  }

  private static Duration positive(Duration d) {
    return d.isNegative() ? Duration.ZERO : d;
  }
}
