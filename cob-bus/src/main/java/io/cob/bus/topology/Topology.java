package io.cob.bus.topology;

import io.cob.bus.BusCounters.Traffic;
import io.cob.engine.port.IdGenerator;
import io.cob.engine.port.bus.Bus;
import io.cob.engine.port.bus.BusException;
import io.cob.engine.port.bus.Envelope;
import io.cob.engine.port.bus.Subscription;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node's picture of the clouds: it {@linkplain Bus#announce announces} a heartbeat every
 * interval, listens to everybody else's, and derives every cloud's {@link CloudHealth} from how
 * long ago a heartbeat of one of its nodes arrived ({@link TopologySettings}).
 *
 * <p><b>Time.</b> Every age is measured on this node's {@link Clock} between the arrival of a
 * heartbeat and now, never by comparing another node's timestamps with ours, so clock skew between
 * clouds does not change health. Latency is measured the same way: each heartbeat echoes the send
 * times of the heartbeats its node received, with how long it held them ({@link Heartbeat}); the
 * round trip is {@code now - our sentAt - held}, and the one-way latency estimate is half of it (a
 * symmetric-path assumption), smoothed over heartbeats. A round trip includes the broker's
 * queueing, so it is the latency the bus gives, not the network's.
 *
 * <p><b>Reports.</b> Each heartbeat also carries this node's {@link NodeReport} (its cloud's
 * running instances and what it sent on the bus, from {@link #reportWith}); a cloud's {@link
 * CloudView} shows the instances as its most recently heard node counted them and the traffic its
 * nodes sent, summed. So every node shows every cloud's figures, a heartbeat interval old at most,
 * without asking anyone.
 *
 * <p><b>Start-up.</b> A cloud not heard from since this node started is SUSPECT, and DOWN when
 * {@code downAfter} intervals passed since the start. This node's own cloud is always UP.
 *
 * <p><b>Driving it.</b> {@link #start()} listens; {@link #tick()} sends a heartbeat and
 * re-evaluates (tests call it after moving their clock); {@link
 * #runEvery(ScheduledExecutorService)} ticks every interval. A heartbeat that cannot be sent (bus
 * down, cloud cut off) is not retried: the next tick sends a fresh one.
 *
 * <p>Thread-safe: heartbeats arrive on the bus's thread, ticks on the timer's, reads on any.
 */
public final class Topology implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Topology.class);
  private static final double SMOOTHING = 0.25;

  private final Bus bus;
  private final String cloud;
  private final String nodeId;
  private final TopologySettings settings;
  private final Clock clock;
  private final IdGenerator ids;
  private final Instant startedAt;
  private final Set<String> clouds = new TreeSet<>();
  private final Map<String, Peer> peers = new HashMap<>();
  private final Map<String, CloudHealth> health = new HashMap<>();
  private final List<HealthListener> listeners = new CopyOnWriteArrayList<>();
  private volatile Supplier<NodeReport> reports = () -> NodeReport.NONE;
  private NodeReport announced = NodeReport.NONE;
  private Subscription subscription;
  private ScheduledFuture<?> ticking;
  private boolean sendFailing;

  /**
   * @param bus the bus to announce on (usually the {@code SignedBus})
   * @param cloud this node's cloud
   * @param nodeId this node's id, unique across clouds
   * @param knownClouds the configured clouds (others are added when they announce themselves)
   */
  public Topology(
      Bus bus,
      String cloud,
      String nodeId,
      Collection<String> knownClouds,
      TopologySettings settings,
      Clock clock,
      IdGenerator ids) {
    this.bus = Objects.requireNonNull(bus, "bus");
    this.cloud = Objects.requireNonNull(cloud, "cloud");
    this.nodeId = Objects.requireNonNull(nodeId, "nodeId");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.ids = Objects.requireNonNull(ids, "ids");
    this.startedAt = clock.instant();
    clouds.addAll(knownClouds);
    clouds.add(cloud);
    for (String c : clouds) {
      health.put(c, c.equals(cloud) ? CloudHealth.UP : CloudHealth.SUSPECT);
    }
  }

  /** Starts listening to heartbeats. */
  public synchronized void start() {
    if (subscription == null) {
      subscription = bus.listen(cloud, (envelope, delivery) -> receive(envelope));
    }
  }

  /** Ticks every interval on this scheduler, starting now, until {@link #close()}. */
  public synchronized void runEvery(ScheduledExecutorService scheduler) {
    if (ticking == null) {
      long millis = settings.interval().toMillis();
      ticking = scheduler.scheduleAtFixedRate(this::tickQuietly, 0, millis, TimeUnit.MILLISECONDS);
    }
  }

  /** Receives health changes from now on. */
  public void addListener(HealthListener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /**
   * Where this node's heartbeats take its {@link NodeReport} from from now on. The supplier runs on
   * the heartbeat's thread at every tick and must be quick (read figures counted elsewhere, never
   * count them there): a slow one would delay the heartbeat and make this node look SUSPECT.
   */
  public void reportWith(Supplier<NodeReport> source) {
    this.reports = Objects.requireNonNull(source, "source");
  }

  /** Sends this node's heartbeat, then re-evaluates every cloud's health. */
  public void tick() {
    Envelope heartbeat = nextHeartbeat(currentReport());
    try {
      bus.announce(heartbeat);
      synchronized (this) {
        if (sendFailing) {
          LOG.info("event=heartbeat_resumed cloud={} node={}", cloud, nodeId);
        }
        sendFailing = false;
      }
    } catch (BusException e) {
      synchronized (this) {
        if (!sendFailing) {
          LOG.warn(
              "event=heartbeat_not_sent cloud={} node={} error=\"{}\"",
              cloud,
              nodeId,
              e.getMessage());
        }
        sendFailing = true;
      }
    }
    evaluate();
  }

  /** Re-computes every cloud's health at the clock's current time and tells the listeners. */
  public synchronized void evaluate() {
    Instant now = clock.instant();
    for (String c : clouds) {
      update(c, healthOf(c, now), now);
    }
  }

  /** The health of a cloud; DOWN for a cloud never configured nor heard of. */
  public synchronized CloudHealth health(String cloudName) {
    return health.getOrDefault(cloudName, CloudHealth.DOWN);
  }

  /** Every known cloud, by name. */
  public synchronized List<CloudView> clouds() {
    List<CloudView> views = new ArrayList<>();
    for (String c : clouds) {
      views.add(view(c));
    }
    return views;
  }

  /** One cloud, if known. */
  public synchronized Optional<CloudView> cloud(String cloudName) {
    return clouds.contains(cloudName) ? Optional.of(view(cloudName)) : Optional.empty();
  }

  /** Every other node heard from, by node id. */
  public synchronized List<NodeView> nodes() {
    return peers.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .map(e -> e.getValue().view(e.getKey()))
        .toList();
  }

  /** Stops ticking and listening. */
  @Override
  public synchronized void close() {
    if (ticking != null) {
      ticking.cancel(false);
    }
    if (subscription != null) {
      subscription.close();
    }
  }

  /** Handles one received envelope; ignores what is not another node's heartbeat. */
  void receive(Envelope envelope) {
    if (!Heartbeat.TYPE.equals(envelope.type())) {
      return;
    }
    Heartbeat hb;
    try {
      hb = Heartbeat.fromJson(envelope.payload());
    } catch (IllegalArgumentException e) {
      LOG.warn(
          "event=heartbeat_malformed message={} source={} error=\"{}\"",
          envelope.messageId(),
          envelope.sourceCloud(),
          e.getMessage());
      return;
    }
    if (!hb.cloud().equals(envelope.sourceCloud())) {
      LOG.warn(
          "event=heartbeat_malformed message={} source={} error=\"claims cloud {}\"",
          envelope.messageId(),
          envelope.sourceCloud(),
          hb.cloud());
      return;
    }
    if (!hb.node().equals(nodeId)) {
      heard(hb);
    }
  }

  private synchronized void heard(Heartbeat hb) {
    Instant now = clock.instant();
    if (clouds.add(hb.cloud())) {
      LOG.info("event=cloud_discovered cloud={} node={}", hb.cloud(), hb.node());
      health.put(hb.cloud(), CloudHealth.SUSPECT);
    }
    Peer peer = peers.computeIfAbsent(hb.node(), n -> new Peer(hb.cloud()));
    peer.heard(hb, now);
    for (Heartbeat.Echo echo : hb.echo()) {
      if (echo.node().equals(nodeId)) {
        long roundTrip = now.toEpochMilli() - echo.sentAt() - echo.heldMillis();
        if (roundTrip >= 0) {
          peer.measured(roundTrip);
        }
      }
    }
    update(hb.cloud(), healthOf(hb.cloud(), now), now);
  }

  /** This node's report now; nothing when the supplier fails (the heartbeat goes out anyway). */
  private NodeReport currentReport() {
    try {
      NodeReport report = reports.get();
      return report == null ? NodeReport.NONE : report;
    } catch (RuntimeException e) {
      LOG.warn("event=node_report_failed cloud={} node={} error=\"{}\"", cloud, nodeId, e, e);
      return NodeReport.NONE;
    }
  }

  private synchronized Envelope nextHeartbeat(NodeReport report) {
    Instant now = clock.instant();
    List<Heartbeat.Echo> echo = new ArrayList<>();
    peers.forEach(
        (id, peer) -> {
          if (peer.echoSentAt != null) {
            long held = Math.max(0, now.toEpochMilli() - peer.echoReceivedAt.toEpochMilli());
            echo.add(new Heartbeat.Echo(id, peer.echoSentAt, held));
            peer.echoSentAt = null;
          }
        });
    announced = report;
    Heartbeat hb =
        new Heartbeat(
            nodeId,
            cloud,
            now.toEpochMilli(),
            echo,
            new TreeMap<>(health),
            report.instances(),
            report.sent());
    return Envelope.builder(ids.newId(), Heartbeat.TYPE, cloud)
        .sentAt(now)
        .headers(Map.of("content-type", "application/json", "node", nodeId))
        .payload(hb.toJson())
        .build();
  }

  private CloudHealth healthOf(String c, Instant now) {
    if (c.equals(cloud)) {
      return CloudHealth.UP;
    }
    Instant lastSeen = lastSeen(c);
    Duration age = Duration.between(lastSeen == null ? startedAt : lastSeen, now);
    if (age.compareTo(settings.downAge()) >= 0) {
      return CloudHealth.DOWN;
    }
    if (lastSeen == null || age.compareTo(settings.suspectAge()) >= 0) {
      return CloudHealth.SUSPECT;
    }
    return CloudHealth.UP;
  }

  private void update(String c, CloudHealth now, Instant at) {
    CloudHealth before = health.put(c, now);
    if (before == now) {
      return;
    }
    HealthChange change = new HealthChange(c, before, now, lastSeen(c), at);
    LOG.info(
        "event=cloud_health cloud={} from={} to={} lastSeen={} seenBy={}",
        c,
        before,
        now,
        change.lastSeen(),
        nodeId);
    for (HealthListener listener : listeners) {
      try {
        listener.changed(change);
      } catch (RuntimeException e) {
        LOG.warn("event=health_listener_failed cloud={} error=\"{}\"", c, e.toString());
      }
    }
  }

  private Instant lastSeen(String c) {
    return peers.values().stream()
        .filter(p -> p.cloud.equals(c))
        .map(p -> p.lastSeen)
        .max(Comparator.naturalOrder())
        .orElse(null);
  }

  private CloudView view(String c) {
    List<NodeView> nodes =
        peers.entrySet().stream()
            .filter(e -> e.getValue().cloud.equals(c))
            .sorted(Map.Entry.comparingByKey())
            .map(e -> e.getValue().view(e.getKey()))
            .toList();
    InstanceCounts instances = latestInstances(c);
    SortedMap<String, Traffic> sent = new TreeMap<>();
    for (NodeView n : nodes) {
      n.report().sent().forEach((target, t) -> sent.merge(target, t, Traffic::plus));
    }
    if (c.equals(cloud)) {
      // This node's own figures are the ones it announced last, as the other clouds see them.
      announced.sent().forEach((target, t) -> sent.merge(target, t, Traffic::plus));
      return new CloudView(
          c,
          CloudHealth.UP,
          clock.instant(),
          Duration.ZERO,
          nodes,
          announced.instances() != null ? announced.instances() : instances,
          sent);
    }
    Duration latency =
        nodes.stream()
            .map(NodeView::roundTrip)
            .filter(Objects::nonNull)
            .min(Comparator.naturalOrder())
            .map(rt -> rt.dividedBy(2))
            .orElse(null);
    return new CloudView(c, health.get(c), lastSeen(c), latency, nodes, instances, sent);
  }

  /**
   * The instances of a cloud as its most recently heard node counted them: the nodes of one cloud
   * share its store, so the latest count is the best.
   */
  private InstanceCounts latestInstances(String c) {
    return peers.values().stream()
        .filter(p -> p.cloud.equals(c) && p.report.instances() != null)
        .max(Comparator.comparing(p -> p.lastSeen))
        .map(p -> p.report.instances())
        .orElse(null);
  }

  private void tickQuietly() {
    try {
      tick();
    } catch (RuntimeException e) {
      // A scheduled task that throws is never run again: keep the heartbeat alive.
      LOG.error("event=heartbeat_tick_failed cloud={} node={} error=\"{}\"", cloud, nodeId, e, e);
    }
  }

  /** What this node knows of another node. Guarded by the topology's lock. */
  private static final class Peer {
    final String cloud;
    Instant lastSeen;
    Instant lastSentAt;
    Double roundTripMillis;
    Map<String, CloudHealth> reported = Map.of();
    NodeReport report = NodeReport.NONE;
    Long echoSentAt;
    Instant echoReceivedAt;

    Peer(String cloud) {
      this.cloud = cloud;
    }

    void heard(Heartbeat hb, Instant now) {
      lastSeen = now;
      lastSentAt = Instant.ofEpochMilli(hb.sentAt());
      reported = hb.view();
      report = hb.report();
      echoSentAt = hb.sentAt();
      echoReceivedAt = now;
    }

    void measured(long roundTrip) {
      roundTripMillis =
          roundTripMillis == null
              ? roundTrip
              : roundTripMillis + SMOOTHING * (roundTrip - roundTripMillis);
    }

    NodeView view(String id) {
      Duration rt =
          roundTripMillis == null ? null : Duration.ofNanos(Math.round(roundTripMillis * 1e6));
      return new NodeView(id, cloud, lastSeen, lastSentAt, rt, reported, report);
    }
  }
}
