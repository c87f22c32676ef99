package io.cob.server.clouds;

import io.cob.bus.topology.CloudView;
import io.cob.bus.topology.Topology;
import io.cob.engine.port.CloudDirectory;
import io.cob.server.config.CloudConfig;
import io.cob.server.config.NodeConfig;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The clouds as this node knows them: attributes from {@code cob.yaml} ({@code clouds.NAME.*}),
 * health and latency from the bus {@link Topology} (heartbeats). What the engine reads when it
 * places a step, and what {@code GET /api/v1/clouds} shows.
 *
 * <p>{@link #clouds()} lists the configured clouds in file order, then this node's own cloud if the
 * file does not list it (with no attributes). A cloud heard on the bus but not configured is not
 * offered for placement (this node has no attributes for it, and on RabbitMQ no key to sign for
 * it); {@link #statuses()} still shows it. Thread-safe: each call reads the topology anew.
 */
public final class NodeCloudDirectory implements CloudDirectory {
  private static final CloudConfig NO_ATTRIBUTES =
      new CloudConfig(null, null, null, null, null, null);

  private final NodeConfig config;
  private final Topology topology;

  public NodeCloudDirectory(NodeConfig config, Topology topology) {
    this.config = config;
    this.topology = topology;
  }

  /**
   * One cloud for the API.
   *
   * @param attributes its configured attributes (all absent for an unconfigured cloud)
   * @param configured whether {@code cob.yaml} lists it (or it is this node's cloud)
   * @param view its health, last-seen time, latency and nodes, from the heartbeats
   */
  public record CloudStatus(
      String name, CloudConfig attributes, boolean configured, CloudView view) {}

  @Override
  public List<CloudInfo> clouds() {
    List<CloudInfo> out = new ArrayList<>();
    for (String name : configured()) {
      CloudConfig a = attributes(name);
      Optional<CloudView> view = topology.cloud(name);
      out.add(
          new CloudInfo(
              name,
              a.provider(),
              a.region(),
              Set.copyOf(a.jurisdiction()),
              a.costPerStep(),
              a.availability(),
              health(topology.health(name)),
              view.map(CloudView::latency).orElse(null)));
    }
    return out;
  }

  /** Every cloud this node knows: the configured ones in file order, then those heard of. */
  public List<CloudStatus> statuses() {
    Set<String> configured = configured();
    List<CloudStatus> out = new ArrayList<>();
    for (String name : configured) {
      topology
          .cloud(name)
          .ifPresent(view -> out.add(new CloudStatus(name, attributes(name), true, view)));
    }
    for (CloudView view : topology.clouds()) {
      if (!configured.contains(view.cloud())) {
        out.add(new CloudStatus(view.cloud(), NO_ATTRIBUTES, false, view));
      }
    }
    return out;
  }

  /** This node's cloud. */
  public String ownCloud() {
    return config.cloud();
  }

  /** This node's id. */
  public String nodeId() {
    return config.nodeId();
  }

  private Set<String> configured() {
    Set<String> names = new LinkedHashSet<>(config.clouds().keySet());
    names.add(config.cloud());
    return names;
  }

  private CloudConfig attributes(String name) {
    return config.clouds().getOrDefault(name, NO_ATTRIBUTES);
  }

  private static CloudHealth health(io.cob.bus.topology.CloudHealth health) {
    return switch (health) {
      case UP -> CloudHealth.UP;
      case SUSPECT -> CloudHealth.SUSPECT;
      case DOWN -> CloudHealth.DOWN;
    };
  }
}
