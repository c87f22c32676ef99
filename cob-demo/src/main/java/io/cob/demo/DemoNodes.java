package io.cob.demo;

import io.cob.bus.memory.MemoryBrokers;
import io.cob.bus.memory.MemoryBus;
import io.cob.engine.port.CloudDirectory;
import io.cob.server.CobNode;
import io.cob.server.config.BusConfig;
import io.cob.server.config.CloudConfig;
import io.cob.server.config.NodeConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;

/**
 * The cob nodes of a demo run, all in this JVM: in-memory H2 stores, free ports, the secrets and
 * connector settings of the scenario's services. This is the one place that decides how many nodes
 * run and which clouds they know.
 *
 * <p>With {@link #CROSS_CLOUD_DISPATCH} (a node runs the jobs other clouds send it, and sends the
 * outcome back): one node per cloud of the scenario on one {@code memory:NAME} bus, every cloud
 * declared, so that lanes and policies place steps on the other clouds' nodes and {@link #outage}
 * cuts a cloud off that bus. Without it, as on this build: the node places a step on another cloud
 * and then waits for a node there that never takes it, so the demo runs one node, in the owner
 * cloud, that knows only its own cloud; the other lanes are then labels and every step runs there.
 * The trace marks such steps with their lane.
 */
public final class DemoNodes implements AutoCloseable {
  /**
   * Whether the nodes send jobs placed on other clouds over the bus and run those sent to them. The
   * engine has the port ({@code JobDispatch}); the node does not wire it yet.
   */
  static final boolean CROSS_CLOUD_DISPATCH = true;

  /**
   * Heartbeats every 200 ms, SUSPECT after 2 missed, DOWN after 5: the outage is noticed within
   * about a second, so that the demo stays short. Real deployments keep the defaults.
   */
  private static final Duration HEARTBEAT = Duration.ofMillis(200);

  /** How long the demo waits for the owner to see a cut cloud DOWN. */
  private static final Duration NOTICE_OUTAGE = Duration.ofSeconds(10);

  private final List<CobNode> nodes;
  private final String busName;

  private DemoNodes(List<CobNode> nodes, String busName) {
    this.nodes = List.copyOf(nodes);
    this.busName = busName;
  }

  /** Starts the nodes, the owner cloud's first; closes those already started when one fails. */
  public static DemoNodes start(DemoScenario scenario, RunningServices services) {
    String busName = "cob-demo-" + UUID.randomUUID().toString().substring(0, 8);
    Map<String, CloudConfig> all = scenario.clouds();
    String owner = all.keySet().iterator().next();
    Map<String, CloudConfig> declared =
        CROSS_CLOUD_DISPATCH ? all : new LinkedHashMap<>(Map.of(owner, all.get(owner)));
    List<CobNode> started = new ArrayList<>();
    try {
      for (String cloud : declared.keySet()) {
        started.add(CobNode.start(config(declared, cloud, "memory:" + busName, services)));
      }
      return new DemoNodes(started, busName);
    } catch (RuntimeException e) {
      started.forEach(CobNode::close);
      throw e;
    }
  }

  private static NodeConfig config(
      Map<String, CloudConfig> clouds, String cloud, String bus, RunningServices services) {
    return NodeConfig.defaults()
        .withCloud(cloud)
        .withNodeId(cloud + "-1")
        .withHttpPort(0)
        .withStoreUrl("jdbc:h2:mem:cob-demo-" + cloud + "-" + UUID.randomUUID())
        .withBus(
            BusConfig.defaults()
                .withUrl(bus)
                .withHeartbeat(HEARTBEAT, 2, 5)
                .withConnection(null, null, Duration.ofMillis(500)))
        .withClouds(clouds)
        .withSecrets(services.secrets)
        .withConnectors(services.connectorSettings);
  }

  /** The node of the owner cloud: where instances start and their history is read. */
  public CobNode owner() {
    return nodes.get(0);
  }

  public List<CobNode> all() {
    return nodes;
  }

  /** Whether every cloud of the scenario has a node. */
  boolean everyCloudHasANode(DemoScenario scenario) {
    return nodes.size() == scenario.clouds().size();
  }

  /** How the demo stages an outage with these nodes. */
  public CloudOutage outage() {
    if (!CROSS_CLOUD_DISPATCH) {
      return CloudOutage.unavailable(
          "steps are not yet sent to other clouds' nodes (cross-cloud dispatch is not wired into"
              + " the node), so this run has one node and no step to re-place");
    }
    return new CloudOutage() {
      @Override
      public Optional<String> cut(String cloud) {
        Optional<MemoryBus> bus = MemoryBrokers.find(busName);
        if (bus.isEmpty()) {
          return Optional.of("the demo's bus is closed");
        }
        bus.get().disconnect(cloud);
        // The owner learns of the outage from missing heartbeats, as it would in production; the
        // demo waits for that before it lets the process go on.
        Instant until = Instant.now().plus(NOTICE_OUTAGE);
        while (Instant.now().isBefore(until)) {
          boolean down =
              owner()
                  .clouds()
                  .find(cloud)
                  .map(c -> c.health() == CloudDirectory.CloudHealth.DOWN)
                  .orElse(false);
          if (down) {
            return Optional.empty();
          }
          LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
        }
        return Optional.of("the owner did not see " + cloud + " DOWN within " + NOTICE_OUTAGE);
      }

      @Override
      public void restore(String cloud) {
        MemoryBrokers.find(busName).ifPresent(b -> b.reconnect(cloud));
      }
    };
  }

  @Override
  public void close() {
    for (int i = nodes.size() - 1; i >= 0; i--) {
      nodes.get(i).close();
    }
  }
}
