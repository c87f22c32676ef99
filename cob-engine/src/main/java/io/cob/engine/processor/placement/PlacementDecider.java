package io.cob.engine.processor.placement;

import io.cob.engine.port.CloudDirectory;
import io.cob.engine.port.CloudDirectory.CloudHealth;
import io.cob.engine.port.CloudDirectory.CloudInfo;
import io.cob.engine.processor.placement.PlacementDecision.ByDefault;
import io.cob.engine.processor.placement.PlacementDecision.Placed;
import io.cob.engine.processor.placement.PlacementDecision.Unplaceable;
import io.cob.model.PlacementPolicy;
import io.cob.model.PlacementPolicy.Preference;
import io.cob.model.PlacementPolicy.Requirement;
import io.cob.model.PlacementRule;
import io.cob.model.PlacementRule.FixedCloud;
import io.cob.model.PlacementRule.LaneName;
import io.cob.model.PlacementRule.Policy;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Decides the cloud of one step from what the model says ({@link PlacementRule}) and what this node
 * knows of the clouds now ({@link CloudDirectory}).
 *
 * <p>The rules:
 *
 * <ol>
 *   <li>The first source of the rule decides (most specific first, see {@link PlacementRule}: the
 *       element's {@code cob:cloud}, its {@code cob:placement}, enclosing subProcesses, lanes —
 *       {@code cob:cloud} or else the name, then {@code cob:placement} — then the process). A
 *       lane's name counts only when a cloud of that name is listed in the directory (names compare
 *       ignoring case); otherwise it is a label and is skipped. When nothing applies the step runs
 *       on the owner's cloud ({@link ByDefault}).
 *   <li><b>Requirements add up.</b> Every requirement of every {@code cob:placement} that applies
 *       to the step (its own, its subProcesses', its lanes', its process's) holds wherever the step
 *       runs, whichever source decides, so that a process-wide {@code jurisdiction=eu} cannot be
 *       undone by a lane or a {@code cob:cloud} further in: such a conflict is an incident, never a
 *       silent run outside the EU. The preference is the most specific one stated.
 *   <li><b>A named cloud</b> ({@code cob:cloud}, a lane's name) is used as it is, SUSPECT too.
 *       Unknown → {@link Unplaceable} naming it. Failing a requirement → {@link Unplaceable}. DOWN
 *       → the policy chooses among the other clouds when the step has any {@code cob:placement}
 *       (the modeller allowed another cloud), else {@link Unplaceable}: a step pinned to a cloud
 *       does not move on its own.
 *   <li><b>A policy</b> keeps the clouds of the directory that meet all requirements and are not
 *       DOWN, ranks them UP before SUSPECT, then by the preference (unknown figures last), then by
 *       name, and takes the first. None → {@link Unplaceable} listing why each cloud was refused.
 * </ol>
 *
 * <p>Reads the directory once per decision ({@link CloudDirectory#clouds()}, plus {@link
 * CloudDirectory#find} for a named cloud that is not listed). Stateless and thread-safe; used only
 * by the command processor, never by appliers, so replaying a log never decides again.
 */
public final class PlacementDecider {
  private final CloudDirectory directory;

  public PlacementDecider(CloudDirectory directory) {
    this.directory = directory;
  }

  /** Places the step of element {@code elementId} whose model rule is {@code rule}. */
  public PlacementDecision decide(PlacementRule rule, String elementId) {
    if (rule.sources().isEmpty()) {
      return new ByDefault();
    }
    List<CloudInfo> clouds = directory.clouds();
    List<Policy> policies = rule.policies();
    Choice policy = choice(policies);
    for (PlacementRule.Source source : rule.sources()) {
      switch (source) {
        case Policy p -> {
          return choose(clouds, policy, "");
        }
        case FixedCloud f -> {
          return fixed(clouds, f.cloud(), f.origin(), policy, policies.isEmpty(), elementId);
        }
        case LaneName l -> {
          Optional<CloudInfo> named =
              clouds.stream().filter(c -> c.name().equalsIgnoreCase(l.name())).findFirst();
          if (named.isPresent()) {
            return fixed(
                clouds, named.get().name(), l.origin(), policy, policies.isEmpty(), elementId);
          }
        }
      }
    }
    return new ByDefault();
  }

  private PlacementDecision fixed(
      List<CloudInfo> clouds,
      String name,
      String origin,
      Choice policy,
      boolean noPolicy,
      String elementId) {
    Optional<CloudInfo> found = clouds.stream().filter(c -> c.name().equals(name)).findFirst();
    if (found.isEmpty()) {
      found = directory.find(name);
    }
    String what = "cloud '" + name + "' (" + origin + ")";
    if (found.isEmpty()) {
      return new Unplaceable(
          what
              + " is not a known cloud (known: "
              + clouds.stream().map(CloudInfo::name).collect(Collectors.joining(", "))
              + ")");
    }
    CloudInfo cloud = found.get();
    String unmet = CloudCheck.unmet(cloud, policy.requirements());
    if (unmet != null) {
      return new Unplaceable(
          what + " does not satisfy " + unmet + ", required by " + policy.origins());
    }
    if (cloud.health() != CloudHealth.DOWN) {
      String health = cloud.health() == CloudHealth.UP ? "" : " (" + cloud.health() + ")";
      return new Placed(cloud.name(), origin + health, List.of(), List.of());
    }
    if (noPolicy) {
      return new Unplaceable(
          what + " is DOWN, and no cob:placement lets '" + elementId + "' run elsewhere");
    }
    return choose(clouds, policy, what + " is DOWN; ");
  }

  private static PlacementDecision choose(List<CloudInfo> clouds, Choice policy, String prefix) {
    List<CloudInfo> eligible = new ArrayList<>();
    List<String> rejected = new ArrayList<>();
    for (CloudInfo c : clouds) {
      String why = CloudCheck.whyNot(c, policy.requirements());
      if (why == null) {
        eligible.add(c);
      } else {
        rejected.add(c.name() + ": " + why);
      }
    }
    if (eligible.isEmpty()) {
      String need =
          policy.requirements().isEmpty()
              ? "no cloud is UP"
              : "no UP cloud satisfies " + policy.policy().requirementsText();
      String refused = rejected.isEmpty() ? "no clouds known" : String.join("; ", rejected);
      return new Unplaceable(prefix + need + " (" + refused + ")");
    }
    Preference preference = policy.policy().preference();
    eligible.sort(CloudRanking.of(preference));
    String ranked =
        eligible.stream()
            .map(c -> CloudRanking.label(c, preference))
            .collect(Collectors.joining(", "));
    String reason =
        prefix
            + "policy "
            + policy.policy()
            + " ("
            + policy.origins()
            + "): "
            + CloudRanking.verb(preference)
            + " ["
            + ranked
            + "]";
    List<String> alternatives =
        eligible.subList(1, eligible.size()).stream().map(CloudInfo::name).toList();
    return new Placed(eligible.getFirst().name(), reason, alternatives, rejected);
  }

  /** All requirements of the rule's policies, with the most specific preference. */
  private static Choice choice(List<Policy> policies) {
    LinkedHashSet<Requirement> requirements = new LinkedHashSet<>();
    Preference preference = null;
    for (Policy p : policies) {
      requirements.addAll(p.policy().requirements());
      if (preference == null) {
        preference = p.policy().preference();
      }
    }
    String origins = policies.stream().map(Policy::origin).collect(Collectors.joining(", "));
    return new Choice(new PlacementPolicy(List.copyOf(requirements), preference), origins);
  }

  /** The effective policy of a step and where its parts were written. */
  private record Choice(PlacementPolicy policy, String origins) {
    List<Requirement> requirements() {
      return policy.requirements();
    }
  }
}
