package io.cob.engine.bpmn;

import static io.cob.engine.TestModels.process;
import static org.assertj.core.api.Assertions.assertThat;

import io.cob.engine.EngineHarness;
import io.cob.engine.EngineHarness.Instance;
import io.cob.engine.port.JobResult;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A local handler that sends a request and lets the answer complete the job later. */
class AwaitedJobTest {
  private final List<String> requests = new CopyOnWriteArrayList<>();

  @RegisterExtension
  final EngineHarness engine =
      new EngineHarness()
          .handler(
              "request",
              job -> {
                requests.add(job.idempotencyKey());
                return new JobResult.Await(Duration.ofMinutes(5));
              });

  private static final String MODEL =
      process(
          "p",
          """
      <startEvent id="s"/>
      <serviceTask id="ask"><extensionElements><zeebe:taskDefinition type="request"/></extensionElements></serviceTask>
      <endEvent id="e"/>
      """,
          "s->ask",
          "ask->e");

  @Test
  void shouldWaitForTheAnswerAndContinueWhenItCompletesTheJob() {
    engine.deploy(MODEL);
    Instance i = engine.start("p");

    assertThat(requests).hasSize(1);
    assertThat(i.status()).isEqualTo("ACTIVE");
    assertThat(i.job("ask").lockExpiresAt())
        .isEqualTo(engine.clock().instant().plus(Duration.ofMinutes(5)));

    engine.advance(Duration.ofMinutes(4));
    assertThat(requests).as("still locked while the answer is awaited").hasSize(1);

    i.completeJob("ask", Map.of("answer", "yes"));
    assertThat(i.status()).isEqualTo("COMPLETED");
    assertThat(i.variables()).containsEntry("answer", "yes");
  }

  @Test
  void shouldSendTheRequestAgainWithTheSameIdempotencyKeyWhenNoAnswerCame() {
    engine.deploy(MODEL);
    Instance i = engine.start("p");

    engine.advance(Duration.ofMinutes(5).plusSeconds(1));

    assertThat(requests).hasSize(2);
    assertThat(requests.get(1)).isEqualTo(requests.get(0));
    assertThat(i.job("ask").retries()).as("a lapsed wait uses up no retry").isEqualTo(3);
  }
}
