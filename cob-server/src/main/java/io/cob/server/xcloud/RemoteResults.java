package io.cob.server.xcloud;

import io.cob.engine.Engine;
import io.cob.engine.command.RemoteRun;
import io.cob.engine.port.Store;
import io.cob.engine.port.bus.Envelope;
import io.cob.engine.runtime.CommandRejectedException;
import io.cob.server.tracing.BusSpans;
import io.cob.server.tracing.NodeTracing;
import io.cob.server.xcloud.JobEnvelopes.Result;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the outcomes other clouds send back ({@value JobEnvelopes#RESULT}) to this node's engine
 * as the job's complete, fail or error command, with where and when the job ran ({@link
 * RemoteRun}), which the engine records in the instance's history.
 *
 * <p><b>Once.</b> The message id is recorded in the inbox first: a duplicate is acknowledged and
 * not applied (a failed attempt applied twice would use up two retries). A second outcome for the
 * same job in a new message (the job ran twice after a lapsed lease) is refused by the engine,
 * since a job ends once: logged as {@code event=late_result_refused} and acknowledged. If applying
 * fails otherwise (the store is down), the outcome is dropped with a warning rather than delivered
 * again (its inbox entry would refuse it): the job's dispatch lease then lapses and the owner sends
 * the job again with the same idempotency key.
 *
 * <p><b>Not on the consumer.</b> Once the outcome is in the inbox it is applied on a virtual thread
 * of its own, and the envelope is acknowledged: holding the acknowledgement until it is applied
 * would buy nothing (the inbox turns a redelivery into a no-op), and it would deadlock in
 * replication mode {@code sync}, where a command is answered only once a standby acknowledged its
 * events: that acknowledgement arrives on this same queue, behind the outcomes whose consumers wait
 * for it.
 *
 * <p><b>Trust.</b> The outcome must come from the cloud that ran the job: a payload naming another
 * cloud than the envelope's (signed) source is refused. The engine refuses an outcome from a cloud
 * the job is not placed on.
 */
final class RemoteResults implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RemoteResults.class);

  private final Supplier<Engine> engine;
  private final Store store;
  private final Clock clock;
  private final AtomicLong duplicates;
  private final NodeTracing tracing;
  private final BusSpans spans;
  private final ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();

  /**
   * @param clock real time (the bus latency is computed against the sender's times)
   * @param duplicates counts the duplicates the inbox recognised
   * @param tracing the node's tracing: applying an outcome is a span of the instance's trace
   */
  RemoteResults(
      Supplier<Engine> engine,
      Store store,
      Clock clock,
      AtomicLong duplicates,
      NodeTracing tracing) {
    this.duplicates = duplicates;
    this.tracing = tracing;
    this.spans = new BusSpans(tracing);
    this.engine = engine;
    this.store = store;
    this.clock = clock;
  }

  /**
   * Applies one outcome; called on a bus consumer thread.
   *
   * @throws io.cob.engine.port.StoreException when the inbox cannot be written: the envelope is
   *     delivered again
   */
  void apply(Envelope envelope) {
    Span span = spans.receive(envelope);
    boolean handedOver = false;
    try (Scope ignored = span.makeCurrent()) {
      handedOver = accept(envelope, span);
    } finally {
      if (!handedOver) {
        span.end();
      }
    }
  }

  /**
   * Checks an outcome and records it in the inbox, then hands it to a thread that applies it and
   * ends the span.
   *
   * @return whether it was handed over
   */
  private boolean accept(Envelope envelope, Span span) {
    Instant receivedAt = clock.instant();
    Result r = JobEnvelopes.readResult(envelope);
    if (!r.cloud().equals(envelope.sourceCloud())) {
      LOG.warn(
          "event=job_result_refused job={} message={} reason=\"sent by cloud '{}' but names cloud"
              + " '{}'\"",
          r.jobKey(),
          envelope.messageId(),
          envelope.sourceCloud(),
          r.cloud());
      return false;
    }
    if (!store.receiveOnce(envelope.messageId(), receivedAt)) {
      duplicates.incrementAndGet();
      LOG.info(
          "event=duplicate_result_ignored instance={} job={} from={} message={}",
          r.instanceId(),
          r.jobKey(),
          r.cloud(),
          envelope.messageId());
      return false;
    }
    RemoteRun run =
        new RemoteRun(
            r.cloud(),
            r.node(),
            r.sentAt(),
            r.receivedAt(),
            r.startedAt(),
            r.finishedAt(),
            envelope.sentAt(),
            receivedAt);
    Runnable applying =
        () -> {
          try (Scope ignored = span.makeCurrent()) {
            apply(r, run, span);
          } finally {
            span.end();
          }
        };
    try {
      pool.execute(applying);
    } catch (RejectedExecutionException closing) {
      applying.run();
    }
    return true;
  }

  private void apply(Result r, RemoteRun run, Span span) {
    try {
      Engine e = engine.get();
      switch (r.kind()) {
        case COMPLETE -> e.completeJob(r.jobKey(), r.variables(), run);
        case FAIL -> e.failJob(r.jobKey(), r.retries(), r.errorMessage(), r.backoff(), run);
        case ERROR -> e.throwError(r.jobKey(), r.errorCode(), r.errorMessage(), r.variables(), run);
      }
      LOG.info(
          "event=job_result_applied instance={} element={} job={} outcome={} cloud={} node={}"
              + " busLatencyMs={}{}",
          r.instanceId(),
          r.elementId(),
          r.jobKey(),
          r.kind(),
          r.cloud(),
          r.node(),
          run.busLatency() == null ? null : run.busLatency().toMillis(),
          tracing.logField(span));
    } catch (CommandRejectedException e) {
      LOG.info(
          "event=late_result_refused instance={} element={} job={} outcome={} cloud={} reason=\"{}\"",
          r.instanceId(),
          r.elementId(),
          r.jobKey(),
          r.kind(),
          r.cloud(),
          e.getMessage());
    } catch (RuntimeException e) {
      span.recordException(e);
      span.setStatus(StatusCode.ERROR, e.getMessage());
      LOG.warn(
          "event=job_result_not_applied instance={} job={} cloud={} error=\"{}\" (the job is sent"
              + " again when its dispatch lease lapses)",
          r.instanceId(),
          r.jobKey(),
          r.cloud(),
          e.toString());
    }
  }

  /** Waits a little for the outcomes being applied; the rest are dropped with the engine. */
  @Override
  public void close() {
    pool.shutdown();
    try {
      pool.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
