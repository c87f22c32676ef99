package io.cob.engine.review;

import static io.cob.engine.TestModels.definitions;
import static io.cob.engine.TestModels.processElement;
import static org.assertj.core.api.Assertions.assertThat;

import io.cob.engine.EngineHarness;
import io.cob.engine.EngineHarness.Instance;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Review: message correlation and buffering. */
class MessageReviewTest {
  @RegisterExtension final EngineHarness engine = new EngineHarness();

  private static final String MESSAGES =
      """
      <message id="ma" name="a"><extensionElements><zeebe:subscription correlationKey="=k"/></extensionElements></message>
      <message id="mb" name="b"><extensionElements><zeebe:subscription correlationKey="=k"/></extensionElements></message>
      """;

  /**
   * Found in review, fixed since: When an event-based gateway opens its subscriptions, each one
   * takes a matching buffered message out of the buffer. Only the first is correlated (it completes
   * the gateway and withdraws the other subscription); the second message was already deleted from
   * the buffer and is lost. Zeebe correlates one message; the other stays buffered for its
   * time-to-live.
   */
  @Test
  void shouldKeepTheOtherBufferedMessageWhenAnEventBasedGatewayTakesOne() {
    engine.deploy(
        definitions(
            MESSAGES
                + processElement(
                    "p",
                    """
        <startEvent id="s"/><userTask id="prepare"/><eventBasedGateway id="g"/>
        <intermediateCatchEvent id="ca"><messageEventDefinition messageRef="ma"/></intermediateCatchEvent>
        <intermediateCatchEvent id="cb"><messageEventDefinition messageRef="mb"/></intermediateCatchEvent>
        <endEvent id="ea"/><endEvent id="eb"/>
        """,
                    "s->prepare",
                    "prepare->g",
                    "g->ca",
                    "g->cb",
                    "ca->ea",
                    "cb->eb")));
    Instance i = engine.start("p", Map.of("k", "o-1"));
    engine.publish("a", "o-1", Map.of(), Duration.ofHours(1));
    engine.publish("b", "o-1", Map.of(), Duration.ofHours(1));

    i.completeUserTask("prepare", Map.of());

    assertThat(i.status()).isEqualTo("COMPLETED");
    assertThat(i.completed()).contains("ca").doesNotContain("cb");
    assertThat(engine.store().bufferedMessages("b", "o-1", engine.clock().instant()))
        .as("message b was not correlated; it must stay buffered")
        .hasSize(1);
  }

  /**
   * Found in review, fixed since: A subscription whose correlation key expression gives null is
   * opened with a null key, so any message of that name published WITHOUT a key is correlated to
   * it. Zeebe raises an incident ("the correlation key must be a string or a number") and opens no
   * subscription.
   */
  @Test
  void shouldNotCorrelateAKeylessMessageWhenTheCorrelationKeyExpressionGivesNull() {
    engine.deploy(
        definitions(
            MESSAGES
                + processElement(
                    "p",
                    """
        <startEvent id="s"/><receiveTask id="wait" messageRef="ma"/><endEvent id="e"/>
        """,
                    "s->wait",
                    "wait->e")));
    Instance i = engine.start("p"); // no variable k

    var r = engine.publish("a", null, Map.of(), Duration.ZERO);

    assertThat(r.correlated()).isEmpty();
    assertThat(i.status()).isEqualTo("ACTIVE");
    assertThat(i.incidents()).hasSize(1);
  }

  /**
   * Found in review, fixed since (divergence from Camunda 8 "message cardinality" and Camunda 7
   * correlate()). "If multiple subscriptions for the same process are opened (by multiple process
   * instances or within one instance), the message is correlated only to one of the subscriptions."
   * cob used to correlate one message to every waiting instance of the same process: one payment
   * confirms two orders.
   */
  @Test
  void shouldCorrelateAMessageToOnlyOneInstanceOfTheSameProcess() {
    engine.deploy(
        definitions(
            MESSAGES
                + processElement(
                    "p",
                    """
        <startEvent id="s"/><receiveTask id="wait" messageRef="ma"/><endEvent id="e"/>
        """,
                    "s->wait",
                    "wait->e")));
    Instance first = engine.start("p", Map.of("k", "same"));
    Instance second = engine.start("p", Map.of("k", "same"));

    var r = engine.publish("a", "same", Map.of(), Duration.ZERO);

    assertThat(r.correlated()).hasSize(1);
    assertThat(List.of(first.status(), second.status()))
        .containsExactlyInAnyOrder("COMPLETED", "ACTIVE");
  }

  /**
   * Found in review (divergence from Camunda 8), fixed since: "A message is not correlated to a
   * message start event subscription if an instance of the process is active and was created by a
   * message with the same correlation key." cob starts a second instance for the same key.
   */
  @Test
  void shouldNotStartASecondInstanceByMessageWhileOneWithTheSameCorrelationKeyIsActive() {
    engine.deploy(
        definitions(
            """
        <message id="m" name="orderPlaced"/>
        """
                + processElement(
                    "order",
                    """
        <startEvent id="s"><messageEventDefinition messageRef="m"/></startEvent><userTask id="handle"/><endEvent id="e"/>
        """,
                    "s->handle",
                    "handle->e")));
    var first = engine.publish("orderPlaced", "o-1", Map.of(), Duration.ZERO);
    assertThat(first.started()).hasSize(1);

    var second = engine.publish("orderPlaced", "o-1", Map.of(), Duration.ZERO);

    assertThat(second.started()).isEmpty();
  }

