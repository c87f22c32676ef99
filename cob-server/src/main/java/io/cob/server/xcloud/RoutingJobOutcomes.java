package io.cob.server.xcloud;

import io.cob.connectors.JobOutcomes;
import io.cob.server.xcloud.JobEnvelopes.Kind;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/**
 * The node's {@link JobOutcomes}: a late answer (AMQP reply, MQTT message, HTTP callback) for a job
 * this node runs for another cloud goes back to that cloud as {@value JobEnvelopes#RESULT}; any
 * other answer is applied to this node's engine ({@code local}).
 *
 * <p>For a job of another cloud, {@code true} means the answer was the first one this node had for
 * it and is being sent (on a thread of its own, so the caller's thread never waits for the broker);
 * whether the owner applied it is known only there, which refuses a second outcome for the same
 * job. Thread-safe.
 */
public final class RoutingJobOutcomes implements JobOutcomes {
  private final AwaitedRemoteJobs awaited;
  private final ResultSender sender;
  private final JobOutcomes local;
  private final Clock clock;

  RoutingJobOutcomes(
      AwaitedRemoteJobs awaited, ResultSender sender, JobOutcomes local, Clock clock) {
    this.awaited = awaited;
    this.sender = sender;
    this.local = local;
    this.clock = clock;
  }

  /** Whether an answer for this job key goes to another cloud (the job runs here for it). */
  public boolean isRemote(String jobKey) {
    return awaited.awaits(jobKey);
  }

  @Override
  public boolean complete(String jobKey, Map<String, Object> variables) {
    Optional<RemoteJob> remote = awaited.take(jobKey);
    if (remote.isEmpty()) {
      return local.complete(jobKey, variables);
    }
    send(remote.get(), Kind.COMPLETE, variables, null, null);
    return true;
  }

  @Override
  public boolean throwError(
      String jobKey, String errorCode, String errorMessage, Map<String, Object> variables) {
    Optional<RemoteJob> remote = awaited.take(jobKey);
    if (remote.isEmpty()) {
      return local.throwError(jobKey, errorCode, errorMessage, variables);
    }
    send(remote.get(), Kind.ERROR, variables, errorCode, errorMessage);
    return true;
  }

  @Override
  public boolean fail(String jobKey, String errorMessage) {
    Optional<RemoteJob> remote = awaited.take(jobKey);
    if (remote.isEmpty()) {
      return local.fail(jobKey, errorMessage);
    }
    send(remote.get(), Kind.FAIL, null, null, errorMessage);
    return true;
  }

  private void send(
      RemoteJob job,
      Kind kind,
      Map<String, Object> variables,
      String errorCode,
      String errorMessage) {
    sender.sendLater(
        job.result(kind, variables, errorCode, errorMessage, null, null, clock.instant()), job);
  }
}
