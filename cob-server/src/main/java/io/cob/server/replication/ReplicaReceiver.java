package io.cob.server.replication;

import io.cob.engine.Engine;
import io.cob.engine.event.EventRecord;
import io.cob.engine.port.bus.Bus;
import io.cob.engine.port.bus.Envelope;
import io.cob.engine.processor.ProcessingResult;
import io.cob.engine.runtime.CommandRejectedException;
import io.cob.engine.state.InstanceState;
import io.cob.server.replication.ReplicationEnvelopes.Events;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The standby side of replication: applies the events an owner cloud ships to this cloud's replicas
 * (through the engine, so that a replica is written like any instance and stays consistent with its
 * cache), imports the process version a new instance runs on, asks the owner again after a gap, and
 * acknowledges what it stored every {@code ackEvery} milliseconds, one envelope per owner.
 *
 * <p>Events the engine refuses for good (the instance is owned here now, or their epoch is older
 * than the replica's) are counted and logged, never applied: they come from an owner that has been
 * failed over.
 *
 * <p>Thread-safe.
 */
public final class ReplicaReceiver implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ReplicaReceiver.class);
  private static final long ACK_EVERY_MILLIS = 200;

  private final Bus bus;
  private final String cloud;
  private final Supplier<Engine> engine;
  private final Clock clock;
  private final Map<String, Map<String, Long>> toAcknowledge = new ConcurrentHashMap<>();
  private final AtomicLong refused = new AtomicLong();
  private final AtomicLong applied = new AtomicLong();
  private final ScheduledExecutorService acks;

  public ReplicaReceiver(Bus bus, String cloud, Supplier<Engine> engine, Clock clock) {
    this.bus = bus;
    this.cloud = cloud;
    this.engine = engine;
    this.clock = clock;
    this.acks =
        Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().name("cob-replica-acks-" + cloud).daemon(true).unstarted(r));
    acks.scheduleWithFixedDelay(
        this::sendAcks, ACK_EVERY_MILLIS, ACK_EVERY_MILLIS, TimeUnit.MILLISECONDS);
  }

  /** Handles a {@value ReplicationEnvelopes#EVENTS} envelope; throws to have it delivered again. */
  public void apply(Envelope envelope) {
    Events payload = ReplicationEnvelopes.readEvents(envelope);
    List<EventRecord> records = ReplicationEnvelopes.records(envelope, payload);
    Engine e = engine.get();
    if (payload.process() != null) {
      e.store().importProcess(payload.process().version(), payload.process().xml());
    }
    String id = payload.instanceId();
    try {
      long last = e.replicate(id, envelope.epoch(), records);
      applied.addAndGet(records.size());
      if (payload.sync()) {
        // The owner's caller waits for this: acknowledged at once.
        bus.publish(
            ReplicationEnvelopes.ack(
                cloud, envelope.sourceCloud(), Map.of(id, last), clock.instant()));
      } else {
        toAcknowledge
            .computeIfAbsent(envelope.sourceCloud(), k -> new ConcurrentHashMap<>())
            .merge(id, last, Math::max);
      }
    } catch (CommandRejectedException rejected) {
      if (rejected.getMessage().startsWith(ProcessingResult.TAKEN_OVER)) {
        if (records.getFirst().seq() != 1) {
          // Only the whole log can replace ours: ask for it.
          bus.publish(
              ReplicationEnvelopes.resync(cloud, envelope.sourceCloud(), id, 1, clock.instant()));
          return;
        }
        long epochHere = e.instance(id).map(InstanceState::epoch).orElse(0L);
        List<EventRecord> tail = e.adoptLog(id, envelope.epoch(), records);
        if (tail.isEmpty()) {
          LOG.info(
              "event=replica_adopted instance={} from={} epoch={}",
              id,
              envelope.sourceCloud(),
              envelope.epoch());
        } else {
          LOG.warn(
              "event=replica_adopted instance={} from={} epoch={} conflicting={} (reported to {})",
              id,
              envelope.sourceCloud(),
              envelope.epoch(),
              tail.size(),
              envelope.sourceCloud());
        }
        toAcknowledge
            .computeIfAbsent(envelope.sourceCloud(), k -> new ConcurrentHashMap<>())
            .merge(id, records.getLast().seq(), Math::max);
        if (!tail.isEmpty()) {
          bus.publish(
              ReplicationEnvelopes.conflict(
                  cloud, envelope.sourceCloud(), id, epochHere, tail, clock.instant()));
        }
        return;
      }
      if (rejected.getMessage().startsWith(ProcessingResult.GAP)) {
        long have = e.instance(id).map(InstanceState::lastSeq).orElse(0L);
        LOG.info(
            "event=replication_gap instance={} owner={} have={} got={} (asked again)",
            id,
            envelope.sourceCloud(),
            have,
            records.getFirst().seq());
        bus.publish(
            ReplicationEnvelopes.resync(
                cloud, envelope.sourceCloud(), id, have + 1, clock.instant()));
        return;
      }
      InstanceState here = e.instance(id).orElse(null);
      if (here != null
          && cloud.equals(here.ownerCloud())
          && here.epoch() >= envelope.epoch()
          && here.lastSeq() >= records.getLast().seq()) {
        // A copy of a log this cloud adopted already (a fail-back's log sent twice, once asked
        // for): what it carries is stored here, so its sender may stop waiting for it.
        toAcknowledge
            .computeIfAbsent(envelope.sourceCloud(), k -> new ConcurrentHashMap<>())
            .merge(id, records.getLast().seq(), Math::max);
        LOG.info(
            "event=replication_known instance={} from={} epoch={} (owned here since epoch {})",
            id,
            envelope.sourceCloud(),
            envelope.epoch(),
            here.epoch());
        return;
      }
      refused.incrementAndGet();
      LOG.warn(
          "event=replication_refused instance={} from={} epoch={} reason=\"{}\"",
          id,
          envelope.sourceCloud(),
          envelope.epoch(),
          rejected.getMessage());
    }
  }

  /** Events applied to replicas so far. */
  public long applied() {
    return applied.get();
  }

  /** Shipments refused for good (stale owner, old epoch). */
  public long refused() {
    return refused.get();
  }

  private void sendAcks() {
    for (String owner : List.copyOf(toAcknowledge.keySet())) {
      Map<String, Long> pending = toAcknowledge.get(owner);
      if (pending == null || pending.isEmpty()) {
        continue;
      }
      Map<String, Long> batch = new HashMap<>();
      for (String id : List.copyOf(pending.keySet())) {
        Long seq = pending.remove(id);
        if (seq != null) {
          batch.put(id, seq);
        }
      }
      try {
        bus.publish(ReplicationEnvelopes.ack(cloud, owner, batch, clock.instant()));
      } catch (RuntimeException e) {
        batch.forEach((id, seq) -> pending.merge(id, seq, Math::max)); // next round
        LOG.debug("event=replication_ack_not_sent owner={} error=\"{}\"", owner, e.toString());
      }
    }
  }

  @Override
  public void close() {
    acks.shutdownNow();
  }
}
