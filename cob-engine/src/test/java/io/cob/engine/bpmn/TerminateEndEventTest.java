package io.cob.engine.bpmn;

import static io.cob.engine.TestModels.process;
import static io.cob.engine.TestModels.serviceTask;
import static org.assertj.core.api.Assertions.assertThat;

import io.cob.engine.EngineHarness;
import io.cob.engine.EngineHarness.Instance;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class TerminateEndEventTest {
  @RegisterExtension final EngineHarness engine = new EngineHarness();

  @Test
  void shouldEndOnlyItsOwnSubprocessWhenTerminateIsReachedInside() {
    engine.deploy(
        process(
            "p",
            """
        <startEvent id="s"/><parallelGateway id="fork"/>
        <subProcess id="sub">
          <startEvent id="ss"/><parallelGateway id="subFork"/>
          """
                + serviceTask("slow", "work")
                + """
          <endEvent id="kill"><terminateEventDefinition/></endEvent>
          <endEvent id="se"/>
          <sequenceFlow id="a" sourceRef="ss" targetRef="subFork"/>
          <sequenceFlow id="b" sourceRef="subFork" targetRef="slow"/>
          <sequenceFlow id="c" sourceRef="subFork" targetRef="kill"/>
          <sequenceFlow id="d" sourceRef="slow" targetRef="se"/>
        </subProcess>
        """
                + serviceTask("outside", "work")
                + """
        <parallelGateway id="join"/><endEvent id="e"/>
        """,
            "s->fork",
            "fork->sub",
            "fork->outside",
            "sub->join",
            "outside->join",
            "join->e"));
    Instance i = engine.start("p");

    assertThat(i.terminated()).containsExactly("slow");
    assertThat(i.completed()).contains("kill", "sub");
    assertThat(i.activeElements()).containsExactly("outside");
    assertThat(i.status()).isEqualTo("ACTIVE");

    i.completeJob("outside", Map.of());
    assertThat(i.status()).isEqualTo("COMPLETED");
  }

  @Test
  void shouldEndTheWholeInstanceWhenTerminateIsAtProcessLevel() {
    engine.deploy(
        process(
            "p",
            """
        <startEvent id="s"/><parallelGateway id="fork"/>"""
                + serviceTask("slow", "work")
                + """
        <endEvent id="kill"><terminateEventDefinition/></endEvent><endEvent id="e"/>
        """,
            "s->fork",
            "fork->slow",
            "fork->kill",
            "slow->e"));
    Instance i = engine.start("p");
    assertThat(i.status()).isEqualTo("COMPLETED");
    assertThat(i.terminated()).containsExactly("slow");
    assertThat(i.jobs()).isEmpty();
  }
}
