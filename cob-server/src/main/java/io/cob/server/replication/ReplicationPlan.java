package io.cob.server.replication;

import io.cob.engine.port.CloudDirectory;
import io.cob.engine.port.CloudDirectory.CloudInfo;
import io.cob.engine.processor.placement.CloudCheck;
import io.cob.model.PlacementPolicy;
import io.cob.model.ProcessDefinition;
import io.cob.server.config.CloudConfig;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

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
  private final CloudDirectory directory;
  private final BiFunction<String, Integer, Optional<ProcessDefinition>> definitions;

  /**
   * @param directory the clouds' attributes, for standbys chosen by a policy
   * @param definitions a process version's parsed definition (the engine's, kept in memory); {@code
   *     null} where there are none: the configuration alone rules
   */
  public ReplicationPlan(
      String cloud,
      Map<String, CloudConfig> clouds,
      CloudDirectory directory,
      BiFunction<String, Integer, Optional<ProcessDefinition>> definitions) {
    this.cloud = cloud;
    this.clouds = Map.copyOf(clouds);
    this.directory = directory == null ? () -> List.of() : directory;
    this.definitions = definitions == null ? (id, v) -> Optional.empty() : definitions;
  }

  /** A plan from the configuration alone: this cloud's standbys and mode for every instance. */
  public static ReplicationPlan ofCloud(String cloud, List<String> standbys, boolean sync) {
    CloudConfig own =
        new CloudConfig(null, null, List.of(), null, null, null, standbys, sync ? "sync" : null);
    return new ReplicationPlan(cloud, Map.of(cloud, own), null, null);
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
    Optional<ProcessDefinition> def = definition(processId, version);
    Optional<PlacementPolicy> policy = def.flatMap(ProcessDefinition::standbyPolicy);
    if (policy.isPresent()) {
      return chosen(policy.get(), owner);
    }
    List<String> named = def.map(ProcessDefinition::standbys).orElse(List.of());
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

  /**
   * The clouds other than {@code owner} meeting the policy's requirements, the preferred first.
   * Only the configured attributes count, never health or measured latency: every node must come to
   * the same list, since the first standby present takes an instance over ({@code nearest}, which
   * depends on where it is measured, keeps the configuration's order). A cloud that is down is
   * skipped by presence, not here.
   */
  private List<String> chosen(PlacementPolicy policy, String owner) {
    Comparator<CloudInfo> order =
        switch (policy.preference()) {
          case CHEAPEST ->
              Comparator.comparing(
                  CloudInfo::costPerStep, Comparator.nullsLast(Comparator.naturalOrder()));
          case MOST_AVAILABLE ->
              Comparator.comparing(
                  CloudInfo::availability, Comparator.nullsLast(Comparator.reverseOrder()));
          case NEAREST -> (x, y) -> 0;
          case null -> (x, y) -> 0;
        };
    return directory.clouds().stream()
        .filter(c -> !c.name().equals(owner))
        .filter(c -> CloudCheck.unmet(c, policy.requirements()) == null)
        .sorted(order)
        .map(CloudInfo::name)
        .toList();
  }

  private Optional<ProcessDefinition> definition(String processId, int version) {
    return processId == null ? Optional.empty() : definitions.apply(processId, version);
  }
}
