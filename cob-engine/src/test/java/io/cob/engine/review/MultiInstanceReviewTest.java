package io.cob.engine.review;

import static io.cob.engine.TestModels.process;
import static io.cob.engine.TestModels.serviceTask;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.cob.engine.EngineHarness;
import io.cob.engine.EngineHarness.Instance;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Review: multi-instance activities. */
class MultiInstanceReviewTest {
  @RegisterExtension final EngineHarness engine = new EngineHarness();

  private static String miServiceTask(String id, String loop) {
    return "<serviceTask id=\""
        + id
        + "\"><extensionElements><zeebe:taskDefinition type=\"work\"/></extensionElements>"
        + "<multiInstanceLoopCharacteristics"
        + loop
        + "</multiInstanceLoopCharacteristics></serviceTask>\n";
  }

  /**
   * Found in review, fixed since: A terminate end event ends the instance; inner instances of a
   * multi-instance body that were queued but not yet activated must vanish with it. Here they are
   * activated afterwards, in the ended instance, with jobs a worker will pick up.
   */
  @Test
  void shouldNotActivateInnerInstancesAfterATerminateEndEventEndedTheInstance() {
    engine.deploy(
        process(
            "p",
            "<startEvent id=\"s\"/><parallelGateway id=\"fork\"/>"
                + miServiceTask("mi", "><loopCardinality>2</loopCardinality>")
                + """
        <endEvent id="kill"><terminateEventDefinition/></endEvent><endEvent id="e"/>
        """,
            "s->fork",
            "fork->mi",
            "fork->kill",
            "mi->e"));
    Instance i = engine.start("p");

    assertThat(i.status()).isEqualTo("COMPLETED");
    assertThat(i.activeElements()).isEmpty();
    assertThat(i.jobs()).isEmpty();
  }

  /**
   * Found in review (same root cause as above, common trigger), fixed since: A multi-instance task
   * with an interrupting message boundary event; the message was buffered before the task started.
   * The boundary takes it on activation and interrupts the body, but the inner instances queued by
   * the body are activated afterwards: jobs appear in an instance that has already completed.
   */
  @Test
  void shouldNotActivateInnerInstancesOfABodyInterruptedByABufferedMessage() {
    engine.deploy(
        io.cob.engine.TestModels.definitions(
            """
        <message id="m" name="cancel"><extensionElements><zeebe:subscription correlationKey="=k"/></extensionElements></message>
        """
                + io.cob.engine.TestModels.processElement(
                    "p",
                    "<startEvent id=\"s\"/><userTask id=\"prepare\"/>"
                        + miServiceTask("mi", "><loopCardinality>2</loopCardinality>")
                        + """
        <boundaryEvent id="cancelled" attachedToRef="mi"><messageEventDefinition messageRef="m"/></boundaryEvent>
        <endEvent id="e"/><endEvent id="eC"/>
        """,
                    "s->prepare",
                    "prepare->mi",
                    "mi->e",
                    "cancelled->eC")));
    Instance i = engine.start("p", Map.of("k", "o-1"));
    engine.publish("cancel", "o-1", Map.of(), java.time.Duration.ofHours(1));

    i.completeUserTask("prepare", Map.of());

    assertThat(i.completed()).contains("cancelled", "eC");
    assertThat(i.status()).isEqualTo("COMPLETED");
    assertThat(i.jobs()).as("jobs of a completed instance").isEmpty();
    assertThat(i.activeElements()).isEmpty();
  }

  /**
   * Found in review, fixed since: A parallel multi-instance whose inner instances complete at once
   * (plain tasks) and whose completion condition holds after the first: the body completes, and the
   * still queued inner activations then run against the ended body (NullPointerException: the start
   * command fails and no instance is created).
   */
  @Test
  void shouldEndAParallelMultiInstanceOfPlainTasksEarlyWhenTheCompletionConditionHolds() {
    engine.deploy(
        process(
            "p",
            """
        <startEvent id="s"/>
        <task id="t"><multiInstanceLoopCharacteristics>
          <loopCardinality>3</loopCardinality>
          <completionCondition>=numberOfCompletedInstances &gt;= 1</completionCondition>
        </multiInstanceLoopCharacteristics></task>
        <endEvent id="e"/>
        """,
            "s->t",
            "t->e"));
    Instance[] started = new Instance[1];
    assertThatCode(() -> started[0] = engine.start("p")).doesNotThrowAnyException();
    assertThat(started[0].status()).isEqualTo("COMPLETED");
    assertThat(started[0].activeElements()).isEmpty();
  }

  /**
   * Found in review, fixed since: Camunda 8: "The [inputCollection] expression is evaluated on
   * activating the multi-instance body". cob evaluates it again for every sequential inner
   * instance, so a change of the variable in between shifts or empties the items (here item 2
   * becomes null).
   */
  @Test
  void shouldIterateTheCollectionAsEvaluatedWhenTheSequentialBodyWasActivated() {
    engine.deploy(
        process(
            "p",
            "<startEvent id=\"s\"/>"
                + miServiceTask(
                    "mi",
                    " isSequential=\"true\">"
                        + "<extensionElements><zeebe:loopCharacteristics inputCollection=\"=items\" inputElement=\"item\"/>"
                        + "</extensionElements>")
                + "<endEvent id=\"e\"/>",
            "s->mi",
            "mi->e"));
    Instance i = engine.start("p", Map.of("items", List.of("a", "b", "c")));
    i.completeJob("mi", Map.of("items", List.of("z")));

    assertThat(i.state().localVariables(i.job("mi").elementInstanceKey()))
        .containsEntry("item", "b");
  }

