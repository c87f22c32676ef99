package io.cob.server;

import io.cob.connectors.Connectors;
import io.cob.engine.Engine;
import io.cob.engine.jobs.LogJobHandler;
import io.cob.engine.jobs.NoopJobHandler;
import io.cob.engine.port.BlobStore;
import io.cob.engine.port.CloudDirectory;
import io.cob.engine.port.CommitListener;
import io.cob.engine.port.JobHandler;
import io.cob.engine.port.OwnershipFence;
import io.cob.engine.port.Store;
import io.cob.engine.state.InstanceState;
import io.cob.server.api.BlobsApi;
import io.cob.server.api.CallbacksApi;
import io.cob.server.api.ClockApi;
import io.cob.server.api.CloudsApi;
import io.cob.server.api.DeploymentsApi;
import io.cob.server.api.IncidentsApi;
import io.cob.server.api.InstancesApi;
import io.cob.server.api.JobsApi;
import io.cob.server.api.MessagesApi;
import io.cob.server.api.ProcessStatisticsApi;
import io.cob.server.api.ProcessesApi;
import io.cob.server.api.SystemApi;
import io.cob.server.api.TasksApi;
import io.cob.server.bus.BusMetrics;
import io.cob.server.bus.NodeBus;
import io.cob.server.clock.DevClock;
import io.cob.server.clouds.DownCloudReplacer;
import io.cob.server.clouds.NodeCloudDirectory;
import io.cob.server.clouds.RunningInstanceCounter;
import io.cob.server.config.NodeConfig;
import io.cob.server.console.ConsoleAssets;
import io.cob.server.http.HttpServer;
import io.cob.server.http.Router;
import io.cob.server.metrics.NodeMetrics;
import io.cob.server.replication.OwnershipGuard;
import io.cob.server.replication.Replication;
import io.cob.server.replication.ReplicationPlan;
import io.cob.server.replication.Residency;
import io.cob.server.tracing.NodeTracing;
import io.cob.server.tracing.TracedStep;
import io.cob.server.xcloud.CrossCloud;
import io.cob.server.xcloud.RoutingJobOutcomes;
import io.cob.store.jdbc.JdbcStore;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running cob node: the store, the node's place on the bus between clouds, the engine on the
 * store and the REST API in front, as configured by a {@link NodeConfig}. Several nodes of one
 * cloud may share one PostgreSQL store: jobs and timers are claimed through the store with lock
 * expiry, and commands for one instance are serialised by the store's optimistic version check (the
 * engine retries on fresh state).
 *
 * <p>The bus ({@link NodeBus}): the node announces itself, hears every other node's heartbeats and
 * knows every cloud's health ({@link #clouds()}, {@code GET /api/v1/clouds}, {@code /metrics},
 * {@code /health}); the engine places steps by it, and places again the jobs out on a cloud that
 * goes DOWN ({@link DownCloudReplacer}). Several nodes in one JVM on {@code memory:} (or the same
 * {@code memory:NAME}) are several clouds on one in-memory broker.
 *
 * <p>Cross-cloud steps ({@link CrossCloud}): jobs placed on another cloud are sent there over the
 * bus and their outcomes applied here when they come back; the node consumes its own cloud's queue
 * and runs the jobs other clouds send it with the same handlers as its own jobs.
 *
 * <p>Tracing ({@link NodeTracing}, {@code tracing.*}): off unless configured; when on, the API call
 * that starts an instance, every step the node runs, every connector call and every hop over the
 * bus are spans of the instance's one trace, exported over OTLP.
 *
 * <p>{@link #start} returns once the API answers; {@link #close} stops the API first, then the
 * cross-cloud consumers, the re-placement of jobs, the counting of running instances, the engine,
 * the heartbeats, the bus, the store, and last the tracing (sending the spans still pending).
 * Thread-safe.
 */
public final class CobNode implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CobNode.class);

  private final NodeConfig config;
  private final Store store;
  private final NodeBus bus;
  private final NodeCloudDirectory clouds;
  private final DownCloudReplacer replacer;
  private final RunningInstanceCounter instanceCounter;
  private final Engine engine;
  private final Connectors connectors;
  private final CrossCloud crossCloud;
  private final Replication replication;
  private final OwnershipGuard ownership;
  private final Router router;
  private final HttpServer http;
  private final DevClock devClock;
  private final NodeTracing tracing;

  private CobNode(
      NodeConfig config,
      Store store,
      NodeBus bus,
      NodeCloudDirectory clouds,
      DownCloudReplacer replacer,
      RunningInstanceCounter instanceCounter,
      Engine engine,
      Connectors connectors,
      CrossCloud crossCloud,
      Replication replication,
      OwnershipGuard ownership,
      Router router,
      HttpServer http,
      DevClock devClock,
      NodeTracing tracing) {
    this.instanceCounter = instanceCounter;
    this.config = config;
    this.store = store;
    this.bus = bus;
    this.clouds = clouds;
    this.replacer = replacer;
    this.engine = engine;
    this.connectors = connectors;
    this.crossCloud = crossCloud;
    this.replication = replication;
    this.ownership = ownership;
    this.router = router;
    this.http = http;
    this.devClock = devClock;
    this.tracing = tracing;
  }

  /**
   * Opens the store, joins the bus, starts the engine and the HTTP server.
   *
   * @throws io.cob.engine.port.StoreException when the store cannot be opened
   * @throws io.cob.engine.port.bus.BusException when the broker cannot be reached
   * @throws io.cob.server.config.ConfigException when an {@code amqp://} bus lacks keys
   * @throws IllegalStateException when the port is taken
   */
  public static CobNode start(NodeConfig config) {
    return start(config, Map.of());
  }

  /**
   * Starts a node that also runs jobs of the types in {@code extraHandlers} (for tests and
   * embedding: handlers written in Java next to the connectors), for this cloud's steps and for the
   * jobs other clouds send here. A type named here replaces a connector of the same type.
   *
   * @see #start(NodeConfig)
   */
  public static CobNode start(NodeConfig config, Map<String, JobHandler> extraHandlers) {
    return start(config, extraHandlers, null);
  }

  /**
   * Starts a node whose spans go to {@code spanExporter} rather than to the OTLP endpoint of {@code
   * tracing.otlp.endpoint} (for tests and embedding); the node then traces whatever the
   * configuration says of the endpoint.
   *
   * @param spanExporter where spans go, or {@code null} for what the configuration says
   * @see #start(NodeConfig, Map)
   */
  public static CobNode start(
      NodeConfig config, Map<String, JobHandler> extraHandlers, SpanExporter spanExporter) {
    NodeTracing tracing = NodeTracing.start(config, spanExporter);
    Store store;
    try {
      store = JdbcStore.open(config.storeUrl());
    } catch (RuntimeException e) {
      tracing.close();
      throw e;
    }
    NodeBus bus = null;
    Engine engine = null;
    DownCloudReplacer replacer = null;
    RunningInstanceCounter instanceCounter = null;
    Connectors connectors = null;
    CrossCloud crossCloud = null;
    Replication replication = null;
    OwnershipGuard ownership = null;
    try {
      DevClock devClock = config.devClock() ? new DevClock(Clock.systemUTC()) : null;
      Clock clock = devClock != null ? devClock : Clock.systemUTC();
      NodeMetrics metrics = new NodeMetrics(store, config.nodeId(), config.cloud());
      bus = NodeBus.start(config, Clock.systemUTC());
      metrics.bind(new BusMetrics(bus));
      NodeCloudDirectory clouds = new NodeCloudDirectory(config, bus.topology());
      AtomicReference<Engine> engineRef = new AtomicReference<>();
      AtomicReference<URI> address = new AtomicReference<>();
      // Real time for envelopes and run times, never the dev clock (see NodeBus).
      crossCloud =
          CrossCloud.prepare(
              bus.bus(),
              config,
              store,
              engineRef::get,
              config.bus().jobs(),
              Clock.systemUTC(),
              tracing);
      connectors =
          Connectors.standard(
              NodeConnectors.context(
                  config, store, clock, crossCloud.outcomes(), address::get, tracing.telemetry()));
      // Every step this node runs, its cloud's or another's, is a traced step.
      Map<String, JobHandler> handlers =
          TracedStep.wrap(
              handlers(connectors, extraHandlers), tracing, config.cloud(), config.nodeId());
      replication =
          Replication.start(
              bus.bus(),
              config.cloud(),
              new ReplicationPlan(
                  config.cloud(),
                  config.clouds(),
                  clouds,
                  (id, version) ->
                      java.util.Optional.ofNullable(engineRef.get())
                          .flatMap(e -> e.definition(id, version))),
              store,
              engineRef::get,
              crossCloud,
              new Residency(engineRef::get, store, config.clouds()),
              Clock.systemUTC());
      Replication started = replication;
      metrics.bind(started.meters());
      Map<String, List<String>> standbys = OwnershipGuard.standbys(config.clouds());
      if (OwnershipGuard.needed(config.cloud(), standbys)) {
        ownership =
            new OwnershipGuard(
                    bus.bus(),
                    config.cloud(),
                    config.nodeId(),
                    standbys,
                    config.bus().ownership(),
                    started,
                    Clock.systemUTC())
                .start();
      }
      engine =
          engine(
              config,
              store,
              clock,
              metrics,
              handlers,
              clouds,
              crossCloud,
              replication,
              ownership == null ? OwnershipFence.NONE : ownership,
              tracing);
      engineRef.set(engine);
      engine.start();
      crossCloud.start(handlers);
      replacer =
          DownCloudReplacer.start(
              engine,
              bus.topology(),
              bus.health(),
              config.bus().heartbeatInterval(),
              config.bus().heartbeat().suspectAge(),
              config.nodeId());
      instanceCounter =
          RunningInstanceCounter.start(
              store,
              config.cloud(),
              bus::reportInstances,
              config.bus().heartbeatInterval(),
              config.nodeId());
      Router router =
          routes(
              engine,
              metrics,
              config,
              devClock,
              connectors.context().blobs(),
              bus,
              clouds,
              crossCloud.outcomes(),
              replication,
              ownership,
              tracing);
      HttpServer http = new HttpServer("0.0.0.0", config.httpPort(), router, metrics).start();
      address.set(
          URI.create(
              config.publicUrl() != null
                  ? config.publicUrl().replaceAll("/+$", "")
                  : "http://127.0.0.1:" + http.port()));
      LOG.info(
          "event=node_started node={} cloud={} port={} store={} bus={} devClock={} tracing={}",
          config.nodeId(),
          config.cloud(),
          http.port(),
          redact(config.storeUrl()),
          redact(config.busUrl()),
          config.devClock(),
          tracing.enabled());
      return new CobNode(
          config,
          store,
          bus,
          clouds,
          replacer,
          instanceCounter,
          engine,
          connectors,
          crossCloud,
          replication,
          ownership,
          router,
          http,
          devClock,
          tracing);
    } catch (RuntimeException e) {
      closeStarted(
          e,
          crossCloud,
          replacer,
          instanceCounter,
          engine,
          ownership,
          replication,
          connectors,
          bus,
          store);
      closeStarted(e, crossCloud, replacer, engine, connectors, bus, store, tracing);
      throw e;
    }
  }

  /** Closes the parts started before a failed start, in order; {@code null} ones never started. */
  private static void closeStarted(RuntimeException failure, AutoCloseable... parts) {
    for (AutoCloseable part : parts) {
      if (part != null) {
        try {
          part.close();
        } catch (Exception e) {
          failure.addSuppressed(e);
        }
      }
    }
  }

  /** The node's job handlers by type: the built-ins, the connectors, then the extra ones. */
  private static Map<String, JobHandler> handlers(
      Connectors connectors, Map<String, JobHandler> extra) {
    Map<String, JobHandler> handlers = new LinkedHashMap<>();
    handlers.put(NoopJobHandler.TYPE, new NoopJobHandler());
    handlers.put(LogJobHandler.TYPE, new LogJobHandler());
    handlers.putAll(connectors.handlers());
    handlers.putAll(extra);
    return handlers;
  }

  /**
   * The engine of the node, placing steps by what {@code clouds} knows and sending those placed on
   * other clouds over the bus.
   */
  private static Engine engine(
      NodeConfig config,
      Store store,
      Clock clock,
      NodeMetrics metrics,
      Map<String, JobHandler> handlers,
      CloudDirectory clouds,
      CrossCloud crossCloud,
      Replication replication,
      OwnershipFence fence,
      NodeTracing tracing) {
    CommitListener ship = replication.commits();
    Engine.Builder builder =
        Engine.builder(store)
            .clock(clock)
            .nodeId(config.nodeId())
            .cloud(config.cloud())
            .clouds(clouds)
            .jobDispatch(crossCloud.dispatch(), crossCloud.dispatchLease())
            .fence(fence)
            .commitListener(
                new CommitListener() {
                  @Override
                  public void committed(
                      InstanceState state, List<io.cob.engine.event.EventRecord> events) {
                    // A replica's events were counted by the cloud that owns the instance.
                    if (state.ownerCloud() == null || state.ownerCloud().equals(config.cloud())) {
                      metrics.committed(state, events);
                    }
                    ship.committed(state, events);
                  }

                  @Override
                  public java.util.concurrent.CompletionStage<Void> stored(
                      InstanceState state, List<io.cob.engine.event.EventRecord> events) {
                    return ship.stored(state, events);
                  }
                })
            .commitTimer(metrics)
            .traceContext(tracing.traceContext());
    handlers.forEach(builder::jobHandler);
    return builder.build();
  }

  /** The URL without its password, for logs. */
  static String redact(String url) {
    return url.replaceAll("(?i)(password=)[^&;]*", "$1***")
        .replaceAll("//[^/@]*:[^/@]*@", "//***@");
  }

  /** Every endpoint of the node. */
  static Router routes(
      Engine engine,
      NodeMetrics metrics,
      NodeConfig config,
      DevClock devClock,
      BlobStore blobs,
      NodeBus bus,
      NodeCloudDirectory clouds,
      RoutingJobOutcomes outcomes,
      Replication replication,
      OwnershipGuard ownership,
      NodeTracing tracing) {
    Router r = new Router(config.requestLimits());
    new DeploymentsApi(engine, metrics).register(r);
    new ProcessesApi(engine.store()).register(r);
    new ProcessStatisticsApi(engine).register(r);
    new InstancesApi(engine, metrics, tracing).register(r);
    new MessagesApi(engine, metrics, tracing).register(r);
    new TasksApi(engine, metrics).register(r);
    new JobsApi(engine, metrics).register(r);
    new CallbacksApi(engine, metrics, NodeConnectors.callbackKey(engine.store()), outcomes)
        .register(r);
    new IncidentsApi(engine, metrics).register(r);
    new ClockApi(engine, devClock).register(r);
    new SystemApi(engine.store(), metrics, config, bus.health()).register(r);
    new CloudsApi(clouds, replication, ownership, metrics::stepsRanOn).register(r);
    new BlobsApi(blobs, config.blobMaxBytes()).register(r);
    ConsoleAssets.fromClasspath(CobNode.class.getClassLoader()).ifPresent(c -> c.register(r));
    return r;
  }

  public NodeConfig config() {
    return config;
  }

  public int port() {
    return http.port();
  }

  /** {@code http://127.0.0.1:PORT} */
  public URI baseUri() {
    return URI.create("http://127.0.0.1:" + port());
  }

  /** The node's HTTP side, e.g. for its {@link HttpServer#inMemory() in-memory connector}. */
  public HttpServer http() {
    return http;
  }

  public Router router() {
    return router;
  }

  public Engine engine() {
    return engine;
  }

  /** The connectors this node runs, by job type. */
  public Connectors connectors() {
    return connectors;
  }

  /** The node's place on the bus: the signed bus, the topology, counters and connection health. */
  public NodeBus bus() {
    return bus;
  }

  /** The clouds as this node knows them (attributes and health); what placement reads. */
  public NodeCloudDirectory clouds() {
    return clouds;
  }

  /** What places again the jobs out on a cloud that goes DOWN. */
  public DownCloudReplacer replacer() {
    return replacer;
  }

  /** The dev clock, or {@code null} when the node runs on the real clock. */
  public DevClock devClock() {
    return devClock;
  }

  /** Waits until the engine has nothing queued; for tests and orderly shutdown. */
  public boolean awaitIdle(Duration timeout) {
    return engine.awaitIdle(timeout);
  }

  /** The node's tracing (spans of its commands, steps and bus hops). */
  public NodeTracing tracing() {
    return tracing;
  }

  /** The node's cross-cloud steps: jobs sent to other clouds and run for them. */
  public CrossCloud crossCloud() {
    return crossCloud;
  }

  /** The node's ownership lease, or empty when its cloud has no part in fail-over. */
  public java.util.Optional<OwnershipGuard> ownership() {
    return java.util.Optional.ofNullable(ownership);
  }

  /** The node's replication: standbys of its cloud, replicas of others, fail-over. */
  public Replication replication() {
    return replication;
  }

  @Override
  public void close() {
    http.close();
    crossCloud.close();
    if (ownership != null) {
      ownership.close();
    }
    replication.close();
    replacer.close();
    instanceCounter.close();
    engine.close();
    connectors.close();
    bus.close();
    store.close();
    tracing.close();
    LOG.info("event=node_stopped node={}", config.nodeId());
  }
}
