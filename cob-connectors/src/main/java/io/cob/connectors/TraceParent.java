package io.cob.connectors;

import io.cob.engine.port.ActivatedJob;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * W3C Trace Context {@code traceparent} values for outgoing calls and messages, and the way back
 * from such a value to a span context (through OpenTelemetry's W3C propagator, not by hand).
 *
 * <p>A call made within a span (a step run while tracing is on) carries that span's context, so
 * that the service's spans become its children. A call made outside any span still belongs to the
 * instance's trace: the trace id the instance recorded when it started ({@link
 * ActivatedJob#traceparent()}), or, for an instance started untraced, one derived from the instance
 * id, so that every call an instance makes, in every cloud, can be found from the instance; the
 * span id is then new for each call.
 */
public final class TraceParent {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final W3CTraceContextPropagator W3C = W3CTraceContextPropagator.getInstance();

  private static final TextMapGetter<String> ONE_VALUE =
      new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(String carrier) {
          return List.of("traceparent");
        }

        @Override
        public String get(String carrier, String key) {
          return "traceparent".equals(key) ? carrier : null;
        }
      };

  private TraceParent() {}

  /**
   * {@code 00-<trace id>-<span id>-<flags>} for a call made by {@code job}: the current span's
   * context when there is one, else a new span id in the instance's trace (flags {@code 01}).
   */
  public static String forJob(ActivatedJob job) {
    String current = of(Context.current());
    if (current != null) {
      return current;
    }
    return "00-" + traceId(job) + "-" + spanId() + "-01";
  }

  /** The {@code traceparent} of the span in {@code context}, or {@code null} when it has none. */
  public static String of(Context context) {
    Map<String, String> carrier = new HashMap<>(4);
    W3C.inject(context, carrier, Map::put);
    return carrier.get("traceparent");
  }

  /** The {@code traceparent} of a span context, or {@code null} when it is not valid. */
  public static String of(SpanContext span) {
    return of(Context.root().with(Span.wrap(span)));
  }

  /**
   * The remote span context a {@code traceparent} stands for; {@link SpanContext#getInvalid()} for
   * {@code null} or a value that is not W3C trace context.
   */
  public static SpanContext spanContext(String traceparent) {
    if (traceparent == null) {
      return SpanContext.getInvalid();
    }
    return Span.fromContext(W3C.extract(Context.root(), traceparent, ONE_VALUE)).getSpanContext();
  }

  /**
   * The instance's trace id: the one it recorded when it started, else {@link #traceId(String)}.
   */
  public static String traceId(ActivatedJob job) {
    SpanContext recorded = spanContext(job.traceparent());
    return recorded.isValid() ? recorded.getTraceId() : traceId(job.instanceId());
  }

  /** 32 hex digits: the instance's UUID, or a hash of another id. */
  public static String traceId(String instanceId) {
    String hex = instanceId.replace("-", "").toLowerCase(java.util.Locale.ROOT);
    if (hex.matches("[0-9a-f]{32}") && !hex.equals("0".repeat(32))) {
      return hex;
    }
    byte[] digest =
        io.cob.engine.blob.BlobDigest.sha256().digest(instanceId.getBytes(StandardCharsets.UTF_8));
    return HexFormat.of().formatHex(digest, 0, 16);
  }

  private static String spanId() {
    byte[] b = new byte[8];
    do {
      RANDOM.nextBytes(b);
    } while (java.util.Arrays.equals(b, new byte[8]));
    return HexFormat.of().formatHex(b);
  }
}
