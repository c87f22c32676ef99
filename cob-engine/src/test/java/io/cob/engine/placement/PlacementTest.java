package io.cob.engine.placement;

import static io.cob.engine.placement.PlacementModels.activation;
import static io.cob.engine.placement.PlacementModels.lane;
import static io.cob.engine.placement.PlacementModels.model;
import static io.cob.engine.placement.PlacementModels.placements;
import static io.cob.engine.placement.PlacementModels.threeClouds;
import static org.assertj.core.api.Assertions.assertThat;

import io.cob.engine.EngineHarness;
import io.cob.engine.EngineHarness.Instance;
import io.cob.engine.TestClouds;
import io.cob.engine.TestModels;
import io.cob.engine.event.InstanceEvent.StepPlaced;
import io.cob.engine.port.CloudDirectory.CloudHealth;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Where a step that creates a job runs, and how the decision is recorded. */
class PlacementTest {
  private final TestClouds clouds = threeClouds();

  @RegisterExtension final EngineHarness engine = new EngineHarness().clouds(clouds);

  private Instance run(String model) {
    engine.deploy(model);
    return engine.start("p");
  }

  @Test
  void shouldPlaceTheStepInItsLanesCloud() {
    Instance i = run(model("", lane("l1", "public-b", ""), ""));

    assertThat(i.job("task").cloud()).isEqualTo("public-b");
    assertThat(activation(i, "task").cloud()).isEqualTo("public-b");
    assertThat(placements(i))
        .singleElement()
        .isEqualTo(
            new StepPlaced(
                activation(i, "task").key(),
                "task",
                "public-b",
                "lane 'public-b'",
                List.of(),
                List.of()));
    assertThat(i.state().element(activation(i, "task").key()).cloud()).isEqualTo("public-b");
  }

  @Test
  void shouldPlaceTheStepOnTheCloudItsLaneNames() {
    Instance i = run(model("", lane("l1", "Approvals", "cob:cloud=\"private\""), ""));

    assertThat(i.job("task").cloud()).isEqualTo("private");
    assertThat(placements(i))
        .extracting(StepPlaced::reason)
        .containsExactly("cob:cloud of lane 'l1'");
  }

  @Test
  void shouldMatchALanesNameToACloudIgnoringCase() {
    Instance i = run(model("", lane("l1", "Public-B", ""), ""));

    assertThat(i.job("task").cloud()).isEqualTo("public-b");
  }

  @Test
  void shouldLetTheElementsCloudOverrideItsLane() {
    Instance i = run(model("", lane("l1", "public-b", ""), "cob:cloud=\"public-a\""));

    assertThat(i.job("task").cloud()).isEqualTo("public-a");
    assertThat(placements(i)).extracting(StepPlaced::reason).containsExactly("cob:cloud of 'task'");
  }

  @Test
  void shouldUseTheProcessDefaultWhenTheLaneNamesNoCloud() {
    Instance i = run(model("cob:cloud=\"private\"", lane("l1", "Sales", ""), ""));

    assertThat(i.job("task").cloud()).isEqualTo("private");
    assertThat(placements(i))
        .extracting(StepPlaced::reason)
        .containsExactly("cob:cloud of process 'p'");
  }

  @Test
  void shouldRunOnTheOwnersCloudAndRecordNothingWhenTheModelIsSilent() {
    Instance i = run(model("", lane("l1", "Sales", ""), ""));

    assertThat(i.job("task").cloud()).isNull(); // the owner's, as before placement existed
    assertThat(activation(i, "task").cloud()).isNull();
    assertThat(placements(i)).isEmpty();
    assertThat(i.state().ownerCloud()).isEqualTo("test");
  }

  @Test
  void shouldPickTheCheapestEligibleCloudAndRecordTheAlternatives() {
    Instance i = run(model("", "", "cob:placement=\"prefer=cheapest\""));

    assertThat(i.job("task").cloud()).isEqualTo("public-a");
    assertThat(activation(i, "task").cloud()).isEqualTo("public-a");
    StepPlaced placed = placements(i).getFirst();
    assertThat(placed.reason())
        .isEqualTo(
            "policy prefer=cheapest (cob:placement of 'task'): cheapest of [public-a 0.001,"
                + " public-b 0.002, private 0.004]");
    assertThat(placed.alternatives()).containsExactly("public-b", "private");
    assertThat(placed.rejected()).isEmpty();
  }

