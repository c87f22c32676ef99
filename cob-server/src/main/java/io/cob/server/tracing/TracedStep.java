package io.cob.server.tracing;

import io.cob.engine.port.ActivatedJob;
import io.cob.engine.port.JobHandler;
import io.cob.engine.port.JobResult;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Runs one job handler as a step of its instance's trace, on the node that runs it: a span {@code
 * cob.step <element>} around the handler, the current span while it runs (so that a connector's
 * call is its child and carries its {@code traceparent}), and one log line {@code event=step_ran}
 * naming the instance, element, cloud, node, outcome and, when the node traces, the {@code
 * trace_id}.
 *
 * <p>The span's parent is the current span when there is one (a job another cloud sent: the span of
 * its receipt from the bus), else the instance's trace ({@link NodeTracing#instanceContext}). While
 * the handler runs, the SLF4J MDC holds {@code instance}, {@code element}, {@code cloud} and, when
 * traced, {@code trace_id} and {@code span_id}, for logging back-ends that print the MDC.
 *
 * <p>Outcomes and exceptions pass through unchanged. Thread-safe as the handler it wraps.
 */
public final class TracedStep implements JobHandler {
  private static final Logger LOG = LoggerFactory.getLogger(TracedStep.class);
  static final AttributeKey<String> TYPE = AttributeKey.stringKey("cob.job.type");
  static final AttributeKey<String> JOB = AttributeKey.stringKey("cob.job.key");
  static final AttributeKey<Long> RETRIES = AttributeKey.longKey("cob.job.retries");
  static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("cob.step.outcome");

  private final JobHandler handler;
  private final NodeTracing tracing;
  private final String cloud;
  private final String node;
  private final Logger log;

  TracedStep(JobHandler handler, NodeTracing tracing, String cloud, String node) {
    this(handler, tracing, cloud, node, LOG);
  }

  /** As above, logging to {@code log} (tests read the lines). */
  TracedStep(JobHandler handler, NodeTracing tracing, String cloud, String node, Logger log) {
    this.handler = handler;
    this.tracing = tracing;
    this.cloud = cloud;
    this.node = node;
    this.log = log;
  }

  /** Each handler of {@code handlers} run as a traced step, by the same job types. */
  public static Map<String, JobHandler> wrap(
      Map<String, JobHandler> handlers, NodeTracing tracing, String cloud, String node) {
    Map<String, JobHandler> out = new LinkedHashMap<>();
    handlers.forEach((type, h) -> out.put(type, new TracedStep(h, tracing, cloud, node)));
    return out;
  }

  @Override
  public JobResult handle(ActivatedJob job) throws Exception {
    Context parent =
        Span.current().getSpanContext().isValid()
            ? Context.current()
            : tracing.instanceContext(job);
    Span span =
        tracing
            .tracer()
            .spanBuilder("cob.step " + job.elementId())
            .setParent(parent)
            .setAttribute(NodeTracing.INSTANCE, job.instanceId())
            .setAttribute(NodeTracing.ELEMENT, job.elementId())
            .setAttribute(TYPE, job.type())
            .setAttribute(JOB, job.key())
            .setAttribute(RETRIES, (long) job.retries())
            .setAttribute(NodeTracing.CLOUD, cloud)
            .setAttribute(NodeTracing.NODE, node)
            .startSpan();
    long started = System.nanoTime();
    String outcome = "EXCEPTION";
    String error = null;
    try (Scope ignored = span.makeCurrent();
        MdcEntries mdc = MdcEntries.of(job, cloud, tracing.enabled() ? span : null)) {
      JobResult result = handler.handle(job);
      outcome = outcome(result);
      switch (result) {
        case JobResult.Fail f -> {
          error = f.errorMessage();
          span.setStatus(StatusCode.ERROR, f.errorMessage());
        }
        case JobResult.Error e -> {
          error = e.errorCode();
          span.setStatus(StatusCode.ERROR, "BPMN error " + e.errorCode());
        }
        case null, default -> {}
      }
      return result;
    } catch (Exception | Error e) {
      error = e.toString();
      span.recordException(e);
      span.setStatus(StatusCode.ERROR, e.getMessage());
      throw e;
    } finally {
      span.setAttribute(OUTCOME, outcome);
      span.end();
      if (log.isInfoEnabled()) {
        log(job, outcome, started, error, span);
      }
    }
  }

  private void log(ActivatedJob job, String outcome, long started, String error, Span span) {
    log.info(
        "event=step_ran instance={} element={} cloud={} node={} type={} job={} outcome={} ms={}{}{}",
        job.instanceId(),
        job.elementId(),
        cloud,
        node,
        job.type(),
        job.key(),
        outcome,
        (System.nanoTime() - started) / 1_000_000,
        error == null ? "" : " error=\"" + error.replace("\"", "'") + "\"",
        tracing.logField(span));
  }

  private static String outcome(JobResult result) {
    return switch (result) {
      case null -> "NONE";
      case JobResult.Complete c -> "COMPLETE";
      case JobResult.Fail f -> "FAIL";
      case JobResult.Error e -> "ERROR";
      case JobResult.Await a -> "AWAIT";
    };
  }

  /** The MDC entries of one step, removed when it ends. */
  private record MdcEntries(boolean traced) implements AutoCloseable {
    /**
     * @param span the step's span when the node traces, else {@code null}
     */
    static MdcEntries of(ActivatedJob job, String cloud, Span span) {
      MDC.put("instance", job.instanceId());
      MDC.put("element", job.elementId());
      MDC.put("cloud", cloud);
      boolean traced = span != null && span.getSpanContext().isValid();
      if (traced) {
        MDC.put("trace_id", span.getSpanContext().getTraceId());
        MDC.put("span_id", span.getSpanContext().getSpanId());
      }
      return new MdcEntries(traced);
    }

    @Override
    public void close() {
      MDC.remove("instance");
      MDC.remove("element");
      MDC.remove("cloud");
      if (traced) {
        MDC.remove("trace_id");
        MDC.remove("span_id");
      }
    }
  }
}
