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

class MessageCorrelationTest {
  @RegisterExtension final EngineHarness engine = new EngineHarness();

  private static final String MODEL =
      definitions(
          """
      <message id="m" name="paymentReceived"><extensionElements><zeebe:subscription correlationKey="=orderId"/></extensionElements></message>
      """
              + processElement(
                  "p",
                  """
      <startEvent id="s"/><userTask id="prepare"/>
      <receiveTask id="waitPayment" messageRef="m"/><endEvent id="e"/>
      """,
                  "s->prepare",
                  "prepare->waitPayment",
                  "waitPayment->e"));

  @Test
  void shouldCorrelateAMessageThatArrivedBeforeItsSubscriptionWithinItsTimeToLive() {
    engine.deploy(MODEL);
    Instance i = engine.start("p", Map.of("orderId", "o-42"));
    var published =
        engine.publish("paymentReceived", "o-42", Map.of("paid", 99), Duration.ofMinutes(10));
    assertThat(published.correlated()).isEmpty();
    assertThat(published.started()).isEmpty();
    assertThat(published.buffered()).isTrue();

    engine.advance(Duration.ofMinutes(5));
    i.completeUserTask("prepare", Map.of());

    assertThat(i.status()).isEqualTo("COMPLETED");
    assertThat(i.variables()).containsEntry("paid", 99L);
    // Kept for its time-to-live, for other processes; this one took it and cannot take it again.
    assertThat(engine.store().bufferedMessages("paymentReceived", "o-42", engine.clock().instant()))
        .singleElement()
        .satisfies(m -> assertThat(m.takenBy()).containsExactly("p"));
  }

  @Test
  void shouldNotCorrelateABufferedMessageAfterItsTimeToLive() {
    engine.deploy(MODEL);
    Instance i = engine.start("p", Map.of("orderId", "o-43"));
    engine.publish("paymentReceived", "o-43", Map.of(), Duration.ofMinutes(10));
    engine.advance(Duration.ofMinutes(11));
    i.completeUserTask("prepare", Map.of());
    assertThat(i.status()).isEqualTo("ACTIVE");
    assertThat(i.activeElements()).containsExactly("waitPayment");
  }

  @Test
  void shouldGiveABufferedMessageToOneSubscriptionOnly() {
    engine.deploy(MODEL);
    Instance a = engine.start("p", Map.of("orderId", "same"));
    Instance b = engine.start("p", Map.of("orderId", "same"));
    engine.publish("paymentReceived", "same", Map.of(), Duration.ofMinutes(10));
    a.completeUserTask("prepare", Map.of());
    b.completeUserTask("prepare", Map.of());
    assertThat(a.status()).isEqualTo("COMPLETED");
    assertThat(b.status()).isEqualTo("ACTIVE");
  }

  @Test
  void shouldStartAnInstanceAtAMessageStartEvent() {
    engine.deploy(
        definitions(
            """
        <message id="m" name="orderPlaced"/>
        """
                + processElement(
                    "order",
                    """
        <startEvent id="s"><messageEventDefinition messageRef="m"/></startEvent><endEvent id="e"/>
        """,
                    "s->e")));
    var r = engine.publish("orderPlaced", null, Map.of("sku", "x1"), Duration.ZERO);
    assertThat(r.started()).hasSize(1);
    Instance i = engine.instance(r.started().get(0));
    assertThat(i.status()).isEqualTo("COMPLETED");
    assertThat(i.variables()).containsEntry("sku", "x1");
  }
}
