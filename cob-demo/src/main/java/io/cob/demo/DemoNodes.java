package io.cob.demo;

import io.cob.server.CobNode;
import io.cob.server.config.CloudConfig;
import io.cob.server.config.NodeConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The cob nodes of a demo run, all in this JVM: in-memory H2 stores, free ports, the scenario's
 * clouds and the secrets and connector settings of its services. This is the one place that decides
 * how many nodes run.
 *
 * <p>Today one node runs, in the owner cloud (the scenario's first): the nodes of one JVM do not
 * share a bus on this build, and a step placed on another cloud is not yet sent there, so further
 * nodes would sit idle. Once the bus wiring (a JVM-wide {@code memory:NAME} bus) and cross-cloud
 * dispatch are in, {@link #CLOUDS_WITH_NODES} becomes every cloud of the scenario and {@link
 * #outage()} cuts a cloud off that bus.
 */
public final class DemoNodes implements AutoCloseable {
  /** Which clouds get a node: the owner's only, until steps can be dispatched to other clouds. */
  static final int CLOUDS_WITH_NODES = 1;

  private final List<CobNode> nodes;

  private DemoNodes(List<CobNode> nodes) {
    this.nodes = List.copyOf(nodes);
  }

  /** Starts the nodes; closes those already started when one fails. */
  public static DemoNodes start(DemoScenario scenario, RunningServices services) {
    String bus = "memory:cob-demo-" + UUID.randomUUID().toString().substring(0, 8);
    List<CobNode> started = new ArrayList<>();
    try {
      for (String cloud : scenario.clouds().keySet().stream().limit(CLOUDS_WITH_NODES).toList()) {
        started.add(CobNode.start(config(scenario.clouds(), cloud, bus, services)));
      }
      return new DemoNodes(started);
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
        .withBusUrl(bus)
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

  /** How the demo stages an outage with these nodes. */
  public CloudOutage outage() {
    return CloudOutage.unavailable(
        "this build runs every step on the owner's node: showing a step re-placed to another"
            + " cloud needs the nodes of all clouds on one bus and cross-cloud dispatch");
  }

  @Override
  public void close() {
    for (int i = nodes.size() - 1; i >= 0; i--) {
      nodes.get(i).close();
    }
  }
}
