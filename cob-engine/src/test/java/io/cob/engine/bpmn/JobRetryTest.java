package io.cob.engine.bpmn;

import static io.cob.engine.TestModels.process;
import static org.assertj.core.api.Assertions.assertThat;

import io.cob.engine.EngineHarness;
import io.cob.engine.EngineHarness.Instance;
import io.cob.engine.port.JobResult;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class JobRetryTest {
  private final AtomicInteger attempts = new AtomicInteger();
  private volatile int failFirst = 0;

  @RegisterExtension
  final EngineHarness engine =
      new EngineHarness()
          .handler(
              "flaky",
              job -> {
                if (attempts.incrementAndGet() <= failFirst) {
                  throw new IllegalStateException("service unavailable");
                }
                return JobResult.complete(
                    Map.of("attempt", attempts.get(), "key", job.idempotencyKey()));
              });

  private static final String MODEL =
      process(
          "p",
          """
      <startEvent id="s"/>
      <serviceTask id="call"><extensionElements><zeebe:taskDefinition type="flaky" retries="3"/></extensionElements></serviceTask>
      <endEvent id="e"/>
      """,
          "s->call",
          "call->e");

  @Test
  void shouldRetryWithExponentialBackoffAndCompleteWithTheSameIdempotencyKey() {
    failFirst = 2;
    engine.deploy(MODEL);
    Instance i = engine.start("p");
    assertThat(attempts.get()).isEqualTo(1);
    assertThat(i.job("call").retries()).isEqualTo(2);
    assertThat(i.job("call").dueAt()).isEqualTo(engine.clock().instant().plusSeconds(1));

    engine.advance(Duration.ofSeconds(1));
    assertThat(attempts.get()).isEqualTo(2);
    assertThat(i.job("call").dueAt()).isEqualTo(engine.clock().instant().plusSeconds(2));

    engine.advance(Duration.ofSeconds(1));
    assertThat(attempts.get()).isEqualTo(2); // back-off doubled: not yet
    engine.advance(Duration.ofSeconds(1));
    assertThat(attempts.get()).isEqualTo(3);
    assertThat(i.status()).isEqualTo("COMPLETED");
    assertThat(i.variables().get("key")).isEqualTo(i.id() + ":" + elementKeyOfCall(i));
  }

  private static long elementKeyOfCall(Instance i) {
    return i.history().stream()
        .map(r -> r.event())
        .filter(
            e ->
                e instanceof io.cob.engine.event.InstanceEvent.ElementActivated a
                    && a.elementId().equals("call"))
        .map(e -> ((io.cob.engine.event.InstanceEvent.ElementActivated) e).key())
        .findFirst()
        .orElseThrow();
  }

  @Test
  void shouldRaiseIncidentWhenRetriesRunOutAndRunAgainAfterResolving() {
    failFirst = 3;
    engine.deploy(MODEL);
    Instance i = engine.start("p");
    engine.advance(Duration.ofSeconds(1));
    engine.advance(Duration.ofSeconds(2));
    assertThat(attempts.get()).isEqualTo(3);
    assertThat(i.incidents())
        .singleElement()
        .satisfies(
            inc -> {
              assertThat(inc.kind()).isEqualTo("JOB_NO_RETRIES");
              assertThat(inc.message()).contains("service unavailable");
              assertThat(inc.jobKey()).isNotNull();
            });
    assertThat(i.jobs()).isEmpty(); // an incident holds the job: nobody may take it
    engine.advance(Duration.ofHours(1));
    assertThat(attempts.get()).isEqualTo(3);

    engine.engine().resolveIncident(i.incidents().get(0).key(), 1);
    engine.settle();
    assertThat(attempts.get()).isEqualTo(4);
    assertThat(i.status()).isEqualTo("COMPLETED");
    assertThat(i.incidents()).isEmpty();
  }
}
