package io.cob.server.xcloud;

import io.cob.engine.port.ActivatedJob;
import io.cob.engine.port.JobDispatch;
import io.cob.engine.port.bus.Bus;
import io.cob.engine.port.bus.Envelope;
import io.cob.server.tracing.BusSpans;
import io.cob.server.tracing.NodeTracing;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends jobs placed on other clouds over the bus ({@value JobEnvelopes#DISPATCH}, see {@link
 * JobEnvelopes}). Each send is a new message (a new message id); a job sent again after its
 * dispatch lease lapsed keeps its job key and idempotency key. Returns once the bus confirmed the
 * envelope; throws {@link io.cob.engine.port.bus.BusException} when it did not, and the engine
 * tries again shortly. Thread-safe.
 */
public final class BusJobDispatch implements JobDispatch {
  private static final Logger LOG = LoggerFactory.getLogger(BusJobDispatch.class);

  private final Bus bus;
  private final String cloud;
  private final Clock clock;
  private final NodeTracing tracing;
  private final BusSpans spans;
  private final java.util.function.BiFunction<ActivatedJob, String, ActivatedJob> filter;

  /**
   * @param bus the node's signed bus
   * @param cloud this node's cloud, the source of every envelope
   * @param clock real time, never a dev clock: receivers check envelope dates against theirs
   * @param tracing the node's tracing: each send is a span of the instance's trace, whose context
   *     the envelope carries
   * @param filter what a job may carry to its target cloud (data residency)
   */
  public BusJobDispatch(
      Bus bus,
      String cloud,
      Clock clock,
      NodeTracing tracing,
      java.util.function.BiFunction<ActivatedJob, String, ActivatedJob> filter) {
    this.filter = filter;
    this.bus = bus;
    this.cloud = cloud;
    this.clock = clock;
    this.tracing = tracing;
    this.spans = new BusSpans(tracing);
  }

  @Override
  public void dispatch(ActivatedJob job, String target) {
    Span span =
        spans.send(JobEnvelopes.DISPATCH, target, job.instanceId(), tracing.instanceContext(job));
    try (Scope ignored = span.makeCurrent()) {
      Envelope envelope =
          JobEnvelopes.dispatch(filter.apply(job, target), cloud, target, clock.instant());
      span.setAttribute(BusSpans.MESSAGE_ID, envelope.messageId());
      bus.publish(envelope);
      LOG.info(
          "event=job_sent instance={} element={} job={} type={} cloud={} message={}{}",
          job.instanceId(),
          job.elementId(),
          job.key(),
          job.type(),
          target,
          envelope.messageId(),
          tracing.logField(span));
    } catch (RuntimeException e) {
      span.recordException(e);
      span.setStatus(StatusCode.ERROR, e.getMessage());
      throw e;
    } finally {
      span.end();
    }
  }
}
