package io.cob.bus.amqp;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.LongString;
import io.cob.engine.port.bus.Envelope;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Maps an {@link Envelope} to an AMQP message and back. The body is the payload; the properties
 * carry {@code message_id} (message id), {@code type}, {@code timestamp} (seconds, for tools), and
 * {@code app_id=cob}; the headers carry the rest: {@code cob-source}, {@code cob-target} (absent
 * for a broadcast), {@code cob-instance}, {@code cob-epoch}, {@code cob-tenant}, {@code
 * traceparent}, {@code cob-sent-at} (epoch milliseconds, the exact value), {@code cob-signature}
 * (bytes) and the envelope's own headers as the nested table {@code cob-headers}, so that they can
 * never collide with ours or the broker's ({@code x-...}).
 */
final class AmqpEnvelopeCodec {
  static final String SOURCE = "cob-source";
  static final String TARGET = "cob-target";
  static final String INSTANCE = "cob-instance";
  static final String EPOCH = "cob-epoch";
  static final String TENANT = "cob-tenant";
  static final String TRACEPARENT = "traceparent";
  static final String SENT_AT = "cob-sent-at";
  static final String SIGNATURE = "cob-signature";
  static final String HEADERS = "cob-headers";

  /** Deliveries so far, on a classic queue where this bus re-publishes a failed envelope. */
  static final String DELIVERIES = "cob-deliveries";

  /** Deliveries so far, as counted by a quorum queue (absent on the first delivery). */
  static final String QUORUM_DELIVERY_COUNT = "x-delivery-count";

  private AmqpEnvelopeCodec() {}

  /** The properties of an envelope; {@code persistent} for published, not for announced ones. */
  static AMQP.BasicProperties properties(Envelope e, boolean persistent) {
    Map<String, Object> headers = new HashMap<>();
    headers.put(SOURCE, e.sourceCloud());
    putIfPresent(headers, TARGET, e.targetCloud());
    putIfPresent(headers, INSTANCE, e.instanceId());
    headers.put(EPOCH, e.epoch());
    headers.put(TENANT, e.tenant());
    putIfPresent(headers, TRACEPARENT, e.traceparent());
    headers.put(SENT_AT, e.sentAt().toEpochMilli());
    if (e.signature() != null) {
      headers.put(SIGNATURE, e.signature());
    }
    if (!e.headers().isEmpty()) {
      headers.put(HEADERS, new LinkedHashMap<String, Object>(e.headers()));
    }
    return new AMQP.BasicProperties.Builder()
        .messageId(e.messageId())
        .type(e.type())
        .timestamp(Date.from(e.sentAt()))
        .appId("cob")
        .deliveryMode(persistent ? 2 : 1)
        .headers(headers)
        .build();
  }

  /** The same properties with one more header (a delivery count). */
  static AMQP.BasicProperties withHeader(AMQP.BasicProperties p, String name, Object value) {
    Map<String, Object> headers = new HashMap<>(p.getHeaders() == null ? Map.of() : p.getHeaders());
    headers.put(name, value);
    return p.builder().headers(headers).build();
  }

  /**
   * The envelope an AMQP message carries.
   *
   * @throws MalformedEnvelopeException when a required property or header is missing or has the
   *     wrong type (the message was not written by a cob bus)
   */
  static Envelope envelope(AMQP.BasicProperties p, byte[] body) {
    Map<String, Object> h = p.getHeaders() == null ? Map.of() : p.getHeaders();
    if (p.getMessageId() == null || p.getType() == null) {
      throw new MalformedEnvelopeException("message_id or type property is missing");
    }
    return Envelope.builder(p.getMessageId(), p.getType(), requiredText(h, SOURCE))
        .targetCloud(text(h, TARGET))
        .instanceId(text(h, INSTANCE))
        .epoch(number(h, EPOCH))
        .tenant(requiredText(h, TENANT))
        .traceparent(text(h, TRACEPARENT))
        .sentAt(Instant.ofEpochMilli(number(h, SENT_AT)))
        .headers(stringTable(h.get(HEADERS)))
        .payload(body)
        .signature(bytes(h.get(SIGNATURE)))
        .build();
  }

  /** A header holding a count, or 0 when absent. */
  static long count(AMQP.BasicProperties p, String name) {
    Object value = p.getHeaders() == null ? null : p.getHeaders().get(name);
    return value instanceof Number n ? n.longValue() : 0;
  }

  /** A message that is not an envelope of this bus. */
  static final class MalformedEnvelopeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    MalformedEnvelopeException(String message) {
      super(message);
    }
  }

  private static void putIfPresent(Map<String, Object> headers, String name, String value) {
    if (value != null) {
      headers.put(name, value);
    }
  }

  private static String requiredText(Map<String, Object> h, String name) {
    String value = text(h, name);
    if (value == null) {
      throw new MalformedEnvelopeException("header " + name + " is missing");
    }
    return value;
  }

  private static String text(Map<String, Object> h, String name) {
    Object value = h.get(name);
    if (value == null) {
      return null;
    }
    if (value instanceof LongString || value instanceof String) {
      return value.toString();
    }
    throw new MalformedEnvelopeException("header " + name + " is not text");
  }

  private static long number(Map<String, Object> h, String name) {
    if (h.get(name) instanceof Number n) {
      return n.longValue();
    }
    throw new MalformedEnvelopeException("header " + name + " is missing or not a number");
  }

  private static byte[] bytes(Object value) {
    return switch (value) {
      case null -> null;
      case byte[] b -> b;
      case LongString s -> s.getBytes();
      default -> throw new MalformedEnvelopeException("header " + SIGNATURE + " is not bytes");
    };
  }

  private static Map<String, String> stringTable(Object value) {
    if (value == null) {
      return Map.of();
    }
    if (!(value instanceof Map<?, ?> table)) {
      throw new MalformedEnvelopeException("header " + HEADERS + " is not a table");
    }
    Map<String, String> headers = new HashMap<>();
    table.forEach(
        (k, v) -> {
          if (!(v instanceof LongString || v instanceof String)) {
            throw new MalformedEnvelopeException("header " + HEADERS + "." + k + " is not text");
          }
          headers.put(k.toString(), v.toString());
        });
    return headers;
  }
}
