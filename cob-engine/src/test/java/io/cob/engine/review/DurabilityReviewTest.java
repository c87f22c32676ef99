package io.cob.engine.review;

import static io.cob.engine.TestModels.definitions;
import static io.cob.engine.TestModels.process;
import static io.cob.engine.TestModels.processElement;
import static io.cob.engine.TestModels.serviceTask;
import static org.assertj.core.api.Assertions.assertThat;

import io.cob.engine.EngineHarness;
import io.cob.engine.EngineHarness.Instance;
import io.cob.engine.event.InstanceEvent.MessageCorrelated;
import io.cob.engine.port.StoreRows.InstanceQuery;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Review: at-least-once delivery of what a committed command asks for, across one transient store
 * failure (a database hiccup that a retry would get past).
 */
class DurabilityReviewTest {
  private final ControllableStore control = new ControllableStore();
  @RegisterExtension final EngineHarness engine = new EngineHarness(control::store);

  /**
   * Found in review, fixed since: The parent committed its call activity and the outbox row with
   * the child's StartInstance. Delivering it fails once (the store refuses that commit); the outbox
   * row stays in the store but is only re-read when the node restarts (NodeRuntime.start), so the
   * child is never created and the parent waits for ever. DESIGN §6/§10.4: outbox rows are
   * delivered at least once.
   */
  @Test
  void shouldRedeliverAnOutboxCommandAfterATransientStoreFailure() {
    engine.deploy(
        process(
            "child",
            "<startEvent id=\"cs\"/>" + serviceTask("price", "work") + "<endEvent id=\"ce\"/>",
            "cs->price",
            "price->ce"),
        process(
            "parent",
            """
        <startEvent id="s"/><callActivity id="call" calledElement="child"/><endEvent id="e"/>
        """,
            "s->call",
            "call->e"));
    control.failNextCommitWhere(ControllableStore.createsInstanceOf("child"));
    Instance parent = engine.start("parent");

    engine.advance(Duration.ofMinutes(10));

    assertThat(
            engine
                .store()
                .instances(new InstanceQuery(null, "child", null, null, parent.id(), 10, null)))
        .as("the child instance")
        .hasSize(1);
  }

  /**
   * Found in review, fixed since: A message throw event publishes its message after the thrower's
   * commit, from memory only (ProcessingResult.publishes, not an outbox row). If correlating it
   * fails once - or the node stops between the commit and the publication - the message is gone:
   * the waiting instance never gets it although the thrower's log says it was thrown.
   */
  @Test
  void shouldNotLoseAThrownMessageWhenItsCorrelationFailsOnce() {
    engine.deploy(
        definitions(
            """
        <message id="m" name="ping"><extensionElements><zeebe:subscription correlationKey="=k"/></extensionElements></message>
        """
                + processElement(
                    "thrower",
                    """
        <startEvent id="s"/>
        <intermediateThrowEvent id="send"><messageEventDefinition messageRef="m"/></intermediateThrowEvent>
        <endEvent id="e"/>
        """,
                    "s->send",
                    "send->e")
                + processElement(
                    "catcher",
                    """
        <startEvent id="s2"/>
        <intermediateCatchEvent id="wait"><messageEventDefinition messageRef="m"/></intermediateCatchEvent>
        <endEvent id="e2"/>
        """,
                    "s2->wait",
                    "wait->e2")));
    Instance catcher = engine.start("catcher", Map.of("k", "x"));
    control.failNextCommitWhere(ControllableStore.hasEvent(MessageCorrelated.class));

    Instance thrower = engine.start("thrower", Map.of("k", "x"));
    engine.advance(Duration.ofMinutes(10));

    assertThat(thrower.status()).isEqualTo("COMPLETED");
    assertThat(catcher.status()).as("the catcher got the thrown message").isEqualTo("COMPLETED");
  }
}
