package io.cob.engine.port.bus;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One message on the bus between clouds: an addressed, typed, signed payload. Immutable; the byte
 * arrays are copied in and out.
 *
 * <p><b>Identity.</b> {@code messageId} is unique per message, and stays the same when the sender
 * publishes the message again (outbox retry) or the bus redelivers it; receivers de-duplicate by
 * it.
 *
 * <p><b>Precision.</b> {@code sentAt} is kept to the millisecond (finer parts are dropped when the
 * envelope is made), because that is what every transport carries and what the signature covers: an
 * envelope round-trips through any {@link Bus} equal to itself.
 *
 * @param messageId unique id of this message (not blank)
 * @param type what the payload is: {@code job.dispatch}, {@code job.result}, {@code heartbeat},
 *     {@code event.replicate}, {@code message.publish} ... (not blank)
 * @param sourceCloud the cloud that sent it (not blank)
 * @param targetCloud the cloud it is for, or {@code null} for every cloud (broadcast)
 * @param instanceId the process instance it concerns, or {@code null}
 * @param epoch the instance's ownership epoch when sent (0 when none): a receiver rejects messages
 *     of an older epoch than it knows
 * @param tenant the tenant it belongs to (not null; {@code "default"} when there is only one)
 * @param traceparent the W3C trace context of the sending step, or {@code null}
 * @param sentAt when the sender made it, by the sender's clock (milliseconds)
 * @param headers further string attributes (never null; copied, iteration in key order)
 * @param payload the body, usually UTF-8 JSON (never null; may be empty)
 * @param signature the sender's signature over all other fields, or {@code null} until signed
 */
