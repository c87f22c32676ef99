package io.cob.engine.review;

import static io.cob.engine.TestModels.definitions;
import static io.cob.engine.TestModels.process;
import static io.cob.engine.TestModels.processElement;
import static io.cob.engine.TestModels.serviceTask;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.cob.engine.EngineHarness;
import io.cob.engine.EngineHarness.Instance;
import io.cob.engine.port.StoreRows.InstanceQuery;
import io.cob.engine.runtime.CommandRejectedException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Review: boundary events, interrupting scopes, and job commands. */
class BoundaryAndJobReviewTest {
  @RegisterExtension final EngineHarness engine = new EngineHarness();

  private static final String WORK_RETRIES_1 =
      "<serviceTask id=\"t\"><extensionElements><zeebe:taskDefinition type=\"work\" retries=\"1\"/></extensionElements></serviceTask>";

  /**
   * Found in review, fixed since: Zeebe applies an activity's input mappings before it subscribes
   * to its boundary events, so a boundary timer can use an input-mapped local. cob opens boundary
   * events before the input mappings: the timer expression sees null and becomes an incident.
   */
  @Test
  void shouldEvaluateABoundaryTimerAfterTheActivityInputMappings() {
    engine.deploy(
        process(
            "p",
            """
        <startEvent id="s"/>
        <serviceTask id="t"><extensionElements><zeebe:taskDefinition type="work"/>
          <zeebe:ioMapping><zeebe:input source="=&quot;PT1H&quot;" target="timeout"/></zeebe:ioMapping>
        </extensionElements></serviceTask>
        <boundaryEvent id="late" attachedToRef="t"><timerEventDefinition><timeDuration>=timeout</timeDuration></timerEventDefinition></boundaryEvent>
        <endEvent id="e"/><endEvent id="eLate"/>
        """,
            "s->t",
            "t->e",
            "late->eLate"));
    Instance i = engine.start("p");
    assertThat(i.incidents()).isEmpty();
    assertThat(i.state().timers()).hasSize(1);
  }

  /**
   * Found in review, fixed since: Zeebe accepts FailJob only for an activatable/activated job. A
   * job whose retries ran out (it holds an incident) can be failed again here: a second
   * JOB_NO_RETRIES incident for the same job.
   */
  @Test
  void shouldRejectFailingAJobWhoseRetriesRanOut() {
    engine.deploy(
        process(
            "p",
            "<startEvent id=\"s\"/>" + WORK_RETRIES_1 + "<endEvent id=\"e\"/>",
            "s->t",
            "t->e"));
    Instance i = engine.start("p");
    String job = i.job("t").key();
    engine.engine().failJob(job, null, "boom", null);
    engine.settle();
    assertThat(i.incidents()).hasSize(1);

    Throwable second = catchThrowable(() -> engine.engine().failJob(job, null, "boom again", null));
    engine.settle();
    assertThat(i.incidents()).hasSize(1);
    assertThat(second).isInstanceOf(CommandRejectedException.class);
  }

  /**
   * Found in review, fixed since: Completing a job that holds a JOB_NO_RETRIES incident is accepted
   * (Zeebe rejects it), and the incident is never resolved: the instance COMPLETES with an open
   * incident, listed in the store's incident index for ever.
   */
  @Test
  void shouldNotLeaveAnOpenIncidentBehindWhenAJobWithoutRetriesIsCompleted() {
    engine.deploy(
        process(
            "p",
            "<startEvent id=\"s\"/>" + WORK_RETRIES_1 + "<endEvent id=\"e\"/>",
            "s->t",
            "t->e"));
    Instance i = engine.start("p");
    String job = i.job("t").key();
    engine.engine().failJob(job, null, "boom", null);
    engine.settle();

    try {
      engine.engine().completeJob(job, Map.of());
    } catch (CommandRejectedException rejectedAsInZeebe) {
      // fine: then the incident must still be there and the task active
    }
    engine.settle();

    if ("COMPLETED".equals(i.status())) {
      assertThat(i.incidents()).as("incidents of a completed instance").isEmpty();
      assertThat(i.state().incidents()).isEmpty();
    } else {
      assertThat(i.incidents()).hasSize(1);
      assertThat(i.activeElements()).containsExactly("t");
    }
  }

  /** VERIFIED (passes). A job completed twice: the second is rejected and changes nothing. */
  @Test
  void shouldRejectCompletingAJobTwiceAndChangeNothing() {
    engine.deploy(
        process(
            "p",
            "<startEvent id=\"s\"/>"
                + serviceTask("t", "work")
                + serviceTask("u", "work")
                + "<endEvent id=\"e\"/>",
            "s->t",
            "t->u",
            "u->e"));
    Instance i = engine.start("p");
    String job = i.job("t").key();
    engine.engine().completeJob(job, Map.of("x", 1));
    engine.settle();
    int events = i.history().size();

    assertThatThrownBy(() -> engine.engine().completeJob(job, Map.of("x", 2)))
        .isInstanceOf(CommandRejectedException.class);
    engine.settle();
    assertThat(i.history()).hasSize(events);
    assertThat(i.variables()).containsEntry("x", 1L);
  }