  /**
   * Found in review, fixed since: Same root cause, worse effect: when the collection variable is no
   * longer a list the re-evaluation raises the engine's internal incident signal outside the code
   * that turns it into an incident. The job completion fails with an exception (and a local job
   * would be retried forever); nothing is recorded. Expected: the next item runs (or, at worst, an
   * incident).
   */
  @Test
  void shouldNotFailTheJobCompletionWhenTheCollectionVariableChangesToANonList() {
    engine.deploy(
        process(
            "p",
            "<startEvent id=\"s\"/>"
                + miServiceTask(
                    "mi",
                    " isSequential=\"true\">"
                        + "<extensionElements><zeebe:loopCharacteristics inputCollection=\"=items\" inputElement=\"item\"/>"
                        + "</extensionElements>")
                + "<endEvent id=\"e\"/>",
            "s->mi",
            "mi->e"));
    Instance i = engine.start("p", Map.of("items", List.of("a", "b")));

    assertThatCode(() -> i.completeJob("mi", Map.of("items", "no longer a list")))
        .doesNotThrowAnyException();
    assertThat(i.history()).isNotEmpty();
    assertThat(i.jobs().size() + i.incidents().size()).isEqualTo(1);
  }

  /**
   * Found in review (Camunda 7 compatibility, README "Camunda 7 models run"), fixed since: Camunda
   * 7 names the multi-instance variables nrOfInstances, nrOfCompletedInstances,
   * nrOfActiveInstances; cob only provides the Camunda 8 names (and not
   * numberOfTerminatedInstances), so a typical Camunda 7 completion condition cannot be evaluated.
   */
  @Test
  void shouldOfferTheCamunda7MultiInstanceVariablesToACompletionCondition() {
    engine.deploy(
        process(
            "p",
            "<startEvent id=\"s\"/>"
                + miServiceTask(
                    "mi",
                    "><loopCardinality>3</loopCardinality>"
                        + "<completionCondition>${nrOfCompletedInstances / nrOfInstances &gt;= 0.5}</completionCondition>")
                + "<endEvent id=\"e\"/>",
            "s->mi",
            "mi->e"));
    Instance i = engine.start("p");
    engine.engine().completeJob(i.jobs().get(0).key(), Map.of());
    engine.settle();
    engine.engine().completeJob(i.jobs().get(0).key(), Map.of());
    engine.settle();

    assertThat(i.incidents()).isEmpty();
    assertThat(i.status()).isEqualTo("COMPLETED");
  }

  /**
   * VERIFIED (passes). The completion condition sees numberOfCompletedInstances; the rest are
   * terminated.
   */
  @Test
  void shouldStopParallelInstancesWhenNumberOfCompletedInstancesReachesTwo() {
    engine.deploy(
        process(
            "p",
            "<startEvent id=\"s\"/>"
                + miServiceTask(
                    "mi",
                    ">"
                        + "<extensionElements><zeebe:loopCharacteristics inputCollection=\"=items\" inputElement=\"item\"/>"
                        + "</extensionElements><completionCondition>=numberOfCompletedInstances &gt;= 2 and "
                        + "numberOfInstances = 4</completionCondition>")
                + "<endEvent id=\"e\"/>",
            "s->mi",
            "mi->e"));
    Instance i = engine.start("p", Map.of("items", List.of(1, 2, 3, 4)));
    assertThat(i.jobs()).hasSize(4);
    engine.engine().completeJob(i.jobs().get(0).key(), Map.of());
    engine.settle();
    assertThat(i.status()).isEqualTo("ACTIVE");
    engine.engine().completeJob(i.jobs().get(0).key(), Map.of());
    engine.settle();
    assertThat(i.status()).isEqualTo("COMPLETED");
    assertThat(i.terminated()).filteredOn("mi"::equals).hasSize(2);
    assertThat(i.jobs()).isEmpty();
  }

  /**
   * VERIFIED (passes). A terminate end event inside the inner subprocess of a parallel
   * multi-instance ends only that inner instance; the body completes when all inner instances did.
   */
  @Test
  void shouldEndOnlyTheInnerInstanceWhenATerminateEndEventIsReachedInAMultiInstanceSubprocess() {
    engine.deploy(
        process(
            "p",
            """
        <startEvent id="s"/>
        <subProcess id="sub">
          <multiInstanceLoopCharacteristics><loopCardinality>2</loopCardinality></multiInstanceLoopCharacteristics>
          <startEvent id="ss"/><parallelGateway id="f"/>"""
                + serviceTask("slow", "work")
                + """
          <endEvent id="kill"><terminateEventDefinition/></endEvent><endEvent id="se"/>
          <sequenceFlow id="a" sourceRef="ss" targetRef="f"/>
          <sequenceFlow id="b" sourceRef="f" targetRef="slow"/>
          <sequenceFlow id="c" sourceRef="f" targetRef="kill"/>
          <sequenceFlow id="d" sourceRef="slow" targetRef="se"/>
        </subProcess>
        <endEvent id="e"/>
        """,
            "s->sub",
            "sub->e"));
    Instance i = engine.start("p");
    assertThat(i.status()).isEqualTo("COMPLETED");
    assertThat(i.terminated()).filteredOn("slow"::equals).hasSize(2);
    assertThat(i.completed())
        .filteredOn("sub"::equals)
        .hasSize(3); // two inner instances and the body
    assertThat(i.jobs()).isEmpty();
  }
}
