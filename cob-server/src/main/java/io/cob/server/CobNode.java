package io.cob.server;

import io.cob.connectors.Connectors;
import io.cob.engine.Engine;
import io.cob.engine.port.BlobStore;
import io.cob.engine.port.Store;
import io.cob.server.api.BlobsApi;
import io.cob.server.api.CallbacksApi;
import io.cob.server.api.ClockApi;
import io.cob.server.api.DeploymentsApi;
import io.cob.server.api.IncidentsApi;
import io.cob.server.api.InstancesApi;
import io.cob.server.api.JobsApi;
import io.cob.server.api.MessagesApi;
import io.cob.server.api.ProcessStatisticsApi;
import io.cob.server.api.ProcessesApi;
import io.cob.server.api.SystemApi;
import io.cob.server.api.TasksApi;
import io.cob.server.clock.DevClock;
import io.cob.server.config.NodeConfig;
import io.cob.server.console.ConsoleAssets;
import io.cob.server.http.HttpServer;
import io.cob.server.http.Router;
import io.cob.server.metrics.NodeMetrics;
import io.cob.store.jdbc.JdbcStore;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running cob node: the store, the engine on it and the REST API in front, as configured by a
 * {@link NodeConfig}. Several nodes of one cloud may share one PostgreSQL store: jobs and timers
 * are claimed through the store with lock expiry, and commands for one instance are serialised by
 * the store's optimistic version check (the engine retries on fresh state).
 *
 * <p>{@link #start} returns once the API answers; {@link #close} stops the API first, then the
 * engine, then the store. Thread-safe.
 */
public final class CobNode implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CobNode.class);

  private final NodeConfig config;
  private final Store store;
  private final Engine engine;
  private final Connectors connectors;
  private final Router router;
  private final HttpServer http;
  private final DevClock devClock;

  private CobNode(
      NodeConfig config,
      Store store,
      Engine engine,
      Connectors connectors,
      Router router,
      HttpServer http,
      DevClock devClock) {
    this.config = config;
    this.store = store;
    this.engine = engine;
    this.connectors = connectors;
    this.router = router;
    this.http = http;
    this.devClock = devClock;
  }

  /**
   * Opens the store, starts the engine and the HTTP server.
   *
   * @throws io.cob.engine.port.StoreException when the store cannot be opened
   * @throws IllegalStateException when the port is taken
   */
  public static CobNode start(NodeConfig config) {
    Store store = JdbcStore.open(config.storeUrl());
    Engine engine = null;
    Connectors connectors = null;
    try {
      DevClock devClock = config.devClock() ? new DevClock(Clock.systemUTC()) : null;
      Clock clock = devClock != null ? devClock : Clock.systemUTC();
      NodeMetrics metrics = new NodeMetrics(store, config.nodeId(), config.cloud());
      AtomicReference<Engine> engineRef = new AtomicReference<>();
      AtomicReference<URI> address = new AtomicReference<>();
      connectors =
          Connectors.standard(
              NodeConnectors.context(config, store, clock, engineRef::get, address::get));
      Engine.Builder builder =
          Engine.builder(store)
              .clock(clock)
              .nodeId(config.nodeId())
              .cloud(config.cloud())
              .commitListener(metrics);
      connectors.handlers().forEach(builder::jobHandler);
      engine = builder.build();
      engineRef.set(engine);
      engine.start();
      Router router = routes(engine, metrics, config, devClock, connectors.context().blobs());
      HttpServer http = new HttpServer("0.0.0.0", config.httpPort(), router, metrics).start();
      address.set(
          URI.create(
              config.publicUrl() != null
                  ? config.publicUrl().replaceAll("/+$", "")
                  : "http://127.0.0.1:" + http.port()));
      LOG.info(
          "event=node_started node={} cloud={} port={} store={} bus={} devClock={}",
          config.nodeId(),
          config.cloud(),
          http.port(),
          redact(config.storeUrl()),
          config.busUrl(),
          config.devClock());
      return new CobNode(config, store, engine, connectors, router, http, devClock);
    } catch (RuntimeException e) {
      if (engine != null) {
        engine.close();
      }
      if (connectors != null) {
        connectors.close();
      }
      store.close();
      throw e;
    }
  }

  /** The URL without its password, for logs. */
  static String redact(String url) {
    return url.replaceAll("(?i)(password=)[^&;]*", "$1***")
        .replaceAll("//[^/@]*:[^/@]*@", "//***@");
  }

  /** Every endpoint of the node. */
  static Router routes(
      Engine engine, NodeMetrics metrics, NodeConfig config, DevClock devClock, BlobStore blobs) {
    Router r = new Router();
    new DeploymentsApi(engine, metrics).register(r);
    new ProcessesApi(engine.store()).register(r);
    new ProcessStatisticsApi(engine).register(r);
    new InstancesApi(engine, metrics).register(r);
    new MessagesApi(engine, metrics).register(r);
    new TasksApi(engine, metrics).register(r);
    new JobsApi(engine, metrics).register(r);
    new CallbacksApi(engine, metrics, NodeConnectors.callbackKey(engine.store())).register(r);
    new IncidentsApi(engine, metrics).register(r);
    new ClockApi(engine, devClock).register(r);
    new SystemApi(engine.store(), metrics, config).register(r);
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

  /** The dev clock, or {@code null} when the node runs on the real clock. */
  public DevClock devClock() {
    return devClock;
  }

  /** Waits until the engine has nothing queued; for tests and orderly shutdown. */
  public boolean awaitIdle(Duration timeout) {
    return engine.awaitIdle(timeout);
  }

  @Override
  public void close() {
    http.close();
    engine.close();
    connectors.close();
    store.close();
    LOG.info("event=node_stopped node={}", config.nodeId());
  }
}
