package io.cob.server.replication;

import io.cob.engine.event.EventRecord;
import io.cob.engine.event.InstanceEvent.InstanceCreated;
import io.cob.engine.port.CommitListener;
import io.cob.engine.port.Store;
import io.cob.engine.port.bus.Bus;
import io.cob.engine.state.InstanceState;
import io.cob.server.replication.ReplicationEnvelopes.ShippedProcess;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ships the events this cloud commits for the instances it owns to its standby clouds, in order: a
 * commit only queues its events, a thread of its own sends them, a batch at a time and the
 * envelopes of a batch at once. In mode {@code async} the caller is answered at once; in mode
 * {@code sync} ({@link #stored}) once a standby acknowledged the events, which it does right after
 * storing them. A window of committed but unshipped events exists (what is queued when the node
 * dies); a standby that finds a gap asks for the events again ({@link #resend}), read from this
 * store, which holds the whole log.
 *
 * <p>Per standby it keeps, for each instance with events shipped but not yet acknowledged, when the
 * oldest of them was committed: the replication lag is the age of the oldest such event.
 *
 * <p>Thread-safe.
 */
public final class ReplicationShipper implements CommitListener, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ReplicationShipper.class);
  private static final int MAX_QUEUED = 200_000;
  private static final Duration RETRY = Duration.ofMillis(500);

  private final Bus bus;
  private final String cloud;
  private final ReplicationPlan plan;
  private final List<String> standbys;
  private final Store store;
  private final Clock clock;
  private final BlockingQueue<Shipment> queue = new LinkedBlockingQueue<>();
  private final Map<String, Map<String, Pending>> unacknowledged = new ConcurrentHashMap<>();
  private final Thread thread;
  private final ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor();
  private final Residency residency;
  private final Duration syncTimeout;

  /** Sync mode: callers waiting per instance for a standby to store up to a sequence number. */
  private final Map<String, java.util.NavigableMap<Long, List<CompletableFuture<Void>>>> waiting =
      new ConcurrentHashMap<>();

  /** Sync mode: the wait {@link #committed} registered, for {@link #stored} on the same thread. */
  private final ThreadLocal<CompletableFuture<Void>> registered = new ThreadLocal<>();

  private volatile boolean running = true;

  /**
   * @param targets the clouds that get these events: the instance's standbys, and the cloud it was
   *     handed over to if it was
   * @param sync whether the owner waits for a standby to store them
   */
  private record Shipment(
      String instanceId,
      long epoch,
      List<EventRecord> events,
      Instant at,
      List<String> targets,
      boolean sync) {}

  /** Shipped and not yet acknowledged: up to {@code seq}, the oldest committed at {@code since}. */
  private record Pending(long seq, Instant since) {}

  /** The lag of one standby: the age of its oldest unacknowledged event, and how many instances. */
  public record Lag(String standby, Duration lag, int instances) {}

  /**
   * @param plan which standbys each instance has, and whether a command on it counts as committed
   *     only once a standby stored its events
   * @param syncTimeout how long a caller waits for that in sync mode before it is told the command
   *     is committed here but not yet at a standby
   * @param residency what each standby may see of an instance's variables, or {@code null}: all
   */
  public ReplicationShipper(
      Bus bus,
      String cloud,
      ReplicationPlan plan,
      Store store,
      Clock clock,
      Duration syncTimeout,
      Residency residency) {
    this.bus = bus;
    this.residency = residency;
    this.syncTimeout = syncTimeout;
    this.cloud = cloud;
    this.plan = plan;
    this.standbys = plan.configured();
    this.store = store;
    this.clock = clock;
    standbys.forEach(s -> unacknowledged.put(s, new ConcurrentHashMap<>()));
    this.thread =
        Thread.ofPlatform().name("cob-replication-" + cloud).daemon(true).unstarted(this::run);
  }

  public ReplicationShipper start() {
    thread.start();
    return this;
  }

  /**
   * The standby clouds events are shipped to: this cloud's configured ones, and those processes
   * named ({@code cob:standby}) that events went to since the start.
   */
  public List<String> standbys() {
    List<String> out = new ArrayList<>(standbys);
    unacknowledged.keySet().stream().filter(s -> !out.contains(s)).sorted().forEach(out::add);
    return out;
  }

  @Override
  public void committed(InstanceState state, List<EventRecord> events) {
    if (events.isEmpty()) {
      return;
    }
    String handedTo = handedOverTo(events);
    if (handedTo == null && !cloud.equals(state.ownerCloud())) {
      return; // a replica's events
    }
    List<String> targets =
        new ArrayList<>(plan.standbys(state.processId(), state.version(), cloud));
    if (handedTo != null && !targets.contains(handedTo)) {
      targets.add(handedTo);
    }
    if (targets.isEmpty()) {
      return; // not replicated
    }
    boolean sync = handedTo == null && plan.sync(state.processId(), state.version());
    if (queue.size() >= MAX_QUEUED) {
      // The standby finds the gap with the next events of the instance and asks again.
      LOG.warn(
          "event=replication_queue_full cloud={} instance={} dropped={}",
          cloud,
          state.instanceId(),
          events.size());
      if (sync) {
        registered.set(
            CompletableFuture.failedFuture(
                new IllegalStateException(
                    "committed on cloud '"
                        + cloud
                        + "' but not replicated: the replication queue is full")));
      }
      return;
    }
    if (sync) {
      awaitAcknowledgement(state.instanceId(), events.getLast().seq());
    }
    queue.add(
        new Shipment(
            state.instanceId(),
            state.epoch(),
            events,
            clock.instant(),
            List.copyOf(targets),
            sync));
  }

  /** The cloud these events hand the instance over to from this one, or {@code null}. */
  private String handedOverTo(List<EventRecord> events) {
    if (events.getFirst().seq() == 1) {
      // A log from its first event is another cloud's, adopted here on a fail-back: the hand-over
      // from this cloud in it is the take-over of long ago, not one this commit made.
      return null;
    }
    for (EventRecord e : events) {
      if (e.event() instanceof io.cob.engine.event.InstanceEvent.OwnershipTaken o
          && cloud.equals(o.fromCloud())) {
        return o.toCloud();
      }
    }
    return null;
  }

  @Override
  public CompletionStage<Void> stored(InstanceState state, List<EventRecord> events) {
    CompletableFuture<Void> f = registered.get();
    registered.remove();
    if (f == null) {
      return CompletableFuture.completedFuture(null);
    }
    String id = state.instanceId();
    long seq = events.getLast().seq();
    return f.orTimeout(syncTimeout.toMillis(), TimeUnit.MILLISECONDS)
        .exceptionallyCompose(
            e ->
                CompletableFuture.failedFuture(
                    e instanceof java.util.concurrent.TimeoutException
                        ? new IllegalStateException(
                            "committed on cloud '%s' but no standby (%s) stored it within %s (replication sync): instance %s up to event %d"
                                .formatted(
                                    cloud,
                                    plan.standbys(state.processId(), state.version(), cloud),
                                    syncTimeout,
                                    id,
                                    seq))
                        : e));
  }

  /**
   * Sync mode: waits for the acknowledgement of these events, registered before they are queued
   * (the acknowledgement may come back before the writer asks {@link #stored}).
   */
  private void awaitAcknowledgement(String instanceId, long seq) {
    CompletableFuture<Void> f = new CompletableFuture<>();
    waiting
        .computeIfAbsent(instanceId, k -> new java.util.concurrent.ConcurrentSkipListMap<>())
        .computeIfAbsent(seq, k -> new java.util.concurrent.CopyOnWriteArrayList<>())
        .add(f);
    registered.set(f);
  }

  /** Sends a standby the events of an instance from {@code fromSeq} again, read from the store. */
  public void resend(String standby, String instanceId, long fromSeq) {
    List<EventRecord> log =
        store.history(instanceId).stream().filter(e -> e.seq() >= fromSeq).toList();
    if (log.isEmpty()) {
      return;
    }
    long epoch = store.instance(instanceId).map(i -> i.summary().epoch()).orElse(0L);
    ship(standby, new Shipment(instanceId, epoch, log, clock.instant(), List.of(standby), false));
  }

  /** A standby stored events up to these sequence numbers. */
  public void acknowledged(String standby, Map<String, Long> stored) {
    Map<String, Pending> pending = unacknowledged.get(standby);
    if (pending == null) {
      return;
    }
    if (!waiting.isEmpty()) {
      stored.forEach(
          (id, seq) -> {
            var byInstance = waiting.get(id);
            if (byInstance != null) {
              var done = byInstance.headMap(seq, true);
              done.values().forEach(list -> list.forEach(f -> f.complete(null)));
              done.clear();
              if (byInstance.isEmpty()) {
                waiting.remove(id, byInstance);
              }
            }
          });
    }
    stored.forEach((id, seq) -> pending.computeIfPresent(id, (k, p) -> seq >= p.seq() ? null : p));
  }

  /**
   * Waits until {@code target} has acknowledged everything shipped to it of these instances.
   *
   * @return false when the timeout passed first
   */
  public boolean awaitAcknowledged(
      String target, java.util.Collection<String> ids, Duration timeout) {
    long end = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < end) {
      Map<String, Pending> pending = unacknowledged.get(target);
      if (pending == null || ids.stream().noneMatch(pending::containsKey)) {
        return true;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return false;
  }

  /** The lag of every standby now. */
  public List<Lag> lags() {
    Instant now = clock.instant();
    List<Lag> out = new ArrayList<>();
    for (String s : standbys()) {
      Map<String, Pending> pending = unacknowledged.getOrDefault(s, Map.of());
      Instant oldest =
          pending.values().stream().map(Pending::since).min(Instant::compareTo).orElse(now);
      out.add(new Lag(s, Duration.between(oldest, now).abs(), pending.size()));
    }
    return out;
  }

  /** Events committed and not yet shipped. */
  public int queued() {
    return queue.size();
  }

  private void run() {
    List<Shipment> batch = new ArrayList<>();
    while (running) {
      try {
        Shipment first = queue.poll(200, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, 999);
        // One envelope per instance and standby, all sent at once: each waits for the broker's
        // confirm (a disk write for a durable queue), and one after the other the waits would add
        // up to seconds of lag for a batch of a few hundred instances. The next batch goes once
        // this one is confirmed, so an instance's events still leave in order.
        List<Callable<Void>> sends = new ArrayList<>();
        for (Shipment s : merge(batch)) {
          for (String target : s.targets()) {
            sends.add(
                () -> {
                  while (running && !ship(target, s)) {
                    Thread.sleep(RETRY.toMillis());
                  }
                  return null;
                });
          }
        }
        senders.invokeAll(sends);
        batch.clear();
      } catch (InterruptedException | RejectedExecutionException e) {
        return;
      }
    }
  }

  /** Consecutive shipments of one instance become one envelope, in commit order. */
  private static List<Shipment> merge(List<Shipment> batch) {
    Map<String, Shipment> byInstance = new LinkedHashMap<>();
    for (Shipment s : batch) {
      byInstance.merge(
          s.instanceId(),
          s,
          (a, b) -> {
            List<EventRecord> all = new ArrayList<>(a.events());
            all.addAll(b.events());
            List<String> targets = new ArrayList<>(a.targets());
            b.targets().stream().filter(t -> !targets.contains(t)).forEach(targets::add);
            return new Shipment(
                a.instanceId(), b.epoch(), all, a.at(), List.copyOf(targets), a.sync() || b.sync());
          });
    }
    return List.copyOf(byInstance.values());
  }

  private boolean ship(String standby, Shipment s) {
    try {
      ShippedProcess process = null;
      if (s.events().getFirst().event() instanceof InstanceCreated created) {
        process = process(created.processId(), created.version()).orElse(null);
      }
      // Noted before it is sent: its acknowledgement may come back before publish returns.
      long last = s.events().getLast().seq();
      unacknowledged
          .computeIfAbsent(standby, k -> new ConcurrentHashMap<>())
          .merge(
              s.instanceId(),
              new Pending(last, s.at()),
              (old, now) -> new Pending(Math.max(old.seq(), now.seq()), old.since()));
      bus.publish(
          ReplicationEnvelopes.events(
              cloud,
              standby,
              s.instanceId(),
              s.epoch(),
              residency == null
                  ? s.events()
                  : residency.redact(s.instanceId(), s.events(), standby),
              s.at(),
              process,
              s.sync(),
              clock.instant()));
      return true;
    } catch (RuntimeException e) {
      LOG.warn(
          "event=replication_not_sent cloud={} standby={} instance={} error=\"{}\" (retried)",
          cloud,
          standby,
          s.instanceId(),
          e.toString());
      return false;
    }
  }

  private Optional<ShippedProcess> process(String processId, int version) {
    return store
        .process(processId, version)
        .flatMap(
            pv -> store.processXml(processId, version).map(xml -> new ShippedProcess(pv, xml)));
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
    senders.shutdownNow();
    try {
      thread.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
