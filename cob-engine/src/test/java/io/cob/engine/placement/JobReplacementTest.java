package io.cob.engine.placement;

import static io.cob.engine.placement.PlacementModels.activation;
import static io.cob.engine.placement.PlacementModels.lane;
import static io.cob.engine.placement.PlacementModels.model;
import static io.cob.engine.placement.PlacementModels.placements;
import static io.cob.engine.placement.PlacementModels.threeClouds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cob.engine.EngineHarness;
import io.cob.engine.EngineHarness.Instance;
import io.cob.engine.TestClouds;
import io.cob.engine.event.EventRecord;
import io.cob.engine.event.InstanceEvent;
import io.cob.engine.event.InstanceEvent.StepPlaced;
import io.cob.engine.port.ActivatedJob;
import io.cob.engine.port.CloudDirectory.CloudHealth;
import io.cob.engine.port.StoreRows.JobRow;
import io.cob.engine.runtime.CommandRejectedException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A job whose cloud goes DOWN while it is out is placed again. */
class JobReplacementTest {
  private final TestClouds clouds = threeClouds();

  @RegisterExtension final EngineHarness engine = new EngineHarness().clouds(clouds);

  /** The job as the cloud it was last sent to received it. */
  private ActivatedJob takeJob() {
    return engine.dispatch().sent().getLast().job();
  }

  @Test
  void shouldPlaceTheJobOnAnotherCloudWithTheSameIdempotencyKeyWhenItsCloudGoesDown() {
    engine.deploy(model("", "", "cob:placement=\"jurisdiction=eu; prefer=cheapest\""));
    Instance i = engine.start("p");
    ActivatedJob out = takeJob(); // the job is out on public-b
    assertThat(i.job("task").cloud()).isEqualTo("public-b");

    clouds.health("public-b", CloudHealth.DOWN);
    assertThat(engine.engine().replaceJobsOn("public-b")).isEqualTo(1);
    engine.settle();

    JobRow again = i.job("task");
    assertThat(again.cloud()).isEqualTo("private");
    assertThat(again.key()).isNotEqualTo(out.key());
    assertThat(again.elementInstanceKey()).isEqualTo(activation(i, "task").key());
    ActivatedJob retaken = takeJob();
    assertThat(retaken.key()).isEqualTo(again.key());
    assertThat(retaken.idempotencyKey()).isEqualTo(out.idempotencyKey());

    List<StepPlaced> decisions = placements(i);
    assertThat(decisions).extracting(StepPlaced::cloud).containsExactly("public-b", "private");
    assertThat(decisions.get(1).reason())
        .isEqualTo(
            "cloud 'public-b' DOWN; policy jurisdiction=eu; prefer=cheapest (cob:placement of"
                + " 'task'): cheapest of [private 0.004]");
    assertThat(decisions.get(1).rejected())
        .containsExactly("public-a: jurisdiction [us]", "public-b: DOWN");
    assertThat(i.history())
        .map(EventRecord::event)
        .filteredOn(InstanceEvent.JobCanceled.class::isInstance)
        .hasSize(1);

    // The old job's answer arrives late: it no longer counts.
    assertThatThrownBy(() -> engine.engine().completeJob(out.key(), Map.of()))
        .isInstanceOf(CommandRejectedException.class);
    engine.engine().completeJob(retaken.key(), Map.of("done", true));
    engine.settle();
    assertThat(i.status()).isEqualTo("COMPLETED");
  }

  @Test
  void shouldLeaveJobsOnOtherCloudsAndDoNothingTheSecondTime() {
    engine.deploy(model("", lane("l1", "public-a", "cob:placement=\"prefer=cheapest\""), ""));
    Instance onA = engine.start("p");
    engine.deploy(model("", "", "cob:cloud=\"private\""));
    Instance onPrivate = engine.start("p");

    clouds.health("public-a", CloudHealth.DOWN);
    assertThat(engine.engine().replaceJobsOn("public-a")).isEqualTo(1);
    assertThat(engine.engine().replaceJobsOn("public-a")).isZero();
    engine.settle();

    assertThat(onA.job("task").cloud()).isEqualTo("public-b");
    assertThat(placements(onA).get(1).reason())
        .startsWith("cloud 'public-a' DOWN; cloud 'public-a' (lane 'public-a') is DOWN; policy");
    assertThat(onPrivate.job("task").cloud()).isEqualTo("private");
    assertThat(placements(onPrivate)).hasSize(1);
  }

  @Test
  void shouldRefuseToMoveAJobToTheCloudItIsOnAlready() {
    engine.deploy(model("", "", "cob:placement=\"prefer=cheapest\""));
    Instance i = engine.start("p");

    assertThatThrownBy(() -> engine.engine().replaceJob(i.job("task").key(), "by hand"))
        .isInstanceOf(CommandRejectedException.class)
        .hasMessageContaining("is on 'public-a' already, the cloud its placement chooses now");
    assertThat(placements(i)).hasSize(1);
  }

  @Test
  void shouldCancelTheJobWithAnIncidentWhenNoOtherCloudIsEligibleAndPlaceItAgainWhenResolved() {
    engine.deploy(model("", "", "cob:cloud=\"public-b\""));
    Instance i = engine.start("p");
    ActivatedJob out = takeJob();

    clouds.health("public-b", CloudHealth.DOWN);
    assertThat(engine.engine().replaceJobsOn("public-b")).isEqualTo(1);
    engine.settle();

    assertThat(i.jobs()).isEmpty();
    assertThat(i.incidents())
        .singleElement()
        .satisfies(
            inc -> {
              assertThat(inc.kind()).isEqualTo("PLACEMENT");
              assertThat(inc.jobKey()).isNull();
              assertThat(inc.message())
                  .isEqualTo(
                      "cloud 'public-b' DOWN; cloud 'public-b' (cob:cloud of 'task') is DOWN, and"
                          + " no cob:placement lets 'task' run elsewhere");
            });

    clouds.health("public-b", CloudHealth.UP);
    engine.engine().resolveIncident(i.incidents().getFirst().key(), 1);
    engine.settle();

    assertThat(i.incidents()).isEmpty();
    assertThat(i.job("task").cloud()).isEqualTo("public-b");
    assertThat(takeJob().idempotencyKey()).isEqualTo(out.idempotencyKey());
    assertThat(placements(i)).extracting(StepPlaced::cloud).containsExactly("public-b", "public-b");
  }
}
