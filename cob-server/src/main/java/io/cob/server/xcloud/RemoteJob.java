package io.cob.server.xcloud;

import io.cob.engine.port.ActivatedJob;
import io.cob.server.xcloud.JobEnvelopes.Kind;
import io.cob.server.xcloud.JobEnvelopes.Result;
import java.time.Instant;
import java.util.Map;

/**
 * A job another cloud sent to this node, with what its outcome must carry back: where to send it
 * and the times of the run so far.
 *
 * @param sourceCloud the owner's cloud, where the outcome goes
 * @param traceparent the trace context of the job's receipt here, which the step and the outcome's
 *     send continue (the envelope's own when the node does not trace)
 * @param cloud this node's cloud
 * @param node this node
 * @param sentAt when the owner sent it
 * @param receivedAt when this node took it from the bus
 * @param startedAt when the handler started, or {@code null} before
 */
record RemoteJob(
    ActivatedJob job,
    String sourceCloud,
    String tenant,
    String traceparent,
    String cloud,
    String node,
    Instant sentAt,
    Instant receivedAt,
    Instant startedAt) {

  RemoteJob started(Instant at) {
    return new RemoteJob(
        job, sourceCloud, tenant, traceparent, cloud, node, sentAt, receivedAt, at);
  }

  Result result(
      Kind kind,
      Map<String, Object> variables,
      String errorCode,
      String errorMessage,
      Integer retries,
      Long backoffMillis,
      Instant finishedAt) {
    return new Result(
        job.key(),
        job.instanceId(),
        job.elementId(),
        kind,
        variables == null ? Map.of() : variables,
        errorCode,
        errorMessage,
        retries,
        backoffMillis,
        cloud,
        node,
        sentAt,
        receivedAt,
        startedAt,
        finishedAt);
  }
}
