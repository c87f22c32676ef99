package io.cob.engine.review;

import static io.cob.engine.TestModels.definitions;
import static io.cob.engine.TestModels.process;
import static io.cob.engine.TestModels.processElement;
import static io.cob.engine.TestModels.serviceTask;
import static org.assertj.core.api.Assertions.assertThat;

import io.cob.engine.EngineHarness;
import io.cob.engine.EngineHarness.Instance;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Review: variable scoping, input/output mappings. */
class VariableReviewTest {
  @RegisterExtension final EngineHarness engine = new EngineHarness();

  /**
   * Found in review, fixed since: A message end event sent by a job behaves like a service task
   * (Zeebe), including its input mappings. cob creates the job without applying them
   * (EventBehavior.activateEnd -> throwMessage -> createJob; activateThrow does apply them for the
   * intermediate throw event).
   */
  @Test
  void shouldApplyTheInputMappingsOfAMessageEndEventWithAJob() {
    engine.deploy(
        definitions(
            """
        <message id="m" name="shipped"/>
        """
                + processElement(
                    "p",
                    """
        <startEvent id="s"/>
        <endEvent id="notify">
          <extensionElements><zeebe:taskDefinition type="mail"/>
            <zeebe:ioMapping><zeebe:input source="=order.id" target="orderId"/></zeebe:ioMapping>
          </extensionElements>
          <messageEventDefinition messageRef="m"/>
        </endEvent>
        """,
                    "s->notify")));
    Instance i = engine.start("p", Map.of("order", Map.of("id", "o-9")));

    assertThat(i.state().localVariables(i.job("notify").elementInstanceKey()))
        .containsEntry("orderId", "o-9");
  }

  /**
   * VERIFIED (passes). A dotted output target updates one entry of an existing context variable and
   * keeps the others.
   */
  @Test
  void shouldMergeADottedOutputTargetIntoTheExistingContext() {
    engine.deploy(
        process(
            "p",
            """
        <startEvent id="s"/>
        <serviceTask id="t"><extensionElements><zeebe:taskDefinition type="work"/>
          <zeebe:ioMapping><zeebe:output source="=price * 2" target="order.total"/></zeebe:ioMapping>
        </extensionElements></serviceTask>
        <endEvent id="e"/>
        """,
            "s->t",
            "t->e"));
    Instance i = engine.start("p", Map.of("order", Map.of("id", "o-1")));
    i.completeJob("t", Map.of("price", 5));
    assertThat(i.variables())
        .containsEntry("order", Map.of("id", "o-1", "total", 10L))
        .doesNotContainKey("price");
  }

  /**
   * VERIFIED (passes). Inner-instance locals (input element, loopCounter) stay local; job results
   * without output mappings go to the process; the output collection is ordered by loopCounter.
   */
  @Test
  void shouldKeepMultiInstanceLocalsInsideAndCollectByLoopCounter() {
    engine.deploy(
        process(
            "p",
            """
        <startEvent id="s"/>
        <serviceTask id="t"><extensionElements><zeebe:taskDefinition type="work"/></extensionElements>
          <multiInstanceLoopCharacteristics><extensionElements>
            <zeebe:loopCharacteristics inputCollection="=items" inputElement="item" outputCollection="out" outputElement="=item + &quot;!&quot;"/>
          </extensionElements></multiInstanceLoopCharacteristics>
        </serviceTask>
        <endEvent id="e"/>
        """,
            "s->t",
            "t->e"));
    Instance i = engine.start("p", Map.of("items", List.of("a", "b")));
    var jobs = i.jobs();
    engine.engine().completeJob(jobs.get(1).key(), Map.of("last", 2));
    engine.engine().completeJob(jobs.get(0).key(), Map.of("last", 1));
    engine.settle();
    assertThat(i.status()).isEqualTo("COMPLETED");
    assertThat(i.variables())
        .containsEntry("out", List.of("a!", "b!"))
        .containsEntry("last", 1L)
        .doesNotContainKeys("item", "loopCounter");
  }

  /**
   * VERIFIED (passes). An exclusive gateway whose condition cannot be evaluated raises an incident
   * at the gateway; after the variable is fixed (here by another branch) resolving it takes the
   * flow.
   */
  @Test
  void shouldTakeTheFlowWhenAnExclusiveGatewayConditionIncidentIsResolvedAfterTheFix() {
    engine.deploy(
        process(
            "p",
            """
        <startEvent id="s"/><parallelGateway id="f"/><exclusiveGateway id="xg" default="xg_no"/>
        """
                + serviceTask("fix", "work")
                + """
        <endEvent id="yes"/><endEvent id="no"/><endEvent id="e2"/>
        """,
            "s->f",
            "f->xg",
            "f->fix",
            "xg->yes if =flag",
            "xg->no",
            "fix->e2"));
    Instance i = engine.start("p", Map.of("flag", "maybe"));
    assertThat(i.incidents())
        .singleElement()
        .satisfies(inc -> assertThat(inc.elementId()).isEqualTo("xg"));
    i.completeJob("fix", Map.of("flag", true));

    engine.engine().resolveIncident(i.incidents().get(0).key(), 1);
    engine.settle();

    assertThat(i.status()).isEqualTo("COMPLETED");
    assertThat(i.completed()).contains("yes").doesNotContain("no");
    assertThat(i.incidents()).isEmpty();
  }
}
