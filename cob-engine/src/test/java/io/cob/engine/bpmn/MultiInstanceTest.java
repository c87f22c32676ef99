package io.cob.engine.bpmn;

import static io.cob.engine.TestModels.process;
import static org.assertj.core.api.Assertions.assertThat;

import io.cob.engine.EngineHarness;
import io.cob.engine.EngineHarness.Instance;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class MultiInstanceTest {
  @RegisterExtension final EngineHarness engine = new EngineHarness();

  private static String task(boolean sequential, String completion) {
    return """
        <serviceTask id="check">
          <extensionElements><zeebe:taskDefinition type="check"/></extensionElements>
          <multiInstanceLoopCharacteristics isSequential="%s">
            <extensionElements>
              <zeebe:loopCharacteristics inputCollection="=items" inputElement="item"
                  outputCollection="results" outputElement="=score"/>
            </extensionElements>
            %s
          </multiInstanceLoopCharacteristics>
        </serviceTask>
        """
        .formatted(
            sequential,
            completion == null
                ? ""
                : "<completionCondition>" + completion + "</completionCondition>");
  }

  @Test
  void shouldRunOneInstancePerItemInParallelAndCollectOutputs() {
    engine.deploy(
        process(
            "p",
            "<startEvent id=\"s\"/>" + task(false, null) + "<endEvent id=\"e\"/>",
            "s->check",
            "check->e"));
    Instance i = engine.start("p", Map.of("items", List.of("a", "b", "c")));
    assertThat(i.jobs()).hasSize(3);
    Map<Object, Integer> scores = Map.of("a", 10, "b", 20, "c", 30);
    for (var job : i.jobs()) {
      Object item = i.state().localVariables(job.elementInstanceKey()).get("item");
      engine.engine().completeJob(job.key(), Map.of("score", scores.get(item)));
    }
    engine.settle();
    assertThat(i.status()).isEqualTo("COMPLETED");
    assertThat(i.variables().get("results")).isEqualTo(List.of(10L, 20L, 30L));
  }

  @Test
  void shouldEndParallelInstancesEarlyWhenTheCompletionConditionHolds() {
    engine.deploy(
        process(
            "p",
            "<startEvent id=\"s\"/>" + task(false, "=score >= 50") + "<endEvent id=\"e\"/>",
            "s->check",
            "check->e"));
    Instance i = engine.start("p", Map.of("items", List.of(1, 2, 3, 4)));
    assertThat(i.jobs()).hasSize(4);
    engine.engine().completeJob(jobFor(i, 1L), Map.of("score", 10));
    engine.settle();
    assertThat(i.status()).isEqualTo("ACTIVE");
    engine.engine().completeJob(jobFor(i, 2L), Map.of("score", 70));
    engine.settle();
    assertThat(i.status()).isEqualTo("COMPLETED");
    assertThat(i.terminated()).filteredOn("check"::equals).hasSize(2);
    assertThat(i.jobs()).isEmpty();
    assertThat(i.variables().get("results"))
        .isEqualTo(java.util.Arrays.asList(10L, 70L, null, null));
  }

  private static String jobFor(Instance i, Object item) {
    return i.jobs().stream()
        .filter(j -> item.equals(i.state().localVariables(j.elementInstanceKey()).get("item")))
        .findFirst()
        .orElseThrow()
        .key();
  }

  @Test
  void shouldRunSequentiallyAndStopAtTheBoundaryTimer() {
    engine.deploy(
        process(
            "p",
            "<startEvent id=\"s\"/>"
                + task(true, null)
                + """
        <boundaryEvent id="late" attachedToRef="check"><timerEventDefinition><timeDuration>PT1H</timeDuration></timerEventDefinition></boundaryEvent>
        <endEvent id="e"/><endEvent id="eLate"/>
        """,
            "s->check",
            "check->e",
            "late->eLate"));
    Instance i = engine.start("p", Map.of("items", List.of("x", "y", "z")));
    assertThat(i.jobs()).hasSize(1);
    assertThat(i.state().timers()).hasSize(1);
    assertThat(i.state().localVariables(i.job("check").elementInstanceKey()))
        .containsEntry("item", "x")
        .containsEntry("loopCounter", 1L);

    i.completeJob("check", Map.of("score", 1));
    assertThat(i.jobs()).hasSize(1);
    assertThat(i.state().localVariables(i.job("check").elementInstanceKey()))
        .containsEntry("item", "y");

    engine.advance(Duration.ofMinutes(61));
    assertThat(i.status()).isEqualTo("COMPLETED");
    assertThat(i.completed()).contains("late", "eLate").doesNotContain("e");
    assertThat(i.jobs()).isEmpty();
  }

  @Test
  void shouldCompleteAtOnceForAnEmptyCollection() {
    engine.deploy(
        process(
            "p",
            "<startEvent id=\"s\"/>" + task(false, null) + "<endEvent id=\"e\"/>",
            "s->check",
            "check->e"));
    Instance i = engine.start("p", Map.of("items", List.of()));
    assertThat(i.status()).isEqualTo("COMPLETED");
    assertThat(i.variables().get("results")).isEqualTo(List.of());
  }
}
