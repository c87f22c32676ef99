package io.cob.engine.bpmn;

import static io.cob.engine.TestModels.process;
import static io.cob.engine.TestModels.serviceTask;
import static org.assertj.core.api.Assertions.assertThat;

import io.cob.engine.EngineHarness;
import io.cob.engine.EngineHarness.Instance;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class InclusiveGatewayTest {
  @RegisterExtension final EngineHarness engine = new EngineHarness();

  private static final String TWO_SUBPROCESSES =
      process(
          "p",
          """
      <startEvent id="s"/>
      <inclusiveGateway id="fork" default="fork_c"/>
      <subProcess id="sub1">
        <startEvent id="s1"/>"""
              + serviceTask("t1", "work")
              + """
        <endEvent id="e1"/>
        <sequenceFlow id="f11" sourceRef="s1" targetRef="t1"/>
        <sequenceFlow id="f12" sourceRef="t1" targetRef="e1"/>
      </subProcess>
      <subProcess id="sub2">
        <startEvent id="s2"/>"""
              + serviceTask("t2", "work")
              + """
        <endEvent id="e2"/>
        <sequenceFlow id="f21" sourceRef="s2" targetRef="t2"/>
        <sequenceFlow id="f22" sourceRef="t2" targetRef="e2"/>
      </subProcess>
      <task id="c"/>
      <inclusiveGateway id="join"/>
      <endEvent id="e"/>
      """,
          "s->fork",
          "fork->sub1 if =x > 1",
          "fork->sub2 if =x > 5",
          "fork->c",
          "sub1->join",
          "sub2->join",
          "c->join",
          "join->e");

  @Test
  void shouldJoinAfterBothSubprocessesWhenBothBranchesWereTaken() {
    engine.deploy(TWO_SUBPROCESSES);
    Instance i = engine.start("p", Map.of("x", 10));
    assertThat(i.activeElements()).contains("sub1", "sub2", "t1", "t2");

    i.completeJob("t1", Map.of());
    assertThat(i.status()).isEqualTo("ACTIVE");
    assertThat(i.completed()).doesNotContain("join");

    i.completeJob("t2", Map.of());
    assertThat(i.status()).isEqualTo("COMPLETED");
    assertThat(i.completed()).filteredOn("join"::equals).hasSize(1);
  }

  @Test
  void shouldJoinAtOnceWhenOnlyOneBranchWasTaken() {
    engine.deploy(TWO_SUBPROCESSES);
    Instance i = engine.start("p", Map.of("x", 3));
    assertThat(i.activeElements()).contains("sub1").doesNotContain("sub2");
    i.completeJob("t1", Map.of());
    assertThat(i.status()).isEqualTo("COMPLETED");
  }

  @Test
  void shouldTakeDefaultFlowWhenNoConditionHolds() {
    engine.deploy(TWO_SUBPROCESSES);
    Instance i = engine.start("p", Map.of("x", 0));
    assertThat(i.status()).isEqualTo("COMPLETED");
    assertThat(i.completed()).contains("c", "join").doesNotContain("sub1", "sub2");
  }
}