  @Test
  void shouldNeverRunOutsideTheEuUnderJurisdictionEuEvenWhenCheaper() {
    Instance i = run(model("", "", "cob:placement=\"jurisdiction=eu; prefer=cheapest\""));

    assertThat(i.job("task").cloud()).isEqualTo("public-b");
    StepPlaced placed = placements(i).getFirst();
    assertThat(placed.reason())
        .isEqualTo(
            "policy jurisdiction=eu; prefer=cheapest (cob:placement of 'task'): cheapest of"
                + " [public-b 0.002, private 0.004]");
    assertThat(placed.alternatives()).containsExactly("private");
    assertThat(placed.rejected()).containsExactly("public-a: jurisdiction [us]");
  }

  @Test
  void shouldApplyAProcessWideJurisdictionToEveryPolicyOfTheProcess() {
    // The task prefers cheap clouds; the process requires the EU: both hold.
    Instance i =
        run(model("cob:placement=\"jurisdiction=eu\"", "", "cob:placement=\"prefer=cheapest\""));

    assertThat(i.job("task").cloud()).isEqualTo("public-b");
    assertThat(placements(i).getFirst().reason())
        .startsWith(
            "policy jurisdiction=eu; prefer=cheapest (cob:placement of 'task', cob:placement of"
                + " process 'p')");
  }

  @Test
  void shouldRaiseAnIncidentWhenALaneNamesACloudTheJurisdictionForbids() {
    Instance i = run(model("cob:placement=\"jurisdiction=eu\"", lane("l1", "public-a", ""), ""));

    assertThat(i.jobs()).isEmpty();
    assertThat(i.incidents())
        .singleElement()
        .satisfies(
            inc -> {
              assertThat(inc.kind()).isEqualTo("PLACEMENT");
              assertThat(inc.elementId()).isEqualTo("task");
              assertThat(inc.message())
                  .isEqualTo(
                      "cloud 'public-a' (lane 'public-a') does not satisfy jurisdiction=eu"
                          + " (jurisdiction [us]), required by cob:placement of process 'p'");
            });
  }

  @Test
  void shouldPreferTheMostAvailableCloud() {
    Instance i = run(model("", "", "cob:placement=\"jurisdiction=eu; prefer=most-available\""));

    assertThat(i.job("task").cloud()).isEqualTo("public-b");
    assertThat(placements(i).getFirst().reason())
        .endsWith("most-available of [public-b 99.9, private 99.5]");
  }

  @Test
  void shouldPreferTheNearestCloudByMeasuredLatency() {
    Instance i = run(model("", "", "cob:placement=\"prefer=nearest\""));

    assertThat(i.job("task").cloud()).isEqualTo("private");
    assertThat(placements(i).getFirst().reason())
        .endsWith("nearest of [private 5ms, public-b 20ms, public-a 40ms]");
  }

  @Test
  void shouldMeetNumericRequirements() {
    Instance i = run(model("", "", "cob:placement=\"availability>=99.9; costPerStep>0.0015\""));

    assertThat(i.job("task").cloud()).isEqualTo("public-b");
    assertThat(placements(i).getFirst().rejected())
        .containsExactly("private: availability 99.5", "public-a: costPerStep 0.001");
  }

  @Test
  void shouldRankSuspectCloudsAfterUpOnes() {
    clouds.health("public-a", CloudHealth.SUSPECT);
    Instance i = run(model("", "", "cob:placement=\"prefer=cheapest\""));

    assertThat(i.job("task").cloud()).isEqualTo("public-b");
    assertThat(placements(i).getFirst().reason())
        .endsWith("cheapest of [public-b 0.002, private 0.004, public-a 0.001 SUSPECT]");
  }

  @Test
  void shouldAvoidADownCloud() {
    clouds.health("public-a", CloudHealth.DOWN);
    Instance i = run(model("", "", "cob:placement=\"prefer=cheapest\""));

    assertThat(i.job("task").cloud()).isEqualTo("public-b");
    assertThat(placements(i).getFirst().rejected()).containsExactly("public-a: DOWN");
  }

  @Test
  void shouldFallBackToThePolicyWhenTheNamedCloudIsDown() {
    clouds.health("public-b", CloudHealth.DOWN);
    Instance i = run(model("cob:placement=\"jurisdiction=eu\"", lane("l1", "public-b", ""), ""));

    assertThat(i.job("task").cloud()).isEqualTo("private");
    assertThat(placements(i).getFirst().reason())
        .isEqualTo(
            "cloud 'public-b' (lane 'public-b') is DOWN; policy jurisdiction=eu (cob:placement of"
                + " process 'p'): first by name of [private]");
  }

