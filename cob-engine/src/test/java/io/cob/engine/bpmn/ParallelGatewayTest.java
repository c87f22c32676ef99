package io.cob.engine.bpmn;

import static io.cob.engine.TestModels.process;
import static io.cob.engine.TestModels.serviceTask;
import static org.assertj.core.api.Assertions.assertThat;

import io.cob.engine.EngineHarness;
import io.cob.engine.EngineHarness.Instance;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ParallelGatewayTest {
  @RegisterExtension final EngineHarness engine = new EngineHarness();

  @Test
  void shouldJoinOnlyWhenEveryIncomingFlowHasDelivered() {
    engine.deploy(
        process(
            "p",
            """
        <startEvent id="s"/><parallelGateway id="fork"/>
        """
                + serviceTask("a", "work")
                + serviceTask("b", "work")
                + """
        <parallelGateway id="join"/><endEvent id="e"/>
        """,
            "s->fork",
            "fork->a",
            "fork->b",
            "a->join",
            "b->join",
            "join->e"));
    Instance i = engine.start("p");
    assertThat(i.activeElements()).containsExactlyInAnyOrder("a", "b");

    i.completeJob("a", Map.of());
    assertThat(i.status()).isEqualTo("ACTIVE");
    assertThat(i.activeElements()).containsExactly("b");

    i.completeJob("b", Map.of());
    assertThat(i.status()).isEqualTo("COMPLETED");
    assertThat(i.completed()).containsSubsequence("a", "b", "join", "e", "p");
  }

  @Test
  void shouldCompleteUnbalancedForkWhereOneBranchEndsOnItsOwn() {
    // fork into three; two of them join, the third ends by itself
    engine.deploy(
        process(
            "p",
            """
        <startEvent id="s"/><parallelGateway id="fork"/>
        """
                + serviceTask("a", "work")
                + serviceTask("b", "work")
                + serviceTask("c", "work")
                + """
        <parallelGateway id="join"/><endEvent id="e1"/><endEvent id="e2"/>
        """,
            "s->fork",
            "fork->a",
            "fork->b",
            "fork->c",
            "a->join",
            "b->join",
            "join->e1",
            "c->e2"));
    Instance i = engine.start("p");
    i.completeJob("c", Map.of());
    assertThat(i.activeElements()).containsExactlyInAnyOrder("a", "b");
    i.completeJob("a", Map.of());
    assertThat(i.status()).isEqualTo("ACTIVE");
    i.completeJob("b", Map.of());
    assertThat(i.status()).isEqualTo("COMPLETED");
    assertThat(i.completed()).filteredOn("join"::equals).hasSize(1);
  }

  @Test
  void shouldCarryVariablesOfBothBranchesPastTheJoin() {
    engine.deploy(
        process(
            "p",
            """
        <startEvent id="s"/><parallelGateway id="fork"/>
        """
                + serviceTask("a", "work")
                + serviceTask("b", "work")
                + """
        <parallelGateway id="join"/><endEvent id="e"/>
        """,
            "s->fork",
            "fork->a",
            "fork->b",
            "a->join",
            "b->join",
            "join->e"));
    Instance i = engine.start("p");
    i.completeJob("b", Map.of("fromB", 1));
    i.completeJob("a", Map.of("fromA", 2));
    assertThat(i.status()).isEqualTo("COMPLETED");
    assertThat(i.variables()).containsEntry("fromA", 2L).containsEntry("fromB", 1L);
  }
}
