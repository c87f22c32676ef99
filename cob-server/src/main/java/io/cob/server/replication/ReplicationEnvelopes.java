package io.cob.server.replication;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cob.engine.event.EventRecord;
import io.cob.engine.port.StoreRows.ProcessVersion;
import io.cob.engine.port.bus.Envelope;
import io.cob.server.http.Json;
import io.cob.store.jdbc.JsonCodec;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The envelopes of replication between an owner cloud and its standbys, with JSON payloads.
 *
 * <ul>
 *   <li>{@value #EVENTS}: owner → standby, events of one instance in order ({@link Events}); the
 *       batch that begins the log carries the process version and its BPMN, which the standby
 *       imports so that it can continue the instance after a fail-over.
 *   <li>{@value #RESYNC}: standby → owner, "send the events of this instance from {@code fromSeq}"
 *       ({@link Resync}), after a gap.
 *   <li>{@value #ACK}: standby → owner, the last sequence number stored per instance ({@link Ack});
 *       the owner measures the replication lag from them.
 *   <li>{@value #CONFLICT}: former owner → the cloud that took an instance over, the events the
 *       former owner committed and never shipped ({@link Conflict}), recorded in the history there.
 * </ul>
 *
 * <p>The envelope's epoch is the instance's ownership epoch when sent; a standby refuses events of
 * an older epoch than its replica's.
 */
final class ReplicationEnvelopes {
  static final String EVENTS = "replication.events";
  static final String RESYNC = "replication.resync";
  static final String ACK = "replication.ack";
  static final String CONFLICT = "replication.conflict";

  private static final ObjectMapper JSON = Json.mapper();
  private static final JsonCodec EVENT_CODEC = new JsonCodec();

  private ReplicationEnvelopes() {}

  /** One event: its place in the log, its time, and the event as the store writes it. */
  record ShippedEvent(long seq, Instant at, String event) {}

  /** A process version with its BPMN resource. */
  record ShippedProcess(ProcessVersion version, String xml) {}

  /**
   * The payload of {@value #EVENTS}.
   *
   * @param committedAt when the owner committed the last of them, for the lag
   * @param process the version and its BPMN when the events begin the log, else {@code null}
   * @param sync whether the owner waits for the acknowledgement (sent at once, not batched)
   */
  record Events(
      String instanceId,
      List<ShippedEvent> events,
      Instant committedAt,
      ShippedProcess process,
      boolean sync) {}

  /** The payload of {@value #CONFLICT}: each event as {@code seq type json}. */
  record Conflict(String instanceId, long epoch, List<String> events) {}

  /** The payload of {@value #RESYNC}. */
  record Resync(String instanceId, long fromSeq) {}

  /** The payload of {@value #ACK}: instance id → the last sequence number the standby stored. */
  record Ack(Map<String, Long> stored) {}

  static Envelope events(
      String source,
      String target,
      String instanceId,
      long epoch,
      List<EventRecord> records,
      Instant committedAt,
      ShippedProcess process,
      boolean sync,
      Instant now) {
    List<ShippedEvent> shipped =
        records.stream()
            .map(r -> new ShippedEvent(r.seq(), r.at(), EVENT_CODEC.writeEvent(r.event())))
            .toList();
    return envelope(
        EVENTS,
        source,
        target,
        instanceId,
        epoch,
        now,
        new Events(instanceId, shipped, committedAt, process, sync));
  }

  static Envelope resync(
      String source, String owner, String instanceId, long fromSeq, Instant now) {
    return envelope(RESYNC, source, owner, instanceId, 0, now, new Resync(instanceId, fromSeq));
  }

  static Envelope ack(String source, String owner, Map<String, Long> stored, Instant now) {
    return envelope(ACK, source, owner, null, 0, now, new Ack(Map.copyOf(stored)));
  }

  static Envelope conflict(
      String source,
      String owner,
      String instanceId,
      long epoch,
      List<EventRecord> tail,
      Instant now) {
    List<String> events =
        tail.stream()
            .map(e -> e.seq() + " " + e.type() + " " + EVENT_CODEC.writeEvent(e.event()))
            .toList();
    return envelope(
        CONFLICT, source, owner, instanceId, 0, now, new Conflict(instanceId, epoch, events));
  }

  static Conflict readConflict(Envelope envelope) {
    Conflict c = read(envelope, Conflict.class);
    if (c.instanceId() == null || c.events() == null || c.events().isEmpty()) {
      throw new MalformedReplicationException(envelope, "instanceId or events missing");
    }
    return c;
  }

  static Events readEvents(Envelope envelope) {
    Events e = read(envelope, Events.class);
    if (e.instanceId() == null || e.events() == null || e.events().isEmpty()) {
      throw new MalformedReplicationException(envelope, "instanceId or events missing");
    }
    return e;
  }

  /** The events of a payload as the engine takes them. */
  static List<EventRecord> records(Envelope envelope, Events events) {
    try {
      return events.events().stream()
          .map(e -> new EventRecord(e.seq(), e.at(), EVENT_CODEC.readEvent(e.event())))
          .toList();
    } catch (RuntimeException e) {
      throw new MalformedReplicationException(
          envelope, "an event cannot be read: " + e.getMessage());
    }
  }

  static Resync readResync(Envelope envelope) {
    Resync r = read(envelope, Resync.class);
    if (r.instanceId() == null || r.fromSeq() < 1) {
      throw new MalformedReplicationException(envelope, "instanceId or fromSeq missing");
    }
    return r;
  }

  static Ack readAck(Envelope envelope) {
    Ack a = read(envelope, Ack.class);
    if (a.stored() == null) {
      throw new MalformedReplicationException(envelope, "stored missing");
    }
    return a;
  }

  private static Envelope envelope(
      String type,
      String source,
      String target,
      String instanceId,
      long epoch,
      Instant now,
      Object payload) {
    try {
      return Envelope.builder(UUID.randomUUID().toString(), type, source)
          .targetCloud(target)
          .instanceId(instanceId)
          .epoch(epoch)
          .tenant(Envelope.DEFAULT_TENANT)
          .sentAt(now)
          .payload(JSON.writeValueAsBytes(payload))
          .build();
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot write a " + type + " payload", e);
    }
  }

  private static <T> T read(Envelope envelope, Class<T> type) {
    try {
      return JSON.readValue(envelope.payload(), type);
    } catch (IOException e) {
      throw new MalformedReplicationException(envelope, e.getMessage());
    }
  }

  /** A payload that is not what the envelope's type says. */
  static final class MalformedReplicationException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    MalformedReplicationException(Envelope envelope, String why) {
      super(
          "malformed %s payload of message %s from %s: %s"
              .formatted(envelope.type(), envelope.messageId(), envelope.sourceCloud(), why));
    }
  }
}
