package io.cob.engine.bpmn;

import static io.cob.engine.TestModels.definitions;
import static io.cob.engine.TestModels.processElement;
import static org.assertj.core.api.Assertions.assertThat;

import io.cob.engine.EngineHarness;
import io.cob.engine.EngineHarness.Instance;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class EventBasedGatewayTest {
  @RegisterExtension final EngineHarness engine = new EngineHarness();

  private static final String MODEL =
      definitions(
          """
      <message id="m1" name="approved"><extensionElements><zeebe:subscription correlationKey="=orderId"/></extensionElements></message>
      <message id="m2" name="rejected"><extensionElements><zeebe:subscription correlationKey="=orderId"/></extensionElements></message>
      """
              + processElement(
                  "p",
                  """
      <startEvent id="s"/>
      <eventBasedGateway id="g"/>
      <intermediateCatchEvent id="onApproved"><messageEventDefinition messageRef="m1"/></intermediateCatchEvent>
      <intermediateCatchEvent id="onRejected"><messageEventDefinition messageRef="m2"/></intermediateCatchEvent>
      <intermediateCatchEvent id="onTimeout"><timerEventDefinition><timeDuration>PT1H</timeDuration></timerEventDefinition></intermediateCatchEvent>
      <endEvent id="eA"/><endEvent id="eR"/><endEvent id="eT"/>
      """,
                  "s->g",
                  "g->onApproved",
                  "g->onRejected",
                  "g->onTimeout",
                  "onApproved->eA",
                  "onRejected->eR",
                  "onTimeout->eT"));

  @Test
  void shouldTakeTheFirstOfTwoMessagesAndWithdrawTheOthers() {
    engine.deploy(MODEL);
    Instance i = engine.start("p", Map.of("orderId", "o-1"));
    assertThat(i.state().subscriptions()).hasSize(2);
    assertThat(i.state().timers()).hasSize(1);

    var result = engine.publish("rejected", "o-1", Map.of("reason", "stock"), Duration.ZERO);
    assertThat(result.correlated()).containsExactly(i.id());
    assertThat(i.status()).isEqualTo("COMPLETED");
    assertThat(i.completed())
        .contains("g", "onRejected", "eR")
        .doesNotContain("onApproved", "onTimeout");
    assertThat(i.variables()).containsEntry("reason", "stock");
    assertThat(i.state().subscriptions()).isEmpty();
    assertThat(i.state().timers()).isEmpty();

    var late = engine.publish("approved", "o-1", Map.of(), Duration.ZERO);
    assertThat(late.correlated()).isEmpty();
  }

  @Test
  void shouldTakeTheTimerWhenNoMessageComesInTime() {
    engine.deploy(MODEL);
    Instance i = engine.start("p", Map.of("orderId", "o-2"));
    engine.advance(Duration.ofMinutes(59));
    assertThat(i.status()).isEqualTo("ACTIVE");
    engine.advance(Duration.ofMinutes(2));
    assertThat(i.status()).isEqualTo("COMPLETED");
    assertThat(i.completed()).contains("onTimeout", "eT");
    assertThat(engine.store().subscriptions("approved", "o-2")).isEmpty();
  }

  @Test
  void shouldCorrelateOnlyToTheInstanceWithTheMatchingKey() {
    engine.deploy(MODEL);
    Instance a = engine.start("p", Map.of("orderId", "A"));
    Instance b = engine.start("p", Map.of("orderId", "B"));
    engine.publish("approved", "B", Map.of(), Duration.ZERO);
    assertThat(a.status()).isEqualTo("ACTIVE");
    assertThat(b.status()).isEqualTo("COMPLETED");
  }
}