  /**
   * Found in review (divergence from Camunda 8 buffering), fixed since: A message with a
   * time-to-live stays buffered for that time even when it was correlated at once; a subscription
   * of ANOTHER process opened within the TTL still gets it ("When subscriptions are opened for
   * different processes, the message is correlated to all the subscriptions"). cob used to buffer
   * only messages nobody took.
   */
  @Test
  void shouldKeepACorrelatedMessageBufferedForOtherProcessesWithinItsTimeToLive() {
    engine.deploy(
        definitions(
            MESSAGES
                + processElement(
                    "billing",
                    """
        <startEvent id="s"/><receiveTask id="wait" messageRef="ma"/><endEvent id="e"/>
        """,
                    "s->wait",
                    "wait->e")
                + processElement(
                    "shipping",
                    """
        <startEvent id="s2"/><receiveTask id="wait2" messageRef="ma"/><endEvent id="e2"/>
        """,
                    "s2->wait2",
                    "wait2->e2")));
    Instance billing = engine.start("billing", Map.of("k", "o-5"));
    engine.publish("a", "o-5", Map.of(), Duration.ofHours(1));
    assertThat(billing.status()).isEqualTo("COMPLETED");

    Instance shipping = engine.start("shipping", Map.of("k", "o-5"));

    assertThat(shipping.status()).isEqualTo("COMPLETED");
  }

  /**
   * Found in review (resource leak), fixed since: Nothing in the engine ever calls
   * Store.deleteExpiredMessages: buffered messages whose time-to-live passed stay in the store for
   * ever (they are only filtered out on read), so the buffer table grows without bound.
   */
  @Test
  void shouldDeleteBufferedMessagesOnceTheirTimeToLivePassed() {
    engine.deploy(
        definitions(
            MESSAGES
                + processElement(
                    "p",
                    """
        <startEvent id="s"/><receiveTask id="wait" messageRef="ma"/><endEvent id="e"/>
        """,
                    "s->wait",
                    "wait->e")));
    engine.publish("a", "nobody-waits", Map.of(), Duration.ofMinutes(1));

    engine.advance(Duration.ofDays(1));

    assertThat(engine.store().deleteExpiredMessages(engine.clock().instant()))
        .as("expired messages the engine left in the store")
        .isZero();
  }

  /**
   * VERIFIED (passes). Two open subscriptions of one instance for the same message: one message
   * correlates to one of them only.
   */
  @Test
  void shouldCorrelateOneMessageToOnlyOneOfTwoSubscriptionsOfAnInstance() {
    engine.deploy(
        definitions(
            MESSAGES
                + processElement(
                    "p",
                    """
        <startEvent id="s"/><parallelGateway id="f"/>
        <receiveTask id="w1" messageRef="ma"/><receiveTask id="w2" messageRef="ma"/>
        <endEvent id="e1"/><endEvent id="e2"/>
        """,
                    "s->f",
                    "f->w1",
                    "f->w2",
                    "w1->e1",
                    "w2->e2")));
    Instance i = engine.start("p", Map.of("k", "x"));
    var r = engine.publish("a", "x", Map.of(), Duration.ZERO);
    assertThat(r.correlated()).containsExactly(i.id());
    assertThat(i.completed()).contains("w1").doesNotContain("w2");
    assertThat(i.activeElements()).containsExactly("w2");
    engine.publish("a", "x", Map.of(), Duration.ZERO);
    assertThat(i.status()).isEqualTo("COMPLETED");
  }

  /**
   * VERIFIED (passes). An event-based gateway leading to a receive task: the message completes the
   * receive task, its variables go through its output mapping.
   */
  @Test
  void shouldCompleteAReceiveTaskAfterAnEventBasedGatewayWithTheMessageVariables() {
    engine.deploy(
        definitions(
            MESSAGES
                + processElement(
                    "p",
                    """
        <startEvent id="s"/><eventBasedGateway id="g"/>
        <receiveTask id="ra" messageRef="ma"><extensionElements><zeebe:ioMapping>
          <zeebe:output source="=amount * 2" target="doubled"/></zeebe:ioMapping></extensionElements></receiveTask>
        <intermediateCatchEvent id="t"><timerEventDefinition><timeDuration>PT1H</timeDuration></timerEventDefinition></intermediateCatchEvent>
        <endEvent id="ea"/><endEvent id="et"/>
        """,
                    "s->g",
                    "g->ra",
                    "g->t",
                    "ra->ea",
                    "t->et")));
    Instance i = engine.start("p", Map.of("k", "x"));
    engine.publish("a", "x", Map.of("amount", 21), Duration.ZERO);
    assertThat(i.status()).isEqualTo("COMPLETED");
    assertThat(i.variables()).containsEntry("doubled", 42L).doesNotContainKey("amount");
    assertThat(i.state().timers()).isEmpty();
    assertThat(engine.store().nextTimerDue()).isEmpty();
  }

  /** VERIFIED (passes). A timer date in the past fires at once. */
  @Test
  void shouldFireATimerWhoseDateIsInThePastAtOnce() {
    engine.deploy(
        definitions(
            processElement(
                "p",
                """
        <startEvent id="s"/>
        <intermediateCatchEvent id="t"><timerEventDefinition><timeDate>2020-01-01T00:00:00Z</timeDate></timerEventDefinition></intermediateCatchEvent>
        <endEvent id="e"/>
        """,
                "s->t",
                "t->e")));
    Instance i = engine.start("p");
    assertThat(i.status()).isEqualTo("COMPLETED");
  }
}
