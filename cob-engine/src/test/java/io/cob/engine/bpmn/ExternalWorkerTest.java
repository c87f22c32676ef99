package io.cob.engine.bpmn;

import static io.cob.engine.TestModels.process;
import static io.cob.engine.TestModels.serviceTask;
import static org.assertj.core.api.Assertions.assertThat;

import io.cob.engine.EngineHarness;
import io.cob.engine.EngineHarness.Instance;
import io.cob.engine.port.ActivatedJob;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ExternalWorkerTest {
  @RegisterExtension final EngineHarness engine = new EngineHarness();

  private static final String MODEL =
      process(
          "p",
          "<startEvent id=\"s\"/>" + serviceTask("charge", "payment") + "<endEvent id=\"e\"/>",
          "s->charge",
          "charge->e");

  @Test
  void shouldHandAJobToOneWorkerWithItsVariablesAndIdempotencyKey() {
    engine.deploy(MODEL);
    Instance i = engine.start("p", Map.of("amount", 12));
    List<ActivatedJob> jobs =
        engine.engine().activateJobs("payment", "w1", 10, Duration.ofMinutes(1), Duration.ZERO);
    assertThat(jobs)
        .singleElement()
        .satisfies(
            j -> {
              assertThat(j.variables()).containsEntry("amount", 12L);
              assertThat(j.idempotencyKey()).startsWith(i.id() + ":");
              assertThat(j.elementId()).isEqualTo("charge");
            });
    assertThat(
            engine.engine().activateJobs("payment", "w2", 10, Duration.ofMinutes(1), Duration.ZERO))
        .isEmpty();

    engine.engine().completeJob(jobs.get(0).key(), Map.of("paid", true));
    engine.settle();
    assertThat(i.status()).isEqualTo("COMPLETED");
    assertThat(i.variables()).containsEntry("paid", true);
  }

  @Test
  void shouldWakeALongPollingWorkerWhenAJobAppears() throws Exception {
    engine.deploy(MODEL);
    CompletableFuture<List<ActivatedJob>> poll =
        CompletableFuture.supplyAsync(
            () ->
                engine
                    .engine()
                    .activateJobs(
                        "payment", "w1", 1, Duration.ofMinutes(1), Duration.ofSeconds(20)));
    engine.start("p");
    List<ActivatedJob> jobs = poll.get();
    assertThat(jobs).hasSize(1);
  }

  @Test
  void shouldGiveTheJobToAnotherWorkerWhenTheLockExpires() {
    engine.deploy(MODEL);
    engine.start("p");
    List<ActivatedJob> first =
        engine.engine().activateJobs("payment", "w1", 1, Duration.ofSeconds(30), Duration.ZERO);
    engine.clock().advance(Duration.ofSeconds(31));
    List<ActivatedJob> second =
        engine.engine().activateJobs("payment", "w2", 1, Duration.ofSeconds(30), Duration.ZERO);
    assertThat(second)
        .singleElement()
        .satisfies(
            j -> {
              assertThat(j.key()).isEqualTo(first.get(0).key());
              assertThat(j.idempotencyKey()).isEqualTo(first.get(0).idempotencyKey());
            });
  }
}
