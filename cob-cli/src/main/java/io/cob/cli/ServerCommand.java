package io.cob.cli;

import io.cob.engine.port.StoreException;
import io.cob.engine.port.bus.BusException;
import io.cob.server.CobNode;
import io.cob.server.config.ConfigException;
import io.cob.server.config.ConfigLoader;
import io.cob.server.config.NodeConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cob server}: starts one node (engine + store + REST API) and runs until the process is
 * stopped (SIGTERM / Ctrl-C close it in order: API, engine, store).
 *
 * <p>Configuration: {@code cob.yaml} ({@code --config}, else {@code $COB_CONFIG}, else {@code
 * ./cob.yaml} when it exists), then {@code COB_…} environment variables, then these options. A bad
 * configuration exits with 2 before anything starts; a store that cannot be opened, or a bus broker
 * that never answers, with 1.
 */
@Command(
    name = "server",
    mixinStandardHelpOptions = true,
    description = "Starts a cob node: the engine, its store and the REST API under /api/v1.")
final class ServerCommand implements Callable<Integer> {

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "cob.yaml (default: $COB_CONFIG, else ./cob.yaml if present)")
  Path config;

  @Option(
      names = "--port",
      paramLabel = "N",
      description = "HTTP port (node.http.port; default 8080; 0 picks a free one)")
  Integer port;

  @Option(
      names = "--store",
      paramLabel = "JDBC_URL",
      description = "store URL (store.url; default jdbc:h2:file:./.cob/data)")
  String store;

  @Option(
      names = "--bus",
      paramLabel = "URL",
      description = "bus URL (bus.url; default memory:; memory:NAME, amqp://user:pw@host:5672)")
  String bus;

  @Option(
      names = "--node-id",
      paramLabel = "ID",
      description = "this node's id (node.id; unique among the nodes of a store)")
  String nodeId;

  @Option(names = "--cloud", paramLabel = "NAME", description = "this node's cloud (node.cloud)")
  String cloud;

  @Option(
      names = "--dev-clock",
      description = "let POST /api/v1/clock/advance move the engine clock (development only)")
  boolean devClock;

  @Override
  public Integer call() throws InterruptedException {
    NodeConfig c;
    try {
      c = resolve(System.getenv());
    } catch (ConfigException e) {
      System.err.println("cob: " + e.getMessage());
      return CobCommand.BAD_INPUT;
    }
    CobNode node;
    try {
      node = CobNode.start(c);
    } catch (ConfigException e) {
      System.err.println("cob: " + e.getMessage());
      return CobCommand.BAD_INPUT;
    } catch (StoreException | BusException | IllegalStateException e) {
      System.err.println("cob: " + e.getMessage());
      return CobCommand.FAILED;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  node.close();
                  stopped.countDown();
                },
                "cob-shutdown"));
    // One line on standard output that scripts can read (the port matters with --port 0).
    System.out.println(
        "cob: node "
            + c.nodeId()
            + " of cloud "
            + c.cloud()
            + " listening on http://127.0.0.1:"
            + node.port()
            + "/api/v1");
    System.out.flush();
    stopped.await();
    return CobCommand.DONE;
  }

  NodeConfig resolve(Map<String, String> env) {
    Path file = config;
    if (file == null && env.get("COB_CONFIG") != null && !env.get("COB_CONFIG").isBlank()) {
      file = Path.of(env.get("COB_CONFIG"));
    }
    if (file == null && Files.isRegularFile(Path.of("cob.yaml"))) {
      file = Path.of("cob.yaml");
    }
    NodeConfig c = ConfigLoader.load(file, env);
    if (port != null) {
      c = c.withHttpPort(port);
    }
    if (store != null) {
      c = c.withStoreUrl(store);
    }
    if (bus != null) {
      c = c.withBusUrl(bus);
    }
    if (nodeId != null) {
      c = c.withNodeId(nodeId);
    }
    if (cloud != null) {
      c = c.withCloud(cloud);
    }
    if (devClock) {
      c = c.withDevClock(true);
    }
    return ConfigLoader.validate(c);
  }
}
