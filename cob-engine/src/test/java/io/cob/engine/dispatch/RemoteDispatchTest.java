package io.cob.engine.dispatch;

import static io.cob.engine.TestModels.process;
import static org.assertj.core.api.Assertions.assertThat;

import io.cob.engine.EngineHarness;
import io.cob.engine.EngineHarness.Instance;
import io.cob.engine.TestClouds;
import io.cob.engine.port.ActivatedJob;
import io.cob.engine.port.JobResult;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Jobs placed on another cloud travel there instead of running here. */
class RemoteDispatchTest {
  private static final String MODEL =
      process(
          "p",
          """
          <startEvent id="s"/>
          <serviceTask id="here"><extensionElements><zeebe:taskDefinition type="work"/></extensionElements></serviceTask>
          <serviceTask id="there" cob:cloud="public-a"><extensionElements><zeebe:taskDefinition type="work"/></extensionElements></serviceTask>
          <endEvent id="e"/>
          """,
          "s->here",
          "here->there",
          "there->e");

  private final List<String> ranHere = new CopyOnWriteArrayList<>();

  private TestClouds clouds() {
    return new TestClouds().add("test", "", null, null, 1).add("public-a", "", null, null, 30);
  }

  @Test
  void shouldSendAJobPlacedOnAnotherCloudThereAndApplyTheOutcomeThatComesBack() {
    EngineHarness h =
        new EngineHarness()
            .clouds(clouds())
            .handler(
                "work",
                job -> {
                  ranHere.add(job.elementId());
                  return JobResult.complete(Map.of(job.elementId() + "Done", true));
                });
    try (h) {
      h.deploy(MODEL);
      Instance i = h.start("p");

      assertThat(i.status())
          .as(i.jobs() + " " + h.dispatch().sent() + " " + i.history())
          .isEqualTo("COMPLETED");
      assertThat(i.variables()).containsEntry("hereDone", true).containsEntry("thereDone", true);
      assertThat(h.dispatch().sent())
          .singleElement()
          .satisfies(
              s -> {
                assertThat(s.cloud()).isEqualTo("public-a");
                assertThat(s.job().elementId()).isEqualTo("there");
              });
    }
  }

  @Test
  void shouldNotHandAJobPlacedOnAnotherCloudToThisNodesWorkers() throws Exception {
    EngineHarness h = new EngineHarness().clouds(clouds());
    try (h) {
      h.deploy(
          process(
              "q",
              """
              <startEvent id="s"/>
              <serviceTask id="there" cob:cloud="public-a"><extensionElements><zeebe:taskDefinition type="ext"/></extensionElements></serviceTask>
              <endEvent id="e"/>
              """,
              "s->there",
              "there->e"));
      h.start("q");

      assertThat(h.engine().activateJobs("ext", "w", 10, Duration.ofMinutes(1), Duration.ZERO))
          .isEmpty();
      assertThat(h.dispatch().sent()).extracting(s -> s.job().type()).containsExactly("ext");
    }
  }

  @Test
  void shouldSendAgainSoonAfterAFailedDispatchAndAfterALapsedLeaseWithTheSameIdempotencyKey() {
    AtomicInteger attempts = new AtomicInteger();
    List<ActivatedJob> delivered = new CopyOnWriteArrayList<>();
    EngineHarness h =
        new EngineHarness()
            .clouds(clouds())
            .handler("work", job -> JobResult.complete())
            .jobDispatch(
                (job, cloud) -> {
                  if (attempts.incrementAndGet() == 1) {
                    throw new IllegalStateException("broker unreachable");
                  }
                  delivered.add(job); // taken by the transport; no outcome comes back
                });
    try (h) {
      h.deploy(MODEL);
      Instance i = h.start("p");
      assertThat(attempts.get()).isEqualTo(1);
      assertThat(delivered).isEmpty();

      h.advance(Duration.ofSeconds(3));
      assertThat(delivered).hasSize(1);

      h.advance(Duration.ofMinutes(4));
      assertThat(delivered).as("held while the lease runs").hasSize(1);

      h.advance(Duration.ofMinutes(2));
      assertThat(delivered).hasSize(2);
      assertThat(delivered.get(1).idempotencyKey()).isEqualTo(delivered.get(0).idempotencyKey());
      assertThat(delivered.get(1).key()).isEqualTo(delivered.get(0).key());

      h.engine().completeJob(delivered.get(1).key(), Map.of("answer", 42));
      h.settle();
      assertThat(i.status()).isEqualTo("COMPLETED");
      assertThat(i.variables()).containsEntry("answer", 42L);
    }
  }
}
