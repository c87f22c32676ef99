package io.cob.engine.bpmn;

import static io.cob.engine.TestModels.definitions;
import static io.cob.engine.TestModels.process;
import static io.cob.engine.TestModels.processElement;
import static io.cob.engine.TestModels.serviceTask;
import static org.assertj.core.api.Assertions.assertThat;

import io.cob.engine.EngineHarness;
import io.cob.engine.EngineHarness.Instance;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class BoundaryEventTest {
  @RegisterExtension final EngineHarness engine = new EngineHarness();

  private static String timer(String id, String duration) {
    return "<boundaryEvent id=\""
        + id
        + "\" attachedToRef=\"review\"><timerEventDefinition><timeDuration>"
        + duration
        + "</timeDuration></timerEventDefinition></boundaryEvent>\n";
  }

  @Test
  void shouldLetTheEarliestOfThreeTimersOnAUserTaskWin() {
    engine.deploy(
        process(
            "p",
            """
        <startEvent id="s"/><userTask id="review"/><endEvent id="done"/>
        """
                + timer("t3h", "PT3H")
                + timer("t1h", "PT1H")
                + timer("t2h", "PT2H")
                + """
        <endEvent id="e3"/><endEvent id="e1"/><endEvent id="e2"/>
        """,
            "s->review",
            "review->done",
            "t3h->e3",
            "t1h->e1",
            "t2h->e2"));
    Instance i = engine.start("p");
    assertThat(i.state().timers()).hasSize(3);

    engine.advance(Duration.ofMinutes(61));
    assertThat(i.status()).isEqualTo("COMPLETED");
    assertThat(i.completed()).contains("t1h", "e1").doesNotContain("t2h", "t3h", "review");
    assertThat(i.terminated()).containsExactly("review");
    assertThat(i.state().timers()).isEmpty();
    assertThat(engine.store().nextTimerDue()).isEmpty();
    assertThat(i.userTasks()).isEmpty();
  }

  @Test
  void shouldWithdrawBoundaryTimersWhenTheTaskCompletesFirst() {
    engine.deploy(
        process(
            "p",
            """
        <startEvent id="s"/><userTask id="review"/><endEvent id="done"/>
        """
                + timer("t1h", "PT1H")
                + "<endEvent id=\"e1\"/>",
            "s->review",
            "review->done",
            "t1h->e1"));
    Instance i = engine.start("p");
    i.completeUserTask("review", Map.of("ok", true));
    assertThat(i.status()).isEqualTo("COMPLETED");
    assertThat(engine.store().nextTimerDue()).isEmpty();
    engine.advance(Duration.ofHours(2));
    assertThat(i.completed()).doesNotContain("t1h");
  }

  @Test
  void shouldFireNonInterruptingCycleTimerRepeatedlyWhileTheTaskWaits() {
    engine.deploy(
        process(
            "p",
            """
        <startEvent id="s"/><userTask id="review"/><endEvent id="done"/>
        <boundaryEvent id="remind" attachedToRef="review" cancelActivity="false">
          <timerEventDefinition><timeCycle>R3/PT10M</timeCycle></timerEventDefinition>
        </boundaryEvent>
        """
                + serviceTask("notify", "work")
                + "<endEvent id=\"e\"/>",
            "s->review",
            "review->done",
            "remind->notify",
            "notify->e"));
    Instance i = engine.start("p");
    for (int n = 0; n < 5; n++) {
      engine.advance(Duration.ofMinutes(10));
    }
    assertThat(i.completed()).filteredOn("remind"::equals).hasSize(3);
    assertThat(i.jobs()).hasSize(3);
    assertThat(i.activeElements()).contains("review");
    i.completeUserTask("review", Map.of());
    assertThat(i.status()).isEqualTo("ACTIVE"); // the three notify jobs still run
  }

  @Test
  void shouldInterruptTheTaskWhenAMessageArrivesAtItsBoundary() {
    engine.deploy(
        definitions(
            """
        <message id="m" name="cancelOrder"><extensionElements><zeebe:subscription correlationKey="=orderId"/></extensionElements></message>
        """
                + processElement(
                    "p",
                    serviceTask("ship", "work")
                        + """
        <startEvent id="s"/><endEvent id="done"/>
        <boundaryEvent id="cancelled" attachedToRef="ship"><messageEventDefinition messageRef="m"/></boundaryEvent>
        <endEvent id="eC"/>
        """,
                    "s->ship",
                    "ship->done",
                    "cancelled->eC")));
    Instance i = engine.start("p", Map.of("orderId", "o7"));
    engine.publish("cancelOrder", "o7", Map.of("why", "customer"), Duration.ZERO);
    assertThat(i.status()).isEqualTo("COMPLETED");
    assertThat(i.terminated()).containsExactly("ship");
    assertThat(i.jobs()).isEmpty();
    assertThat(i.variables()).containsEntry("why", "customer");
  }
}