  /** VERIFIED (passes). Commands on an ended instance are rejected. */
  @Test
  void shouldRejectCommandsOnAnEndedInstance() {
    engine.deploy(
        process(
            "p",
            "<startEvent id=\"s\"/>" + serviceTask("t", "work") + "<endEvent id=\"e\"/>",
            "s->t",
            "t->e"));
    Instance i = engine.start("p");
    String job = i.job("t").key();
    i.cancel();
    assertThatThrownBy(() -> engine.engine().completeJob(job, Map.of()))
        .isInstanceOf(CommandRejectedException.class);
    assertThatThrownBy(() -> engine.engine().cancel(i.id()))
        .isInstanceOf(CommandRejectedException.class);
    assertThat(i.status()).isEqualTo("CANCELED");
  }

  /** VERIFIED (passes). FailJob with explicit retries and back-off uses them as given. */
  @Test
  void shouldUseTheRetriesAndBackoffTheWorkerReports() {
    engine.deploy(
        process(
            "p",
            "<startEvent id=\"s\"/>" + serviceTask("t", "work") + "<endEvent id=\"e\"/>",
            "s->t",
            "t->e"));
    Instance i = engine.start("p");
    engine.engine().failJob(i.job("t").key(), 7, "later", Duration.ofMinutes(3));
    engine.settle();
    assertThat(i.job("t").retries()).isEqualTo(7);
    assertThat(i.job("t").dueAt()).isEqualTo(engine.clock().instant().plus(Duration.ofMinutes(3)));
    assertThat(i.incidents()).isEmpty();
  }

  /** VERIFIED (passes). A non-interrupting message boundary event fires once per message. */
  @Test
  void shouldTriggerANonInterruptingMessageBoundaryForEveryMessage() {
    engine.deploy(
        definitions(
            """
        <message id="m" name="nudge"><extensionElements><zeebe:subscription correlationKey="=k"/></extensionElements></message>
        """
                + processElement(
                    "p",
                    """
        <startEvent id="s"/><userTask id="review"/><endEvent id="e"/>
        <boundaryEvent id="b" attachedToRef="review" cancelActivity="false"><messageEventDefinition messageRef="m"/></boundaryEvent>
        <endEvent id="eb"/>
        """,
                    "s->review",
                    "review->e",
                    "b->eb")));
    Instance i = engine.start("p", Map.of("k", "1"));
    engine.publish("nudge", "1", Map.of("n", 1), Duration.ZERO);
    engine.publish("nudge", "1", Map.of("n", 2), Duration.ZERO);
    assertThat(i.completed()).filteredOn("eb"::equals).hasSize(2);
    assertThat(i.activeElements()).containsExactly("review");
    assertThat(i.variables()).containsEntry("n", 2L);
    i.completeUserTask("review", Map.of());
    assertThat(i.status()).isEqualTo("COMPLETED");
    assertThat(engine.store().subscriptions("nudge", "1")).isEmpty();
  }

  /**
   * VERIFIED (passes). An interrupting boundary event on a subprocess withdraws everything inside:
   * jobs, user tasks, timers, message subscriptions, the called child instance - in state and in
   * the store's index rows.
   */
  @Test
  void shouldWithdrawEverythingInsideWhenASubprocessIsInterrupted() {
    engine.deploy(
        process(
            "child",
            "<startEvent id=\"cs\"/>" + serviceTask("ct", "work") + "<endEvent id=\"ce\"/>",
            "cs->ct",
            "ct->ce"),
        definitions(
            """
        <message id="m" name="never"><extensionElements><zeebe:subscription correlationKey="=k"/></extensionElements></message>
        """
                + processElement(
                    "p",
                    """
        <startEvent id="s"/>
        <subProcess id="sub">
          <startEvent id="ss"/><parallelGateway id="f"/>"""
                        + serviceTask("job", "work")
                        + """
          <userTask id="ut"/>
          <intermediateCatchEvent id="wait"><timerEventDefinition><timeDuration>PT5H</timeDuration></timerEventDefinition></intermediateCatchEvent>
          <receiveTask id="rt" messageRef="m"/>
          <callActivity id="call" calledElement="child"/>
          <sequenceFlow id="a" sourceRef="ss" targetRef="f"/>
          <sequenceFlow id="b" sourceRef="f" targetRef="job"/>
          <sequenceFlow id="c" sourceRef="f" targetRef="ut"/>
          <sequenceFlow id="d" sourceRef="f" targetRef="wait"/>
          <sequenceFlow id="g" sourceRef="f" targetRef="rt"/>
          <sequenceFlow id="h" sourceRef="f" targetRef="call"/>
        </subProcess>
        <boundaryEvent id="timeout" attachedToRef="sub"><timerEventDefinition><timeDuration>PT1H</timeDuration></timerEventDefinition></boundaryEvent>
        <endEvent id="e"/><endEvent id="eT"/>
        """,
                    "s->sub",
                    "sub->e",
                    "timeout->eT")));
    Instance i = engine.start("p", Map.of("k", "x"));
    var child =
        engine.instance(
            engine
                .store()
                .instances(new InstanceQuery(null, "child", null, null, i.id(), 10, null))
                .get(0)
                .id());
    assertThat(i.state().timers()).hasSize(2);

    engine.advance(Duration.ofMinutes(61));

    assertThat(i.status()).isEqualTo("COMPLETED");
    assertThat(i.completed()).contains("timeout", "eT");
    assertThat(i.jobs()).isEmpty();
    assertThat(i.userTasks()).isEmpty();
    assertThat(engine.store().subscriptions("never", "x")).isEmpty();
    assertThat(engine.store().nextTimerDue()).isEmpty();
    assertThat(i.state().timers()).isEmpty();
    assertThat(i.state().subscriptions()).isEmpty();
    assertThat(child.status()).isEqualTo("CANCELED");
    assertThat(child.jobs()).isEmpty();
  }
}
