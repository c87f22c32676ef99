package io.cob.model;

import java.util.List;
import java.util.Optional;

/**
 * What the model says about where one flow node runs: the placement sources that apply to it, most
 * specific first. The model cannot know the clouds, so it only collects; the engine decides with
 * what it knows of the clouds at the moment the step is placed.
 *
 * <p>The order, built by {@link ProcessDefinition#placementOf}:
 *
 * <ol>
 *   <li>the node's own {@code cob:cloud}, then its {@code cob:placement};
 *   <li>for each enclosing subProcess, innermost first: its {@code cob:cloud}, then its {@code
 *       cob:placement};
 *   <li>its lanes, innermost first (for a node drawn in no lane, those of its nearest enclosing
 *       subProcess): each lane's {@code cob:cloud}, or else its name ({@link LaneName}: a cloud
 *       only if a cloud of that name is known, else a mere label), then its {@code cob:placement};
 *   <li>the process (or its pool): {@code cob:cloud}, then {@code cob:placement}.
 * </ol>
 *
 * <p>On every level the named cloud comes before the policy: writing both means "there, and if it
 * is down, by this policy". A lane named after a cloud is that lane's cloud (as if it carried
 * {@code cob:cloud}), so its {@code cob:placement} is the fallback, as on an element. The engine's
 * owner cloud comes after all of these.
 *
 * @param sources in precedence order; empty when the model says nothing about the node's cloud
 */
public record PlacementRule(List<Source> sources) {
  public PlacementRule {
    sources = List.copyOf(sources);
  }

  /** The rule of a node the model says nothing about. */
  public static final PlacementRule NONE = new PlacementRule(List.of());

  /** One place in the model that speaks about the cloud. */
  public sealed interface Source {
    /** Where it was written, for reasons and messages, e.g. {@code cob:cloud of 'charge'}. */
    String origin();
  }

  /** A cloud named by {@code cob:cloud}. */
  public record FixedCloud(String cloud, String origin) implements Source {}

  /**
   * A lane's name: the cloud of that name if one is known, else just a label (the model cannot
   * tell).
   */
  public record LaneName(String name, String origin) implements Source {}

  /** A {@code cob:placement} policy. */
  public record Policy(PlacementPolicy policy, String origin) implements Source {}

  /** Every policy of the rule, most specific first. */
  public List<Policy> policies() {
    return sources.stream().filter(Policy.class::isInstance).map(Policy.class::cast).toList();
  }

  /** The first source, if any. */
  public Optional<Source> first() {
    return sources.stream().findFirst();
  }
}
