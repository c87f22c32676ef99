package io.cob.engine.review;

import static io.cob.engine.TestModels.process;
import static io.cob.engine.TestModels.serviceTask;
import static org.assertj.core.api.Assertions.assertThat;

import io.cob.engine.EngineHarness;
import io.cob.engine.EngineHarness.Instance;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Review: inclusive/parallel joins and when a scope may complete. */
class GatewayAndScopeReviewTest {
  @RegisterExtension final EngineHarness engine = new EngineHarness();

  /**
   * Found in review, fixed since: BPMN 2.0 §13.4.3: an inclusive join fires once no token that can
   * still reach it is left. Here the last upstream token ends elsewhere (the XOR sends it to its
   * own end event); no token arrives at the join, so nobody re-checks it and the instance hangs
   * forever.
   */
  @Test
  void shouldFireTheInclusiveJoinWhenTheLastUpstreamTokenEndsElsewhere() {
    engine.deploy(
        process(
            "p",
            """
        <startEvent id="s"/><inclusiveGateway id="fork"/>
        """
                + serviceTask("a", "work")
                + serviceTask("b", "work")
                + """
        <exclusiveGateway id="xg" default="xg_end2"/><endEvent id="end2"/>
        <inclusiveGateway id="join"/><endEvent id="e"/>
        """,
            "s->fork",
            "fork->a",
            "fork->b",
            "a->join",
            "b->xg",
            "xg->join if =back",
            "xg->end2",
            "join->e"));
    Instance i = engine.start("p");
    i.completeJob("a", Map.of());
    assertThat(i.status()).isEqualTo("ACTIVE"); // b may still come to the join

    i.completeJob("b", Map.of("back", false));

    assertThat(i.completed()).contains("end2", "join", "e");
    assertThat(i.status()).isEqualTo("COMPLETED");
  }

  /**
   * VERIFIED (passes). Two tokens on the same incoming flow of a parallel join count once: the join
   * waits for the other flow, fires once, and the surplus token keeps waiting.
   */
  @Test
  void shouldJoinOnlyOneOfTwoTokensArrivingOnTheSameFlow() {
    engine.deploy(
        process(
            "p",
            """
        <startEvent id="s"/><parallelGateway id="fork"/><task id="x1"/><task id="x2"/>
        <exclusiveGateway id="merge"/>"""
                + serviceTask("c", "work")
                + """
        <parallelGateway id="join"/><endEvent id="e"/>
        """,
            "s->fork",
            "fork->x1",
            "fork->x2",
            "fork->c",
            "x1->merge",
            "x2->merge",
            "merge->join",
            "c->join",
            "join->e"));
    Instance i = engine.start("p");
    assertThat(i.completed()).doesNotContain("join");
    assertThat(i.state().joinArrivals(1, "join")).containsExactly("merge_join", "merge_join");

    i.completeJob("c", Map.of());

    assertThat(i.completed()).filteredOn("join"::equals).hasSize(1);
    assertThat(i.state().joinArrivals(1, "join")).containsExactly("merge_join");
    assertThat(i.status()).isEqualTo("ACTIVE");
  }

  /** VERIFIED (passes). A subprocess does not complete while a token waits at a join inside it. */
  @Test
  void shouldNotCompleteSubprocessWhileATokenWaitsAtAnInnerJoin() {
    engine.deploy(
        process(
            "p",
            """
        <startEvent id="s"/>
        <subProcess id="sub">
          <startEvent id="ss"/><parallelGateway id="f"/><task id="quick"/>"""
                + serviceTask("slow", "work")
                + """
          <parallelGateway id="j"/><endEvent id="se"/>
          <sequenceFlow id="a" sourceRef="ss" targetRef="f"/>
          <sequenceFlow id="b" sourceRef="f" targetRef="quick"/>
          <sequenceFlow id="c" sourceRef="f" targetRef="slow"/>
          <sequenceFlow id="d" sourceRef="quick" targetRef="j"/>
          <sequenceFlow id="g" sourceRef="slow" targetRef="j"/>
          <sequenceFlow id="h" sourceRef="j" targetRef="se"/>
        </subProcess>
        <endEvent id="e"/>
        """,
            "s->sub",
            "sub->e"));
    Instance i = engine.start("p");
    assertThat(i.activeElements()).containsExactlyInAnyOrder("sub", "slow");
    i.completeJob("slow", Map.of());
    assertThat(i.status()).isEqualTo("COMPLETED");
    assertThat(i.completed()).filteredOn("j"::equals).hasSize(1);
  }
}
