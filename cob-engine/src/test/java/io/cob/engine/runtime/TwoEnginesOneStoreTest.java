package io.cob.engine.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.cob.engine.Engine;
import io.cob.engine.TestModels;
import io.cob.engine.port.Store;
import io.cob.engine.store.InMemoryStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two nodes on one store: a node's cached copy of an instance must never decide a command alone.
 */
class TwoEnginesOneStoreTest {
  private final Store store = new InMemoryStore();
  private final Engine a = Engine.builder(store).nodeId("a").build().start();
  private final Engine b = Engine.builder(store).nodeId("b").build().start();

  @AfterEach
  void close() {
    a.close();
    b.close();
  }

  @Test
  void shouldCompleteAJobCreatedByAnotherNodeAfterThisNodeCachedTheInstance() {
    a.deploy(
        List.of(
            new BpmnResource(
                "two.bpmn",
                TestModels.process(
                        "two",
                        TestModels.serviceTask("first", "work")
                            + TestModels.serviceTask("second", "work")
                            + "<startEvent id=\"s\"/><endEvent id=\"e\"/>",
                        "s->first",
                        "first->second",
                        "second->e")
                    .getBytes(StandardCharsets.UTF_8))));
    String id = a.startInstance("two", 0, Map.of(), null); // node a caches the instance

    var first = b.activateJobs("work", "w", 1, Duration.ofMinutes(1), Duration.ZERO);
    b.completeJob(first.getFirst().key(), Map.of("x", 1L)); // node b creates the second job

    var second = a.activateJobs("work", "w", 1, Duration.ofMinutes(1), Duration.ZERO);
    assertThat(second).hasSize(1);
    a.completeJob(
        second.getFirst().key(), Map.of()); // decided on the stored state, not a's stale copy

    assertThat(a.instance(id).orElseThrow().status()).isEqualTo("COMPLETED");
  }

  @Test
  void shouldStartTheVersionAnotherNodeDeployedAfterThisNodeKnewAnOlderOneAsTheLatest() {
    a.deploy(List.of(oneStep("versions", "first")));
    String before = a.startInstance("versions", 0, Map.of(), null); // a knows version 1 as latest

    b.deploy(List.of(oneStep("versions", "second")));
    String after = a.startInstance("versions", 0, Map.of(), null);

    assertThat(a.instance(before).orElseThrow().version()).isEqualTo(1);
    assertThat(a.instance(after).orElseThrow().version()).isEqualTo(2);
    assertThat(a.instance(after).orElseThrow().status()).isEqualTo("ACTIVE");
  }

  private static BpmnResource oneStep(String processId, String taskId) {
    return new BpmnResource(
        processId + ".bpmn",
        TestModels.process(
                processId,
                TestModels.serviceTask(taskId, "work")
                    + "<startEvent id=\"s\"/><endEvent id=\"e\"/>",
                "s->" + taskId,
                taskId + "->e")
            .getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void shouldCorrelateByInstanceIdToASubscriptionAnotherNodeOpened() {
    a.deploy(
        List.of(
            new BpmnResource(
                "wait.bpmn",
                TestModels.process(
                        "wait",
                        TestModels.serviceTask("first", "work")
                            + "<intermediateCatchEvent id=\"m\"><messageEventDefinition messageRef=\"msg\"/></intermediateCatchEvent>"
                            + "<startEvent id=\"s\"/><endEvent id=\"e\"/>",
                        "s->first",
                        "first->m",
                        "m->e")
                    .replace("</definitions>", "<message id=\"msg\" name=\"go\"/></definitions>")
                    .getBytes(StandardCharsets.UTF_8))));
    String id = a.startInstance("wait", 0, Map.of(), null);
    var job = b.activateJobs("work", "w", 1, Duration.ofMinutes(1), Duration.ZERO);
    b.completeJob(job.getFirst().key(), Map.of());

    PublishResult r = a.publishMessage("go", null, Map.of(), Duration.ZERO, id);

    assertThat(r.correlated()).containsExactly(id);
    assertThat(a.instance(id).orElseThrow().status()).isEqualTo("COMPLETED");
  }
}
