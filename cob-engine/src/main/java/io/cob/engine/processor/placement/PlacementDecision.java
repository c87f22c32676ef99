package io.cob.engine.processor.placement;

import java.util.List;

/** The outcome of placing one step: a cloud, why there is none, or nothing to decide. */
public sealed interface PlacementDecision {

  /**
   * Nothing in the model applies to the step (no {@code cob:cloud}, no {@code cob:placement}, no
   * lane named after a known cloud): it runs on the owner's cloud. Not recorded: the job's cloud
   * stays {@code null}, which means the owner's, as for every step before placement existed.
   */
  record ByDefault() implements PlacementDecision {}

  /**
   * The step runs on {@code cloud}.
   *
   * @param reason why, in a few words, e.g. {@code lane 'public-a'} or {@code policy
   *     jurisdiction=eu; prefer=cheapest (cob:placement of process 'p'): cheapest of [public-b
   *     0.002, private 0.004]}
   * @param alternatives the other eligible clouds, best first
   * @param rejected the clouds that were not eligible, each with why ({@code private: DOWN})
   */
  record Placed(String cloud, String reason, List<String> alternatives, List<String> rejected)
      implements PlacementDecision {
    public Placed {
      alternatives = List.copyOf(alternatives);
      rejected = List.copyOf(rejected);
    }
  }

  /**
   * No cloud may run the step now; {@code reason} says why, e.g. {@code no UP cloud satisfies
   * jurisdiction=eu (private: DOWN; public-a: jurisdiction [us])}.
   */
  record Unplaceable(String reason) implements PlacementDecision {}
}
