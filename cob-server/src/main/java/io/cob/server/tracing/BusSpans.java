package io.cob.server.tracing;

import io.cob.engine.port.bus.Envelope;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;

/**
 * The spans of a hop over the bus between clouds, as OpenTelemetry's messaging conventions have
 * them: the sender's {@code cob.bus.send <type>} (a producer span, whose context the envelope's
 * {@code traceparent} carries) and the receiver's {@code cob.bus.receive <type>} (a consumer span,
 * the child of the sender's and linked to it), so that the receiving cloud continues the sender's
 * trace. Thread-safe.
 */
public final class BusSpans {
  static final AttributeKey<String> SYSTEM = AttributeKey.stringKey("messaging.system");
  static final AttributeKey<String> OPERATION = AttributeKey.stringKey("messaging.operation.type");
  static final AttributeKey<String> DESTINATION =
      AttributeKey.stringKey("messaging.destination.name");
  public static final AttributeKey<String> MESSAGE_ID =
      AttributeKey.stringKey("messaging.message.id");
  static final AttributeKey<String> TYPE = AttributeKey.stringKey("cob.envelope.type");
  static final AttributeKey<String> SOURCE = AttributeKey.stringKey("cob.envelope.source_cloud");

  private final NodeTracing tracing;

  public BusSpans(NodeTracing tracing) {
    this.tracing = tracing;
  }

  /**
   * Starts the span of sending an envelope of {@code type} to {@code targetCloud}; the envelope is
   * to carry its context (make it current while building the envelope).
   *
   * @param parent what the send is part of (the instance's trace, a step)
   */
  public Span send(String type, String targetCloud, String instanceId, Context parent) {
    return tracing
        .tracer()
        .spanBuilder("cob.bus.send " + type)
        .setSpanKind(SpanKind.PRODUCER)
        .setParent(parent)
        .setAttribute(SYSTEM, "cob")
        .setAttribute(OPERATION, "send")
        .setAttribute(DESTINATION, targetCloud)
        .setAttribute(TYPE, type)
        .setAttribute(NodeTracing.INSTANCE, instanceId)
        .startSpan();
  }

  /** Starts the span of receiving {@code envelope}, in the trace its {@code traceparent} names. */
  public Span receive(Envelope envelope) {
    Context sender = tracing.remoteContext(envelope.traceparent());
    var b =
        tracing
            .tracer()
            .spanBuilder("cob.bus.receive " + envelope.type())
            .setSpanKind(SpanKind.CONSUMER)
            .setParent(sender)
            .setAttribute(SYSTEM, "cob")
            .setAttribute(OPERATION, "receive")
            .setAttribute(DESTINATION, envelope.targetCloud())
            .setAttribute(MESSAGE_ID, envelope.messageId())
            .setAttribute(TYPE, envelope.type())
            .setAttribute(SOURCE, envelope.sourceCloud());
    if (envelope.instanceId() != null) {
      b.setAttribute(NodeTracing.INSTANCE, envelope.instanceId());
    }
    SpanContext sent = Span.fromContext(sender).getSpanContext();
    if (sent.isValid()) {
      b.addLink(sent);
    }
    return b.startSpan();
  }
}
