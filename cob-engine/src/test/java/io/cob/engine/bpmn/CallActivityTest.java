package io.cob.engine.bpmn;

import static io.cob.engine.TestModels.definitions;
import static io.cob.engine.TestModels.process;
import static io.cob.engine.TestModels.processElement;
import static io.cob.engine.TestModels.serviceTask;
import static org.assertj.core.api.Assertions.assertThat;

import io.cob.engine.EngineHarness;
import io.cob.engine.EngineHarness.Instance;
import io.cob.engine.port.StoreRows.InstanceQuery;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class CallActivityTest {
  @RegisterExtension final EngineHarness engine = new EngineHarness();

  private static final String CHILD =
      process(
          "child",
          "<startEvent id=\"cs\"/>" + serviceTask("price", "work") + "<endEvent id=\"ce\"/>",
          "cs->price",
          "price->ce");

  @Test
  void shouldPassVariablesToTheChildAndItsResultBack() {
    engine.deploy(
        CHILD,
        process(
            "parent",
            """
        <startEvent id="s"/>
        <callActivity id="call">
          <extensionElements>
            <zeebe:calledElement processId="child" propagateAllChildVariables="false"
                propagateAllParentVariables="false"/>
            <zeebe:ioMapping>
              <zeebe:input source="=order.amount" target="amount"/>
              <zeebe:output source="=total" target="priced"/>
            </zeebe:ioMapping>
          </extensionElements>
        </callActivity>
        <endEvent id="e"/>
        """,
            "s->call",
            "call->e"));
    Instance parent =
        engine.start("parent", Map.of("order", Map.of("amount", 40), "secret", "not-for-child"));
    var children =
        engine
            .store()
            .instances(new InstanceQuery(null, "child", null, null, parent.id(), 10, null));
    assertThat(children).hasSize(1);
    Instance child = engine.instance(children.get(0).id());
    assertThat(child.variables()).containsEntry("amount", 40L).doesNotContainKey("secret");

    child.completeJob("price", Map.of("total", 48, "internal", "x"));
    assertThat(child.status()).isEqualTo("COMPLETED");
    assertThat(parent.status()).isEqualTo("COMPLETED");
    assertThat(parent.variables())
        .containsEntry("priced", 48L)
        .doesNotContainKey("internal")
        .doesNotContainKey("total");
  }

  @Test
  void shouldPropagateAllVariablesBothWaysWithoutMappings() {
    engine.deploy(
        CHILD,
        process(
            "parent",
            """
        <startEvent id="s"/><callActivity id="call" calledElement="child"/><endEvent id="e"/>
        """,
            "s->call",
            "call->e"));
    Instance parent = engine.start("parent", Map.of("customer", "c-9"));
    Instance child =
        engine.instance(
            engine
                .store()
                .instances(new InstanceQuery(null, "child", null, null, parent.id(), 10, null))
                .get(0)
                .id());
    assertThat(child.variables()).containsEntry("customer", "c-9");
    child.completeJob("price", Map.of("total", 12));
    assertThat(parent.variables()).containsEntry("total", 12L).containsEntry("customer", "c-9");
  }

  @Test
  void shouldCancelTheChildWhenTheParentIsCancelled() {
    engine.deploy(
        CHILD,
        process(
            "parent",
            """
        <startEvent id="s"/><callActivity id="call" calledElement="child"/><endEvent id="e"/>
        """,
            "s->call",
            "call->e"));
    Instance parent = engine.start("parent");
    Instance child =
        engine.instance(
            engine
                .store()
                .instances(new InstanceQuery(null, "child", null, null, parent.id(), 10, null))
                .get(0)
                .id());
    parent.cancel();
    assertThat(parent.status()).isEqualTo("CANCELED");
    assertThat(child.status()).isEqualTo("CANCELED");
    assertThat(child.jobs()).isEmpty();
  }

  @Test
  void shouldCatchAnErrorTheChildDidNotCatchAtTheCallActivityBoundary() {
    engine.deploy(
        CHILD,
        definitions(
            """
        <error id="err" errorCode="OUT_OF_STOCK"/>
        """
                + processElement(
                    "parent",
                    """
        <startEvent id="s"/><callActivity id="call" calledElement="child"/><endEvent id="e"/>
        <boundaryEvent id="noStock" attachedToRef="call"><errorEventDefinition errorRef="err"/></boundaryEvent>
        <endEvent id="eNoStock"/>
        """,
                    "s->call",
                    "call->e",
                    "noStock->eNoStock")));
    Instance parent = engine.start("parent");
    Instance child = childOf(parent);

    child.throwError("price", "OUT_OF_STOCK");

    assertThat(child.status()).isEqualTo("TERMINATED");
    assertThat(child.jobs()).isEmpty();
    assertThat(parent.status()).isEqualTo("COMPLETED");
    assertThat(parent.completed()).contains("noStock", "eNoStock").doesNotContain("e");
    assertThat(parent.terminated()).containsExactly("call");
  }

  @Test
  void shouldRaiseIncidentInTheParentWhenNobodyCatchesTheChildsError() {
    engine.deploy(
        CHILD,
        process(
            "parent",
            """
        <startEvent id="s"/><callActivity id="call" calledElement="child"/><endEvent id="e"/>
        """,
            "s->call",
            "call->e"));
    Instance parent = engine.start("parent");
    Instance child = childOf(parent);
    child.throwError("price", "BOOM");
    assertThat(child.status()).isEqualTo("TERMINATED");
    assertThat(parent.incidents())
        .singleElement()
        .satisfies(
            inc -> {
              assertThat(inc.elementId()).isEqualTo("call");
              assertThat(inc.kind()).isEqualTo("UNHANDLED_ERROR");
              assertThat(inc.message()).contains("'BOOM'");
            });
  }

  private Instance childOf(Instance parent) {
    return engine.instance(
        engine
            .store()
            .instances(new InstanceQuery(null, "child", null, null, parent.id(), 10, null))
            .get(0)
            .id());
  }

  @Test
  void shouldRaiseIncidentWhenTheCalledProcessIsNotDeployed() {
    engine.deploy(
        process(
            "parent",
            """
        <startEvent id="s"/><callActivity id="call" calledElement="missing"/><endEvent id="e"/>
        """,
            "s->call",
            "call->e"));
    Instance parent = engine.start("parent");
    assertThat(parent.incidents())
        .singleElement()
        .satisfies(
            inc -> {
              assertThat(inc.kind()).isEqualTo("CALLED_ELEMENT");
              assertThat(inc.message()).contains("'missing'");
            });
  }
}
