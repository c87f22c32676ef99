package io.cob.server.tracing;

import io.cob.connectors.TraceParent;
import io.cob.engine.port.ActivatedJob;
import io.cob.engine.port.TraceContext;
import io.cob.server.config.CloudConfig;
import io.cob.server.config.NodeConfig;
import io.cob.server.config.TracingConfig;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanId;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingDecision;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tracing of one node (OpenTelemetry): the SDK with its exporter and sampler when {@code
 * tracing.otlp.endpoint} is set, {@link OpenTelemetry#noop()} otherwise, where every span is a
 * no-op that costs next to nothing.
 *
 * <p><b>One trace per instance.</b> The span of the API call that starts an instance ({@code
 * cob.instance.start}) is the instance's trace: the engine records its {@code traceparent} with the
 * instance ({@link #traceContext()}), every job carries it, and every later span of the instance,
 * in every cloud, descends from it ({@link #instanceContext}). An instance started outside any
 * trace (by a timer, before tracing was on) still gets one trace: its trace id is derived from the
 * instance id, under a root span id derived from it too, so its steps hang together and can be
 * found from the instance id.
 *
 * <p>Spans are each node's own, exported in batches; {@link #flush} and {@link #close} send what is
 * pending. Each node has its own SDK (nodes in one JVM do not share one), none is made global.
 * Thread-safe.
 */
public final class NodeTracing implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(NodeTracing.class);

  static final String INSTRUMENTATION = "io.cob.server";
  static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");
  static final AttributeKey<String> SERVICE_INSTANCE =
      AttributeKey.stringKey("service.instance.id");
  static final AttributeKey<String> CLOUD_PROVIDER = AttributeKey.stringKey("cloud.provider");
  static final AttributeKey<String> CLOUD_REGION = AttributeKey.stringKey("cloud.region");
  public static final AttributeKey<String> CLOUD = AttributeKey.stringKey("cob.cloud");
  public static final AttributeKey<String> NODE = AttributeKey.stringKey("cob.node");
  public static final AttributeKey<String> INSTANCE = AttributeKey.stringKey("cob.instance.id");
  public static final AttributeKey<String> PROCESS = AttributeKey.stringKey("cob.process.id");
  public static final AttributeKey<String> ELEMENT = AttributeKey.stringKey("cob.element.id");

  private final OpenTelemetry telemetry;
  private final OpenTelemetrySdk sdk;
  private final Tracer tracer;
  private final Sampler roots;

  private NodeTracing(OpenTelemetry telemetry, OpenTelemetrySdk sdk, Sampler roots) {
    this.telemetry = telemetry;
    this.sdk = sdk;
    this.roots = roots;
    this.tracer = telemetry.getTracer(INSTRUMENTATION);
  }

  /** No tracing: every span a no-op. */
  public static NodeTracing off() {
    return new NodeTracing(OpenTelemetry.noop(), null, Sampler.alwaysOff());
  }

  /**
   * The tracing {@code config.tracing()} asks for.
   *
   * @param exporter where spans go instead of the OTLP endpoint (tests, embedding), or {@code
   *     null}; when given, the node traces whatever the configuration says of the endpoint
   */
  public static NodeTracing start(NodeConfig config, SpanExporter exporter) {
    TracingConfig t = config.tracing();
    if (exporter == null && !t.enabled()) {
      return off();
    }
    SpanExporter out =
        exporter != null
            ? exporter
            : OtlpHttpSpanExporter.builder().setEndpoint(t.tracesUrl()).build();
    Sampler roots =
        switch (t.sampler()) {
          case TracingConfig.Sampling.AlwaysOn on -> Sampler.alwaysOn();
          case TracingConfig.Sampling.AlwaysOff off -> Sampler.alwaysOff();
          case TracingConfig.Sampling.Ratio r -> Sampler.traceIdRatioBased(r.ratio());
        };
    SdkTracerProvider provider =
        SdkTracerProvider.builder()
            .setResource(Resource.getDefault().merge(Resource.create(resource(config))))
            // A trace that comes with a traceparent keeps the decision made where it began.
            .setSampler(Sampler.parentBased(roots))
            .addSpanProcessor(BatchSpanProcessor.builder(out).build())
            .build();
    OpenTelemetrySdk sdk =
        OpenTelemetrySdk.builder()
            .setTracerProvider(provider)
            .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
            .build();
    LOG.info(
        "event=tracing_started node={} cloud={} exporter={} sampler={}",
        config.nodeId(),
        config.cloud(),
        exporter != null ? exporter.getClass().getSimpleName() : t.tracesUrl(),
        t.sampler());
    return new NodeTracing(sdk, sdk, roots);
  }

  private static Attributes resource(NodeConfig config) {
    AttributesBuilder b =
        Attributes.builder()
            .put(SERVICE_NAME, "cob")
            .put(SERVICE_INSTANCE, config.nodeId())
            .put(CLOUD, config.cloud());
    CloudConfig cloud = config.clouds().get(config.cloud());
    if (cloud != null && cloud.provider() != null) {
      b.put(CLOUD_PROVIDER, cloud.provider());
    }
    if (cloud != null && cloud.region() != null) {
      b.put(CLOUD_REGION, cloud.region());
    }
    return b.build();
  }

  /** Whether spans are recorded (an SDK runs); when not, every span is a no-op. */
  public boolean enabled() {
    return sdk != null;
  }

  /** The API the connectors record their spans through. */
  public OpenTelemetry telemetry() {
    return telemetry;
  }

  public Tracer tracer() {
    return tracer;
  }

  /** What the engine asks for the trace a new instance starts in: the current span's. */
  public TraceContext traceContext() {
    if (!enabled()) {
      return TraceContext.NONE;
    }
    return () -> TraceParent.of(Context.current());
  }

  /**
   * The context the spans of {@code job} descend from: the span that started its instance, or for
   * an instance started untraced, a root derived from the instance id (see the class comment).
   */
  public Context instanceContext(ActivatedJob job) {
    if (!enabled()) {
      return Context.root();
    }
    SpanContext recorded = TraceParent.spanContext(job.traceparent());
    if (recorded.isValid()) {
      return Context.root().with(Span.wrap(recorded));
    }
    String traceId = TraceParent.traceId(job.instanceId());
    // Decided as for a new trace, by trace id: every node decides the same for the instance.
    boolean sampled =
        roots
                .shouldSample(
                    Context.root(),
                    traceId,
                    "cob.instance",
                    SpanKind.INTERNAL,
                    Attributes.empty(),
                    List.of())
                .getDecision()
            == SamplingDecision.RECORD_AND_SAMPLE;
    SpanContext root =
        SpanContext.createFromRemoteParent(
            traceId,
            rootSpanId(job.instanceId()),
            sampled ? TraceFlags.getSampled() : TraceFlags.getDefault(),
            TraceState.getDefault());
    return Context.root().with(Span.wrap(root));
  }

  /** The context a received {@code traceparent} stands for; the root context for none. */
  public Context remoteContext(String traceparent) {
    SpanContext remote = TraceParent.spanContext(traceparent);
    return remote.isValid() ? Context.root().with(Span.wrap(remote)) : Context.root();
  }

  /**
   * {@code " trace_id=<id>"} for log lines of the trace {@code traceparent} stands for, when this
   * node traces; empty otherwise.
   */
  public String logField(String traceparent) {
    if (!enabled()) {
      return "";
    }
    SpanContext c = TraceParent.spanContext(traceparent);
    return c.isValid() ? " trace_id=" + c.getTraceId() : "";
  }

  /** The same for a span. */
  public String logField(Span span) {
    if (!enabled() || !span.getSpanContext().isValid()) {
      return "";
    }
    return " trace_id=" + span.getSpanContext().getTraceId();
  }

  /** Sends the spans ended so far; false when that did not finish within {@code timeout}. */
  public boolean flush(Duration timeout) {
    if (sdk == null) {
      return true;
    }
    return sdk.getSdkTracerProvider()
        .forceFlush()
        .join(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .isSuccess();
  }

  /** Sends what is pending (waiting at most 10 s) and stops. */
  @Override
  public void close() {
    if (sdk != null) {
      sdk.getSdkTracerProvider().shutdown().join(10, TimeUnit.SECONDS);
    }
  }

  /** 16 hex digits, never all zero, the same for an instance on every node. */
  private static String rootSpanId(String instanceId) {
    try {
      byte[] d =
          MessageDigest.getInstance("SHA-256")
              .digest(("cob.instance:" + instanceId).getBytes(StandardCharsets.UTF_8));
      String id = HexFormat.of().formatHex(d, 0, 8);
      return SpanId.isValid(id) ? id : "0000000000000001";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
