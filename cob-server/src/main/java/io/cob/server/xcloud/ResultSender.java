package io.cob.server.xcloud;

import io.cob.engine.port.bus.Bus;
import io.cob.engine.port.bus.BusException;
import io.cob.engine.port.bus.Envelope;
import io.cob.server.tracing.BusSpans;
import io.cob.server.tracing.NodeTracing;
import io.cob.server.xcloud.JobEnvelopes.Result;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the outcomes of jobs run for other clouds back to their owners ({@value
 * JobEnvelopes#RESULT}), each on a virtual thread that publishes until the bus confirms: while the
 * broker is unreachable it tries again with the same envelope (so the same message id) after 0.5,
 * 1, 2 ... up to 30 s. What is still unsent when the node stops is dropped (logged {@code
 * event=job_result_unsent}): the owner's dispatch lease then lapses and it sends the job again with
 * the same idempotency key, so the outcome is late, not lost.
 *
 * <p>Thread-safe.
 */
final class ResultSender implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ResultSender.class);
  private static final Duration FIRST_PAUSE = Duration.ofMillis(500);
  private static final Duration LONGEST_PAUSE = Duration.ofSeconds(30);

  private final Bus bus;
  private final Clock clock;
  private final NodeTracing tracing;
  private final BusSpans spans;
  private final ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor();
  private volatile boolean closed;

  /**
   * @param clock real time: envelopes are dated by it and checked against it by the receiver
   * @param tracing the node's tracing: a send is a span of the job's trace, whose context the
   *     envelope carries back to the owner
   */
  ResultSender(Bus bus, Clock clock, NodeTracing tracing) {
    this.bus = bus;
    this.clock = clock;
    this.tracing = tracing;
    this.spans = new BusSpans(tracing);
  }

  /** Sends on the calling thread; returns once the bus confirmed or the node stops. */
  void send(Result result, RemoteJob job) {
    Span span =
        spans.send(
            JobEnvelopes.RESULT,
            job.sourceCloud(),
            result.instanceId(),
            tracing.remoteContext(job.traceparent()));
    try (Scope ignored = span.makeCurrent()) {
      send(result, job, span);
    } finally {
      span.end();
    }
  }

  private void send(Result result, RemoteJob job, Span span) {
    Envelope envelope = JobEnvelopes.result(result, job, clock.instant());
    span.setAttribute(BusSpans.MESSAGE_ID, envelope.messageId());
    Duration pause = FIRST_PAUSE;
    for (int attempt = 1; ; attempt++) {
      try {
        bus.publish(envelope);
        LOG.info(
            "event=job_result_sent instance={} element={} job={} outcome={} cloud={} to={}"
                + " message={}{}",
            result.instanceId(),
            result.elementId(),
            result.jobKey(),
            result.kind(),
            result.cloud(),
            job.sourceCloud(),
            envelope.messageId(),
            tracing.logField(span));
        return;
      } catch (BusException e) {
        if (closed || !pause(pause)) {
          span.recordException(e);
          span.setStatus(StatusCode.ERROR, e.getMessage());
          LOG.warn(
              "event=job_result_unsent instance={} job={} to={} attempts={} error=\"{}\" (the owner"
                  + " sends the job again when its dispatch lease lapses)",
              result.instanceId(),
              result.jobKey(),
              job.sourceCloud(),
              attempt,
              e.getMessage());
          return;
        }
        LOG.info(
            "event=job_result_retry job={} to={} attempt={} error=\"{}\"",
            result.jobKey(),
            job.sourceCloud(),
            attempt,
            e.getMessage());
        pause =
            pause.multipliedBy(2).compareTo(LONGEST_PAUSE) > 0
                ? LONGEST_PAUSE
                : pause.multipliedBy(2);
      }
    }
  }

  /** Sends on a thread of its own (for answers that arrive on a thread that must not wait). */
  void sendLater(Result result, RemoteJob job) {
    senders.execute(() -> send(result, job));
  }

  private boolean pause(Duration pause) {
    try {
      // A sending thread of its own: waiting here blocks nobody else.
      Thread.sleep(pause);
      return !closed;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Stops retrying; results still unsent are dropped (see the class comment). */
  @Override
  public void close() {
    closed = true;
    senders.shutdownNow();
    try {
      senders.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