public record Envelope(
    String messageId,
    String type,
    String sourceCloud,
    String targetCloud,
    String instanceId,
    long epoch,
    String tenant,
    String traceparent,
    Instant sentAt,
    Map<String, String> headers,
    byte[] payload,
    byte[] signature) {

  /** The tenant of single-tenant installations. */
  public static final String DEFAULT_TENANT = "default";

  public Envelope {
    requireText(messageId, "messageId");
    requireText(type, "type");
    requireText(sourceCloud, "sourceCloud");
    if (targetCloud != null && targetCloud.isBlank()) {
      throw new IllegalArgumentException("envelope targetCloud is blank (use null to broadcast)");
    }
    Objects.requireNonNull(tenant, "envelope tenant");
    Objects.requireNonNull(sentAt, "envelope sentAt");
    sentAt = sentAt.truncatedTo(ChronoUnit.MILLIS);
    headers = copyHeaders(headers);
    payload = payload == null ? new byte[0] : payload.clone();
    signature = signature == null ? null : signature.clone();
  }

  /** A builder with a message id, a type and a source cloud; everything else defaults. */
  public static Builder builder(String messageId, String type, String sourceCloud) {
    return new Builder(messageId, type, sourceCloud);
  }

  /** Whether this is for every cloud rather than one. */
  public boolean isBroadcast() {
    return targetCloud == null;
  }

  /** A copy of the payload. */
  @Override
  public byte[] payload() {
    return payload.clone();
  }

  /** The payload's length, without copying it. */
  public int payloadSize() {
    return payload.length;
  }

  /** A copy of the signature, or {@code null}. */
  @Override
  public byte[] signature() {
    return signature == null ? null : signature.clone();
  }

  /** This envelope with the given signature (or none, for {@code null}). */
  public Envelope withSignature(byte[] newSignature) {
    return new Envelope(
        messageId,
        type,
        sourceCloud,
        targetCloud,
        instanceId,
        epoch,
        tenant,
        traceparent,
        sentAt,
        headers,
        payload,
        newSignature);
  }

  /** A builder holding this envelope's fields, to derive a changed copy. */
  public Builder toBuilder() {
    return new Builder(messageId, type, sourceCloud)
        .targetCloud(targetCloud)
        .instanceId(instanceId)
        .epoch(epoch)
        .tenant(tenant)
        .traceparent(traceparent)
        .sentAt(sentAt)
        .headers(headers)
        .payload(payload)
        .signature(signature);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Envelope e
        && messageId.equals(e.messageId)
        && type.equals(e.type)
        && sourceCloud.equals(e.sourceCloud)
        && Objects.equals(targetCloud, e.targetCloud)
        && Objects.equals(instanceId, e.instanceId)
        && epoch == e.epoch
        && tenant.equals(e.tenant)
        && Objects.equals(traceparent, e.traceparent)
        && sentAt.equals(e.sentAt)
        && headers.equals(e.headers)
        && Arrays.equals(payload, e.payload)
        && Arrays.equals(signature, e.signature);
  }

  @Override
  public int hashCode() {
    return Objects.hash(messageId, type, sourceCloud, targetCloud, instanceId, epoch, sentAt)
        + 31 * Arrays.hashCode(payload);
  }

  /** Names the envelope without dumping its payload (which may hold personal data). */
  @Override
  public String toString() {
    return "Envelope[messageId=%s, type=%s, source=%s, target=%s, instance=%s, epoch=%d, tenant=%s, sentAt=%s, headers=%s, payload=%d bytes, signature=%s]"
        .formatted(
            messageId,
            type,
            sourceCloud,
            targetCloud == null ? "*" : targetCloud,
            instanceId,
            epoch,
            tenant,
            sentAt,
            headers.keySet(),
            payload.length,
            signature == null ? "none" : Base64.getEncoder().encodeToString(signature));
  }

  private static void requireText(String value, String field) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("envelope " + field + " is missing");
    }
  }

  private static Map<String, String> copyHeaders(Map<String, String> headers) {
    if (headers == null || headers.isEmpty()) {
      return Map.of();
    }
    TreeMap<String, String> sorted = new TreeMap<>();
    headers.forEach(
        (k, v) -> {
          if (k == null || v == null) {
            throw new IllegalArgumentException(
                "envelope header " + k + " has a null name or value");
          }
          sorted.put(k, v);
        });
    return java.util.Collections.unmodifiableSortedMap(sorted);
  }

  /** Builds an {@link Envelope}; not thread-safe. */
  public static final class Builder {
    private final String messageId;
    private final String type;
    private final String sourceCloud;
    private String targetCloud;
    private String instanceId;
    private long epoch;
    private String tenant = DEFAULT_TENANT;
    private String traceparent;
    private Instant sentAt;
    private Map<String, String> headers = Map.of();
    private byte[] payload = new byte[0];
    private byte[] signature;

    private Builder(String messageId, String type, String sourceCloud) {
      this.messageId = messageId;
      this.type = type;
      this.sourceCloud = sourceCloud;
    }

    /** The cloud it is for; {@code null} (the default) broadcasts. */
    public Builder targetCloud(String cloud) {
      this.targetCloud = cloud;
      return this;
    }

    public Builder instanceId(String id) {
      this.instanceId = id;
      return this;
    }

    public Builder epoch(long value) {
      this.epoch = value;
      return this;
    }

    public Builder tenant(String value) {
      this.tenant = value;
      return this;
    }

    public Builder traceparent(String value) {
      this.traceparent = value;
      return this;
    }

    /** When it was made; required. */
    public Builder sentAt(Instant value) {
      this.sentAt = value;
      return this;
    }

    public Builder headers(Map<String, String> value) {
      this.headers = value;
      return this;
    }

    public Builder payload(byte[] value) {
      this.payload = value;
      return this;
    }

    public Builder signature(byte[] value) {
      this.signature = value;
      return this;
    }

    public Envelope build() {
      return new Envelope(
          messageId,
          type,
          sourceCloud,
          targetCloud,
          instanceId,
          epoch,
          tenant,
          traceparent,
          sentAt,
          headers,
          payload,
          signature);
    }
  }
}
