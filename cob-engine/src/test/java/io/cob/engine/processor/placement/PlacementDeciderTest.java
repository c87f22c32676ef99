package io.cob.engine.processor.placement;

import static org.assertj.core.api.Assertions.assertThat;

import io.cob.engine.TestClouds;
import io.cob.engine.port.CloudDirectory.CloudHealth;
import io.cob.engine.processor.placement.PlacementDecision.ByDefault;
import io.cob.engine.processor.placement.PlacementDecision.Placed;
import io.cob.engine.processor.placement.PlacementDecision.Unplaceable;
import io.cob.model.PlacementPolicy;
import io.cob.model.PlacementRule;
import io.cob.model.PlacementRule.FixedCloud;
import io.cob.model.PlacementRule.LaneName;
import io.cob.model.PlacementRule.Policy;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlacementDeciderTest {
  private final TestClouds clouds =
      new TestClouds()
          .add("b-cloud", "aws", "eu-west-1", "eu", "0.002", null, -1)
          .add("a-cloud", "gcp", "europe-west4", "eu,gdpr", "0.002", "99.9", 30)
          .add("c-cloud", "azure", "westus", "", null, "99.95", 10);
  private final PlacementDecider decider = new PlacementDecider(clouds);

  private static PlacementRule policy(String text) {
    return new PlacementRule(List.of(new Policy(PlacementPolicy.parse(text), "cob:placement")));
  }

  @Test
  void shouldBreakTiesByNameAndRankUnknownFiguresLast() {
    Placed cheapest = (Placed) decider.decide(policy("prefer=cheapest"), "t");
    assertThat(cheapest.cloud()).isEqualTo("a-cloud");
    assertThat(cheapest.alternatives()).containsExactly("b-cloud", "c-cloud");
    assertThat(cheapest.reason()).endsWith("[a-cloud 0.002, b-cloud 0.002, c-cloud cost unknown]");

    Placed nearest = (Placed) decider.decide(policy("prefer=nearest"), "t");
    assertThat(nearest.alternatives()).containsExactly("a-cloud", "b-cloud");
    assertThat(nearest.reason()).endsWith("[c-cloud 10ms, a-cloud 30ms, b-cloud latency unknown]");
  }

  @Test
  void shouldNeverTakeACloudWhoseAttributeIsUnknown() {
    Placed notUs = (Placed) decider.decide(policy("jurisdiction!=us; prefer=most-available"), "t");
    assertThat(notUs.cloud()).isEqualTo("a-cloud"); // c-cloud has no jurisdiction configured
    assertThat(notUs.rejected()).containsExactly("c-cloud: jurisdiction unknown");
    assertThat(notUs.alternatives()).containsExactly("b-cloud"); // availability unknown: last
  }

  @Test
  void shouldCompareProviderAndRegionIgnoringCase() {
    assertThat(((Placed) decider.decide(policy("provider=AWS"), "t")).cloud()).isEqualTo("b-cloud");
    assertThat(((Placed) decider.decide(policy("region!=eu-west-1; provider!=gcp"), "t")).cloud())
        .isEqualTo("c-cloud");
  }

  @Test
  void shouldTakeASuspectNamedCloudAndSayItIsSuspect() {
    clouds.health("c-cloud", CloudHealth.SUSPECT);
    Placed placed =
        (Placed)
            decider.decide(
                new PlacementRule(List.of(new FixedCloud("c-cloud", "cob:cloud of 't'"))), "t");
    assertThat(placed.cloud()).isEqualTo("c-cloud");
    assertThat(placed.reason()).isEqualTo("cob:cloud of 't' (SUSPECT)");
  }

  @Test
  void shouldSkipALaneNameThatNamesNoCloud() {
    PlacementRule rule =
        new PlacementRule(
            List.of(
                new LaneName("Back office", "lane 'Back office'"),
                new FixedCloud("b-cloud", "cob:cloud of process 'p'")));
    assertThat(((Placed) decider.decide(rule, "t")).reason()).isEqualTo("cob:cloud of process 'p'");
    assertThat(
            decider.decide(
                new PlacementRule(List.of(new LaneName("Back office", "lane 'Back office'"))), "t"))
        .isInstanceOf(ByDefault.class);
    assertThat(decider.decide(PlacementRule.NONE, "t")).isInstanceOf(ByDefault.class);
  }

  @Test
  void shouldSayWhenNoCloudIsKnownOrUp() {
    PlacementDecider empty = new PlacementDecider(new TestClouds());
    assertThat(empty.decide(policy("prefer=cheapest"), "t"))
        .isEqualTo(new Unplaceable("no cloud is UP (no clouds known)"));
    assertThat(
            empty.decide(new PlacementRule(List.of(new FixedCloud("x", "cob:cloud of 't'"))), "t"))
        .isEqualTo(new Unplaceable("cloud 'x' (cob:cloud of 't') is not a known cloud (known: )"));
  }
}
