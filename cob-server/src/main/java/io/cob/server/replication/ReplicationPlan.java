package io.cob.server.replication;

import io.cob.engine.Engine;
import io.cob.model.ProcessDefinition;
import io.cob.server.config.CloudConfig;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Where an instance's events are replicated and how: the process's own {@code cob:standby} and
 * {@code cob:replication} when the model names them, else the owner cloud's configuration ({@code
 * clouds.NAME.standby}, {@code clouds.NAME.replication}). The same rule tells a standby which
 * clouds, in order of preference, may take over an instance it holds a replica of.
 *
 * <p>Asked on every commit, so it reads the engine's parsed definitions (kept in memory), never the
 * store. Thread-safe.
 */
public final class ReplicationPlan {
  private final String cloud;
  private final Map<String, CloudConfig> clouds;
  private final Supplier<Engine> engine;

  /**
   * @param engine the node's engine, for the definitions; {@code null} (or supplying {@code null})
   *     where there is none: the configuration alone rules
   */
  public ReplicationPlan(String cloud, Map<String, CloudConfig> clouds, Supplier<Engine> engine) {
    this.cloud = cloud;
    this.clouds = Map.copyOf(clouds);
    this.engine = engine == null ? () -> null : engine;
  }

  /** A plan from the configuration alone: this cloud's standbys and mode for every instance. */
  public static ReplicationPlan ofCloud(String cloud, List<String> standbys, boolean sync) {
    CloudConfig own =
        new CloudConfig(null, null, List.of(), null, null, null, standbys, sync ? "sync" : null);
    return new ReplicationPlan(cloud, Map.of(cloud, own), null);
  }

  /** The standbys this cloud's configuration names. */
  public List<String> configured() {
    CloudConfig own = clouds.get(cloud);
    return own == null ? List.of() : own.standby();
  }

  /**
   * The clouds that keep replicas of an instance of this process version owned by {@code owner} and
   * may take it over, first preferred (never the owner itself); empty: not replicated.
   */
  public List<String> standbys(String processId, int version, String owner) {
    List<String> named =
        definition(processId, version).map(ProcessDefinition::standbys).orElse(List.of());
    if (named.isEmpty()) {
      CloudConfig c = clouds.get(owner);
      named = c == null ? List.of() : c.standby();
    }
    return named.stream().filter(s -> !s.equals(owner)).toList();
  }

  /** Whether commands on an instance of this process version count as committed once replicated. */
  public boolean sync(String processId, int version) {
    return definition(processId, version)
        .flatMap(ProcessDefinition::syncReplication)
        .orElseGet(
            () -> {
              CloudConfig own = clouds.get(cloud);
              return own != null && own.syncReplication();
            });
  }

  private Optional<ProcessDefinition> definition(String processId, int version) {
    Engine e = engine.get();
    return e == null || processId == null ? Optional.empty() : e.definition(processId, version);
  }
}
