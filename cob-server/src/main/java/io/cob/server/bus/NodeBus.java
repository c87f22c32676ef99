package io.cob.server.bus;

import io.cob.bus.BusCounters;
import io.cob.bus.BusKeys;
import io.cob.bus.BusUrl;
import io.cob.bus.EnvelopeSigner;
import io.cob.bus.SignedBus;
import io.cob.bus.amqp.AmqpAddress;
import io.cob.bus.amqp.AmqpBus;
import io.cob.bus.amqp.AmqpSettings;
import io.cob.bus.memory.MemoryBrokers;
import io.cob.bus.memory.MemoryBusLease;
import io.cob.bus.topology.InstanceCounts;
import io.cob.bus.topology.NodeReport;
import io.cob.bus.topology.Topology;
import io.cob.engine.port.IdGenerator;
import io.cob.engine.port.bus.Bus;
import io.cob.engine.port.bus.BusException;
import io.cob.server.config.BusConfig;
import io.cob.server.config.NodeConfig;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's place on the bus between clouds: the transport named by {@code bus.url}, wrapped in a
 * {@link SignedBus}, every configured cloud declared, and a {@link Topology} that announces this
 * node and tracks every cloud's health.
 *
 * <p><b>Transports.</b> {@code memory:} and {@code memory:NAME} lease the JVM-wide in-memory broker
 * of that name ({@link MemoryBrokers}), so several nodes in one JVM are several clouds on one
 * broker; without {@code bus.keys} their envelope keys are derived from the broker's secret, the
 * same in every node of the JVM. {@code amqp[s]://} connects to RabbitMQ with the configured keys,
 * which must cover this node's cloud pairs (an unsigned bus between clouds is refused); the first
 * connection is tried {@code bus.connect.attempts} times, later losses are recovered by the client.
 *
 * <p><b>Reports.</b> Each heartbeat carries this node's {@link NodeReport}: the running instances
 * of its cloud as last given to {@link #reportInstances} and what it sent on the bus by target
 * cloud ({@link BusCounters#sentByTarget()}), both read as they are, never counted on the
 * heartbeat's thread.
 *
 * <p><b>Time.</b> Heartbeats, health ages and envelope freshness run on real time ({@code
 * busClock}), never on a node's dev clock: moving a dev clock forward would otherwise make every
 * other cloud look DOWN (and have its steps re-placed), and other nodes would refuse this node's
 * envelopes as dated in the future.
 *
 * <p><b>Threads.</b> One daemon scheduler thread sends heartbeats and samples the connection every
 * {@code bus.heartbeat.interval}; heartbeats arrive on the transport's threads. {@link #close()}
 * stops the topology, the scheduler and then the transport (for a memory broker: this node's lease
 * only). Thread-safe.
 */
public final class NodeBus implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(NodeBus.class);

  private final SignedBus bus;
  private final Topology topology;
  private final BusCounters counters;
  private final BusHealth health;
  private final ScheduledExecutorService scheduler;
  private final Set<String> clouds;
  private final AtomicReference<InstanceCounts> instances;

  private NodeBus(
      SignedBus bus,
      Topology topology,
      BusCounters counters,
      BusHealth health,
      ScheduledExecutorService scheduler,
      Set<String> clouds,
      AtomicReference<InstanceCounts> instances) {
    this.instances = instances;
    this.bus = bus;
    this.topology = topology;
    this.counters = counters;
    this.health = health;
    this.scheduler = scheduler;
    this.clouds = clouds;
  }

  /**
   * Joins the bus: connects, declares the clouds and starts the heartbeats.
   *
   * @param busClock real time (see the class comment)
   * @throws io.cob.server.config.ConfigException when an {@code amqp://} bus lacks keys
   * @throws BusException when the broker cannot be reached after every attempt
   */
  public static NodeBus start(NodeConfig config, Clock busClock) {
    BusConfig settings = config.bus();
    Set<String> clouds = clouds(config);
    Transport transport = open(config, clouds);
    BusCounters counters = new BusCounters();
    SignedBus bus =
        new SignedBus(
            transport.bus(),
            new EnvelopeSigner(transport.keys()),
            settings.signing(),
            busClock,
            counters);
    ScheduledExecutorService scheduler = null;
    try {
      clouds.forEach(bus::declareCloud);
      Topology topology =
          new Topology(
              bus,
              config.cloud(),
              config.nodeId(),
              clouds,
              settings.heartbeat(),
              busClock,
              IdGenerator.timeOrderedUuids(busClock));
      AtomicReference<InstanceCounts> instances = new AtomicReference<>();
      topology.reportWith(() -> new NodeReport(instances.get(), counters.sentByTarget()));
      BusHealth health =
          new BusHealth(transport.connected(), settings.healthGrace(), busClock, config.nodeId());
      scheduler = scheduler(config.nodeId());
      topology.start();
      topology.runEvery(scheduler);
      long millis = settings.heartbeatInterval().toMillis();
      scheduler.scheduleAtFixedRate(health::check, millis, millis, TimeUnit.MILLISECONDS);
      LOG.info(
          "event=bus_joined node={} cloud={} bus={} clouds={} keys={} heartbeat={}",
          config.nodeId(),
          config.cloud(),
          transport.describe(),
          clouds,
          transport.keys().pairs(),
          settings.heartbeatInterval());
      return new NodeBus(bus, topology, counters, health, scheduler, clouds, instances);
    } catch (RuntimeException e) {
      if (scheduler != null) {
        scheduler.shutdownNow();
      }
      bus.close();
      throw e;
    }
  }

  /** The signed bus this node sends and receives on. */
  public SignedBus bus() {
    return bus;
  }

  /** This node's picture of the clouds. */
  public Topology topology() {
    return topology;
  }

  /** Envelopes accepted and refused, by reason. */
  public BusCounters counters() {
    return counters;
  }

  /** The running instances of this node's cloud, as counted last, for the next heartbeats. */
  public void reportInstances(InstanceCounts counts) {
    instances.set(counts);
  }

  /** The connection's health, for {@code /health}. */
  public BusHealth health() {
    return health;
  }

  /** The configured clouds and this node's own, in configuration order. */
  public Set<String> clouds() {
    return clouds;
  }

  /** Stops the heartbeats, then leaves the bus. Idempotent. */
  @Override
  public void close() {
    topology.close();
    scheduler.shutdownNow();
    bus.close();
  }

  /** The configured clouds, then this node's own if it is not among them. */
  static Set<String> clouds(NodeConfig config) {
    Set<String> clouds = new LinkedHashSet<>(config.clouds().keySet());
    clouds.add(config.cloud());
    return clouds;
  }

  private record Transport(Bus bus, BusKeys keys, BooleanSupplier connected, String describe) {}

  private static Transport open(NodeConfig config, Set<String> clouds) {
    BusConfig settings = config.bus();
    return switch (settings.transport()) {
      case BusUrl.Memory memory -> {
        MemoryBusLease lease = MemoryBrokers.lease(memory.name());
        BusKeys keys;
        try {
          keys = settings.keys().isEmpty() ? lease.keys(clouds) : settings.busKeys();
        } catch (RuntimeException e) {
          lease.close();
          throw e;
        }
        yield new Transport(
            lease, keys, () -> lease.isConnected(config.cloud()), "memory:" + memory.name());
      }
      case BusUrl.Amqp amqp -> {
        settings.requireKeys(config.cloud(), clouds);
        AmqpSettings amqpSettings = amqpSettings(config, amqp.address());
        AmqpBus bus = connect(amqp.address(), amqpSettings, settings);
        yield new Transport(
            bus,
            settings.busKeys(),
            bus::isConnected,
            amqp.address() + " namespace=" + amqpSettings.namespace());
      }
    };
  }

  /** The configured settings; the broker shows the connection by node unless named otherwise. */
  private static AmqpSettings amqpSettings(NodeConfig config, AmqpAddress address) {
    BusConfig settings = config.bus();
    if (!settings.amqp().containsKey("connectionName")
        && !address.options().containsKey("connectionName")) {
      settings = settings.withAmqp(Map.of("connectionName", "cob " + config.nodeId()));
    }
    return settings.amqpSettings(address);
  }

  /** The first connection, tried {@code bus.connect.attempts} times. */
  static AmqpBus connect(AmqpAddress address, AmqpSettings amqp, BusConfig settings) {
    int attempts = settings.connectAttempts();
    Duration pause = settings.connectInterval();
    BusException last = null;
    for (int attempt = 1; attempt <= attempts; attempt++) {
      try {
        return AmqpBus.connect(address, amqp);
      } catch (BusException e) {
        last = e;
        LOG.warn(
            "event=bus_connect_failed url={} attempt={} attempts={} error=\"{}\"",
            address,
            attempt,
            attempts,
            e.getMessage());
      }
      if (attempt < attempts) {
        pause(pause, address);
      }
    }
    throw new BusException(
        "the bus at %s did not answer after %d attempt%s %s apart (bus.connect.attempts,"
                .formatted(address, attempts, attempts == 1 ? "" : "s", pause)
            + " bus.connect.interval); is RabbitMQ running and bus.url right? Last error: "
            + last.getMessage(),
        last);
  }

  private static void pause(Duration pause, AmqpAddress address) {
    try {
      // Start-up only: nothing else runs on this thread yet.
      Thread.sleep(pause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BusException("interrupted while connecting to the bus at " + address, e);
    }
  }

  private static ScheduledExecutorService scheduler(String nodeId) {
    return Executors.newSingleThreadScheduledExecutor(
        r -> {
          Thread t = new Thread(r, "cob-heartbeat-" + nodeId);
          t.setDaemon(true);
          return t;
        });
  }
}
