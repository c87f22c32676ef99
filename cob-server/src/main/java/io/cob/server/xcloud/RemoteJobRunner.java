package io.cob.server.xcloud;

import io.cob.connectors.TraceParent;
import io.cob.engine.port.ActivatedJob;
import io.cob.engine.port.JobHandler;
import io.cob.engine.port.JobResult;
import io.cob.engine.port.Store;
import io.cob.engine.port.bus.Envelope;
import io.cob.server.tracing.BusSpans;
import io.cob.server.tracing.NodeTracing;
import io.cob.server.xcloud.JobEnvelopes.Dispatch;
import io.cob.server.xcloud.JobEnvelopes.Result;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the jobs other clouds send to this node ({@value JobEnvelopes#DISPATCH}) with this node's
 * handler for the job's type, and sends each outcome back ({@link ResultSender}).
 *
 * <p><b>Exactly once in effect.</b> {@link #accept} first records the message id in the store's
 * inbox ({@link Store#receiveOnce}); a message already there (a redelivery, or the same envelope
 * published twice) is acknowledged and not run again, by this node or any other node of the cloud.
 * Then the job is handed to a virtual thread and {@code accept} returns, which acknowledges the
 * envelope. Holding the acknowledgement until the outcome is sent would buy nothing, since the
 * inbox already turns any redelivery into a no-op, but it would hold a bus consumer for as long as
 * the service call takes. What covers a node that dies between the acknowledgement and sending the
 * outcome is the owner's job row: its dispatch lease lapses and it sends the job again (a new
 * message, the same idempotency key, which the service de-duplicates by).
 *
 * <p><b>Outcomes.</b> Complete, fail and error go back as they are; a handler that throws is a
 * failed attempt (one retry used, the owner's back-off); a job type without a handler in this cloud
 * is a failed attempt saying so, so that the owner's retries run out into an incident that names
 * the missing connector. {@link JobResult.Await}: the answer comes later through {@link
 * RoutingJobOutcomes}, which sends it.
 *
 * <p><b>Back-pressure.</b> At most {@code maxRunning} jobs run at once; when all run, {@code
 * accept} waits for one to end, so the bus keeps the further envelopes queued (for other nodes of
 * the cloud to take).
 */
final class RemoteJobRunner implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RemoteJobRunner.class);
  private static final AttributeKey<Boolean> DUPLICATE =
      AttributeKey.booleanKey("cob.envelope.duplicate");

  private final String cloud;
  private final String node;
  private final Map<String, JobHandler> handlers;
  private final Store store;
  private final ResultSender sender;
  private final AwaitedRemoteJobs awaited;
  private final Duration dispatchLease;
  private final Clock clock;
  private final Semaphore running;
  private final AtomicLong duplicates;
  private final NodeTracing tracing;
  private final BusSpans spans;
  private final ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();

  /**
   * @param handlers the node's handlers by job type (connectors, built-ins, extra ones)
   * @param clock real time (times of the run, compared with other nodes' times)
   * @param duplicates counts the duplicates the inbox recognised
   * @param tracing the node's tracing: the receipt of a job is a span of the owner's trace
   */
  RemoteJobRunner(
      String cloud,
      String node,
      Map<String, JobHandler> handlers,
      Store store,
      ResultSender sender,
      AwaitedRemoteJobs awaited,
      int maxRunning,
      Duration dispatchLease,
      Clock clock,
      AtomicLong duplicates,
      NodeTracing tracing) {
    this.duplicates = duplicates;
    this.tracing = tracing;
    this.spans = new BusSpans(tracing);
    this.cloud = cloud;
    this.node = node;
    this.handlers = Map.copyOf(handlers);
    this.store = store;
    this.sender = sender;
    this.awaited = awaited;
    this.dispatchLease = dispatchLease;
    this.clock = clock;
    this.running = new Semaphore(maxRunning);
  }

  /**
   * Takes a dispatched job: records it in the inbox and starts it, or recognises a duplicate.
   * Called on a bus consumer thread.
   *
   * @throws io.cob.engine.port.StoreException when the inbox cannot be written: the envelope is
   *     delivered again
   * @throws InterruptedException when the node stops while waiting for a free slot
   */
  void accept(Envelope envelope) throws InterruptedException {
    Instant receivedAt = clock.instant();
    Dispatch dispatch = JobEnvelopes.readDispatch(envelope);
    ActivatedJob job = dispatch.job();
    // The receipt continues the owner's trace; the step and the outcome's send descend from it.
    Span span = spans.receive(envelope);
    try (Scope ignored = span.makeCurrent()) {
      running.acquire();
      boolean started = false;
      try {
        if (!store.receiveOnce(envelope.messageId(), receivedAt)) {
          duplicates.incrementAndGet();
          span.setAttribute(DUPLICATE, true);
          LOG.info(
              "event=duplicate_dispatch_ignored instance={} element={} job={} cloud={} from={}"
                  + " message={}{}",
              job.instanceId(),
              job.elementId(),
              job.key(),
              cloud,
              envelope.sourceCloud(),
              envelope.messageId(),
              tracing.logField(span));
          return;
        }
        String received = TraceParent.of(span.getSpanContext());
        RemoteJob remote =
            new RemoteJob(
                job,
                envelope.sourceCloud(),
                envelope.tenant(),
                received != null ? received : envelope.traceparent(),
                cloud,
                node,
                dispatch.sentAt(),
                receivedAt,
                null);
        pool.execute(Context.current().wrap(() -> run(remote)));
        started = true;
      } finally {
        if (!started) {
          running.release();
        }
      }
    } finally {
      span.end();
    }
  }

  private void run(RemoteJob received) {
    try {
      RemoteJob job = received.started(clock.instant());
      ActivatedJob activated = job.job();
      JobHandler handler = handlers.get(activated.type());
      JobResult outcome;
      if (handler == null) {
        outcome =
            new JobResult.Fail(
                "no connector for job type '" + activated.type() + "' in cloud '" + cloud + "'",
                null,
                null);
      } else {
        awaited.running(job, clock.instant().plus(dispatchLease));
        outcome = handle(handler, activated, cloud);
      }
      if (outcome instanceof JobResult.Await await) {
        boolean waits =
            awaited.awaiting(
                activated.key(), clock.instant().plus(await.timeout()).plus(dispatchLease));
        LOG.info(
            "event=remote_job_awaiting instance={} element={} job={} cloud={} from={} timeout={}"
                + " answered={}{}",
            activated.instanceId(),
            activated.elementId(),
            activated.key(),
            cloud,
            job.sourceCloud(),
            await.timeout(),
            !waits,
            tracing.logField(job.traceparent()));
        return;
      }
      awaited.finished(activated.key());
      Result result = Result.of(outcome, job, clock.instant());
      LOG.info(
          "event=remote_job_ran instance={} element={} job={} type={} cloud={} from={}"
              + " outcome={}{}",
          activated.instanceId(),
          activated.elementId(),
          activated.key(),
          activated.type(),
          cloud,
          job.sourceCloud(),
          result.kind(),
          tracing.logField(job.traceparent()));
      sender.send(result, job);
    } finally {
      running.release();
    }
  }

  private static JobResult handle(JobHandler handler, ActivatedJob job, String cloud) {
    try {
      JobResult result = handler.handle(job);
      if (result == null) {
        return new JobResult.Fail(
            "the handler of '" + job.type() + "' returned nothing", null, null);
      }
      return result;
    } catch (Exception e) {
      LOG.info(
          "event=remote_job_failed instance={} element={} cloud={} type={} error=\"{}\"",
          job.instanceId(),
          job.elementId(),
          cloud,
          job.type(),
          e.toString());
      return new JobResult.Fail(e.getClass().getSimpleName() + ": " + e.getMessage(), null, null);
    }
  }

  /** Stops the running jobs (their outcomes are not sent; the owners send the jobs again). */
  @Override
  public void close() {
    pool.shutdownNow();
    try {
      pool.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
