package io.cob.server.xcloud;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cob.connectors.TraceParent;
import io.cob.engine.port.ActivatedJob;
import io.cob.engine.port.JobResult;
import io.cob.engine.port.bus.Envelope;
import io.cob.server.http.Json;
import io.opentelemetry.context.Context;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * The envelopes of cross-cloud steps and their JSON payloads.
 *
 * <ul>
 *   <li>{@value #DISPATCH}: the owner sends a job placed on another cloud there. Payload: {@link
 *       Dispatch}, the whole {@link ActivatedJob} and when it was sent.
 *   <li>{@value #RESULT}: the running cloud sends the job's outcome back to the owner's cloud.
 *       Payload: {@link Result}, the outcome and where and when the job ran.
 * </ul>
 *
 * <p>Every envelope has a new random message id (a re-send of the same job by the owner is a new
 * message with the same job key and idempotency key), the instance id, epoch 0, the default tenant
 * and a W3C {@code traceparent}: the current span's (the send's, when the node traces), else one in
 * the instance's trace ({@link TraceParent#forJob}) or, for a result, the dispatch's. Payloads are
 * read strictly ({@link Json}): a payload that is not what this class writes is a {@link
 * MalformedPayloadException}.
 */
public final class JobEnvelopes {
  public static final String DISPATCH = "job.dispatch";
  public static final String RESULT = "job.result";

  private static final ObjectMapper JSON = Json.mapper();

  private JobEnvelopes() {}

  /** The payload of {@value #DISPATCH}. */
  public record Dispatch(ActivatedJob job, Instant sentAt) {}

  /** What became of a job. */
  public enum Kind {
    COMPLETE,
    FAIL,
    ERROR
  }

  /**
   * The payload of {@value #RESULT}.
   *
   * @param kind COMPLETE (with {@code variables}), FAIL ({@code errorMessage}, {@code retries} left
   *     or {@code null} to use one up, {@code backoffMillis} or {@code null} for the owner's
   *     back-off) or ERROR (a BPMN error: {@code errorCode}, {@code errorMessage}, {@code
   *     variables})
   * @param cloud the cloud that ran the job
   * @param node the node that ran it
   * @param sentAt when the owner sent the job
   * @param receivedAt when this node took it from the bus
   * @param startedAt when the handler started
   * @param finishedAt when the outcome was known
   */
  public record Result(
      String jobKey,
      String instanceId,
      String elementId,
      Kind kind,
      Map<String, Object> variables,
      String errorCode,
      String errorMessage,
      Integer retries,
      Long backoffMillis,
      String cloud,
      String node,
      Instant sentAt,
      Instant receivedAt,
      Instant startedAt,
      Instant finishedAt) {

    /** The backoff as a duration, or {@code null}. */
    public Duration backoff() {
      return backoffMillis == null ? null : Duration.ofMillis(backoffMillis);
    }

    /** The outcome of a handler (not {@link JobResult.Await}, which has none yet). */
    static Result of(JobResult outcome, RemoteJob job, Instant finishedAt) {
      return switch (outcome) {
        case JobResult.Complete c ->
            job.result(Kind.COMPLETE, c.variables(), null, null, null, null, finishedAt);
        case JobResult.Fail f ->
            job.result(
                Kind.FAIL,
                null,
                null,
                f.errorMessage(),
                f.retries(),
                f.backoff() == null ? null : f.backoff().toMillis(),
                finishedAt);
        case JobResult.Error e ->
            job.result(
                Kind.ERROR, e.variables(), e.errorCode(), e.errorMessage(), null, null, finishedAt);
        case JobResult.Await a ->
            throw new IllegalArgumentException("an awaited job has no outcome yet");
      };
    }
  }

  /** A {@value #DISPATCH} envelope of {@code job} from {@code source} to {@code target}. */
  public static Envelope dispatch(ActivatedJob job, String source, String target, Instant now) {
    return Envelope.builder(UUID.randomUUID().toString(), DISPATCH, source)
        .targetCloud(target)
        .instanceId(job.instanceId())
        .epoch(0)
        .tenant(Envelope.DEFAULT_TENANT)
        .traceparent(TraceParent.forJob(job))
        .sentAt(now)
        .payload(write(new Dispatch(job, now)))
        .build();
  }

  /** A {@value #RESULT} envelope back to the cloud that sent the job. */
  public static Envelope result(Result result, RemoteJob job, Instant now) {
    return Envelope.builder(UUID.randomUUID().toString(), RESULT, result.cloud())
        .targetCloud(job.sourceCloud())
        .instanceId(result.instanceId())
        .epoch(0)
        .tenant(job.tenant())
        .traceparent(traceparent(job))
        .sentAt(now)
        .payload(write(result))
        .build();
  }

  /** The current span's context (the result's send), else the one the job came with. */
  private static String traceparent(RemoteJob job) {
    String current = TraceParent.of(Context.current());
    return current != null ? current : job.traceparent();
  }

  public static Dispatch readDispatch(Envelope envelope) {
    Dispatch d = read(envelope, Dispatch.class);
    if (d.job() == null || d.job().key() == null || d.job().type() == null) {
      throw new MalformedPayloadException(envelope, "the job, its key or its type is missing");
    }
    return d;
  }

  public static Result readResult(Envelope envelope) {
    Result r = read(envelope, Result.class);
    if (r.jobKey() == null || r.kind() == null || r.cloud() == null || r.node() == null) {
      throw new MalformedPayloadException(envelope, "jobKey, kind, cloud or node is missing");
    }
    return r;
  }

  private static byte[] write(Object payload) {
    try {
      return JSON.writeValueAsBytes(payload);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "cannot write a bus payload: " + e.getOriginalMessage(), e);
    }
  }

  private static <T> T read(Envelope envelope, Class<T> type) {
    try {
      return JSON.readValue(envelope.payload(), type);
    } catch (IOException e) {
      throw new MalformedPayloadException(envelope, e.getMessage());
    }
  }

  /** A payload that is not what the envelope's type says. */
  public static final class MalformedPayloadException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    MalformedPayloadException(Envelope envelope, String why) {
      super(
          "malformed "
              + envelope.type()
              + " payload of message "
              + envelope.messageId()
              + " from cloud '"
              + envelope.sourceCloud()
              + "': "
              + why);
    }
  }
}