  @Test
  void shouldRaiseAnIncidentWhenAPinnedCloudIsDown() {
    clouds.health("public-a", CloudHealth.DOWN);
    Instance i = run(model("", "", "cob:cloud=\"public-a\""));

    assertThat(i.jobs()).isEmpty();
    assertThat(i.incidents())
        .singleElement()
        .satisfies(
            inc ->
                assertThat(inc.message())
                    .isEqualTo(
                        "cloud 'public-a' (cob:cloud of 'task') is DOWN, and no cob:placement"
                            + " lets 'task' run elsewhere"));
  }

  @Test
  void shouldRaiseAnIncidentNamingAnUnknownCloud() {
    Instance i = run(model("", "", "cob:cloud=\"moon\""));

    assertThat(i.incidents())
        .singleElement()
        .satisfies(
            inc -> {
              assertThat(inc.kind()).isEqualTo("PLACEMENT");
              assertThat(inc.message())
                  .isEqualTo(
                      "cloud 'moon' (cob:cloud of 'task') is not a known cloud (known: private,"
                          + " public-a, public-b)");
            });
  }

  @Test
  void shouldGiveAnIncidentWithTheReasonWhenNoCloudIsEligibleAndPlaceAgainOnceResolved() {
    clouds.health("private", CloudHealth.DOWN).health("public-b", CloudHealth.DOWN);
    Instance i = run(model("", "", "cob:placement=\"jurisdiction=eu\""));

    assertThat(i.jobs()).isEmpty();
    assertThat(i.incidents())
        .singleElement()
        .satisfies(
            inc -> {
              assertThat(inc.kind()).isEqualTo("PLACEMENT");
              assertThat(inc.message())
                  .isEqualTo(
                      "no UP cloud satisfies jurisdiction=eu (private: DOWN; public-a:"
                          + " jurisdiction [us]; public-b: DOWN)");
            });

    clouds.health("public-b", CloudHealth.UP);
    engine.engine().resolveIncident(i.incidents().getFirst().key(), 1);
    engine.settle();

    assertThat(i.incidents()).isEmpty();
    assertThat(i.job("task").cloud()).isEqualTo("public-b");
    i.completeJob("task", Map.of());
    assertThat(i.status()).isEqualTo("COMPLETED");
  }

  @Test
  void shouldLeaveStepsWithoutAJobOnTheirOwnCloud() {
    String xml =
        TestModels.definitions(
            "<process id=\"p\" isExecutable=\"true\" cob:placement=\"prefer=cheapest\">\n"
                + "<laneSet id=\"ls\"><lane id=\"l1\" name=\"public-b\">"
                + "<flowNodeRef>approve</flowNodeRef><flowNodeRef>gw</flowNodeRef></lane>"
                + "</laneSet>\n"
                + "<startEvent id=\"s\"/>\n"
                + "<userTask id=\"approve\"/>\n"
                + "<exclusiveGateway id=\"gw\" cob:cloud=\"private\"/>\n"
                + "<endEvent id=\"e\"/>\n"
                + TestModels.flows("s->approve", "approve->gw", "gw->e")
                + "</process>\n");
    engine.deploy(xml);
    Instance i = engine.start("p");
    i.completeUserTask("approve", Map.of());

    assertThat(activation(i, "approve").cloud()).isNull();
    assertThat(activation(i, "gw").cloud()).isEqualTo("private");
    assertThat(placements(i)).isEmpty();
    assertThat(i.status()).isEqualTo("COMPLETED");
  }

  @Test
  void shouldPlaceAMessageEventWithAJobLikeAServiceTask() {
    String xml =
        TestModels.definitions(
            "<message id=\"m\" name=\"ship\"/>\n"
                + "<process id=\"p\" isExecutable=\"true\">\n"
                + "<startEvent id=\"s\"/>\n"
                + "<intermediateThrowEvent id=\"notify\" cob:placement=\"prefer=nearest\">"
                + "<extensionElements><zeebe:taskDefinition type=\"mail\"/></extensionElements>"
                + "<messageEventDefinition messageRef=\"m\"/></intermediateThrowEvent>\n"
                + "<endEvent id=\"e\"/>\n"
                + TestModels.flows("s->notify", "notify->e")
                + "</process>\n");
    engine.deploy(xml);
    Instance i = engine.start("p");

    assertThat(i.job("notify").cloud()).isEqualTo("private");
    assertThat(placements(i)).extracting(StepPlaced::elementId).containsExactly("notify");
  }
}
