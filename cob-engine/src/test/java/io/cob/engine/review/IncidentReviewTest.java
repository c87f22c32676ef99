package io.cob.engine.review;

import static io.cob.engine.TestModels.process;
import static io.cob.engine.TestModels.serviceTask;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.cob.engine.EngineHarness;
import io.cob.engine.EngineHarness.Instance;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Review: incidents, and resolving them. */
class IncidentReviewTest {
  @RegisterExtension final EngineHarness engine = new EngineHarness();

  /**
   * Found in review, fixed since: The condition of a flow leaving a task cannot be evaluated (it
   * gives a string): an incident is raised on the enclosing scope and the token is dropped. When
   * the other branch ends, the scope sees no child left and the process COMPLETES with the incident
   * still open. Camunda: the instance stays active at the incident until it is resolved.
   */
  @Test
  void shouldNotCompleteTheProcessWhileAFlowConditionIncidentHoldsAToken() {
    engine.deploy(
        process(
            "p",
            """
        <startEvent id="s"/><parallelGateway id="fork"/>"""
                + serviceTask("t1", "work")
                + serviceTask("t2", "work")
                + """
        <endEvent id="e1"/><endEvent id="e2"/>
        """,
            "s->fork",
            "fork->t1",
            "fork->t2",
            "t1->e1 if =flag",
            "t2->e2"));
    Instance i = engine.start("p", Map.of("flag", "yes"));
    i.completeJob("t1", Map.of());
    assertThat(i.incidents()).hasSize(1);

    i.completeJob("t2", Map.of());

    assertThat(i.status()).isEqualTo("ACTIVE");
    assertThat(i.incidents()).hasSize(1);
  }

  /**
   * Found in review, fixed since: Resolving that incident re-runs the activation of the element the
   * incident was put on - the process instance itself - which throws IllegalArgumentException
   * ("process 'p' has no element 'p'"). Expected: the flow condition is evaluated again (here it
   * still fails: a new incident), no exception.
   */
  @Test
  void shouldReevaluateTheFlowConditionWhenItsIncidentIsResolved() {
    engine.deploy(
        process(
            "p",
            "<startEvent id=\"s\"/>" + serviceTask("t1", "work") + "<endEvent id=\"e1\"/>",
            "s->t1",
            "t1->e1 if =flag"));
    Instance i = engine.start("p", Map.of("flag", "yes"));
    i.completeJob("t1", Map.of());
    String incident = i.incidents().get(0).key();

    assertThatCode(() -> engine.engine().resolveIncident(incident, 1)).doesNotThrowAnyException();
    engine.settle();
    assertThat(i.incidents())
        .singleElement()
        .satisfies(inc -> assertThat(inc.key()).isNotEqualTo(incident));
  }

  /**
   * Found in review, fixed since: Same, inside a subprocess: resolving re-runs the subprocess's
   * activation, so the subprocess starts over from its start event and the already completed task
   * runs a second time (a second job, a second side effect).
   */
  @Test
  void shouldNotRestartTheSubprocessWhenAFlowConditionIncidentInsideIsResolved() {
    engine.deploy(
        process(
            "p",
            """
        <startEvent id="s"/>
        <subProcess id="sub">
          <startEvent id="ss"/>"""
                + serviceTask("t", "work")
                + """
          <endEvent id="se"/>
          <sequenceFlow id="a" sourceRef="ss" targetRef="t"/>
          <sequenceFlow id="b" sourceRef="t" targetRef="se"><conditionExpression>=flag</conditionExpression></sequenceFlow>
        </subProcess>
        <endEvent id="e"/>
        """,
            "s->sub",
            "sub->e"));
    Instance i = engine.start("p", Map.of("flag", "yes"));
    i.completeJob("t", Map.of());
    assertThat(i.incidents()).hasSize(1);

    engine.engine().resolveIncident(i.incidents().get(0).key(), 1);
    engine.settle();

    assertThat(i.jobs()).as("t must not run again").isEmpty();
    assertThat(
            i.history().stream()
                .filter(r -> r.event() instanceof io.cob.engine.event.InstanceEvent.JobCreated))
        .hasSize(1);
  }

  /**
   * Found in review, fixed since: A boundary timer whose expression fails raises an incident but
   * the task is activated anyway (its job is created). Resolving the incident runs the activation
   * again: a second job for the same task, and the boundary timer is still not armed. Zeebe: the
   * element stays "activating" until the incident is resolved, then subscribes to its boundary
   * events and creates exactly one job.
   */
  @Test
  void shouldCreateOneJobAndArmTheTimerWhenABoundaryTimerIncidentIsResolved() {
    engine.deploy(
        process(
            "p",
            """
        <startEvent id="s"/><parallelGateway id="fork"/>"""
                + serviceTask("t", "work")
                + serviceTask("setter", "work")
                + """
        <boundaryEvent id="late" attachedToRef="t"><timerEventDefinition><timeDuration>=timeout</timeDuration></timerEventDefinition></boundaryEvent>
        <endEvent id="e"/><endEvent id="eLate"/><endEvent id="e2"/>
        """,
            "s->fork",
            "fork->t",
            "fork->setter",
            "t->e",
            "late->eLate",
            "setter->e2"));
    Instance i = engine.start("p");
    assertThat(i.incidents()).hasSize(1);
    i.completeJob("setter", Map.of("timeout", "PT1H"));

    engine.engine().resolveIncident(i.incidents().get(0).key(), 1);
    engine.settle();

    assertThat(i.jobs()).filteredOn(j -> j.elementId().equals("t")).hasSize(1);
    assertThat(i.state().timers()).hasSize(1);
  }

  /**
   * VERIFIED (passes). An output mapping that fails becomes an incident at the element; the element
   * stays active and nothing leaves it.
   */
  @Test
  void shouldRaiseAnIncidentAndHoldTheTokenWhenAnOutputMappingFails() {
    engine.deploy(
        process(
            "p",
            """
        <startEvent id="s"/>
        <serviceTask id="t"><extensionElements><zeebe:taskDefinition type="work"/>
          <zeebe:ioMapping><zeebe:output source="=result.score + &quot;x&quot;" target="score"/></zeebe:ioMapping>
        </extensionElements></serviceTask>
        <endEvent id="e"/>
        """,
            "s->t",
            "t->e"));
    Instance i = engine.start("p");
    i.completeJob("t", Map.of("result", Map.of("score", 1)));
    assertThat(i.incidents())
        .singleElement()
        .satisfies(inc -> assertThat(inc.kind()).isEqualTo("OUTPUT_MAPPING"));
    assertThat(i.activeElements()).containsExactly("t");
    assertThat(i.status()).isEqualTo("ACTIVE");
  }
}
