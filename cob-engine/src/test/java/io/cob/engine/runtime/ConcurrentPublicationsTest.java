package io.cob.engine.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.cob.engine.Engine;
import io.cob.engine.TestModels;
import io.cob.engine.store.InMemoryStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Publications that arrive together may share the writer's transaction; each must still see what
 * the ones before it did, as if they ran one after the other.
 */
class ConcurrentPublicationsTest {
  private static final int INSTANCES = 12;

  private final Engine engine = Engine.builder(new InMemoryStore()).nodeId("n").build().start();

  @AfterEach
  void close() {
    engine.close();
  }

  @Test
  void shouldGiveEachOfManySimultaneousMessagesForOneKeyToADifferentWaitingInstance()
      throws Exception {
    engine.deploy(
        List.of(
            new BpmnResource(
                "wait.bpmn",
                TestModels.process(
                        "wait",
                        "<startEvent id=\"s\"/><intermediateCatchEvent id=\"m\">"
                            + "<messageEventDefinition messageRef=\"msg\"/></intermediateCatchEvent>"
                            + "<endEvent id=\"e\"/>",
                        "s->m",
                        "m->e")
                    .replace(
                        "</definitions>",
                        "<message id=\"msg\" name=\"go\"><extensionElements>"
                            + "<zeebe:subscription correlationKey=\"=key\"/></extensionElements>"
                            + "</message></definitions>")
                    .getBytes(StandardCharsets.UTF_8))));
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < INSTANCES; i++) {
      ids.add(engine.startInstance("wait", 0, Map.of("key", "same"), null));
    }

    List<PublishResult> results = publishAtOnce(INSTANCES + 2, "same");

    List<String> correlated = new ArrayList<>();
    results.forEach(r -> correlated.addAll(r.correlated()));
    Set<String> distinct = new HashSet<>(correlated);
    assertThat(correlated).hasSize(INSTANCES);
    assertThat(distinct).containsExactlyInAnyOrderElementsOf(ids);
    assertThat(results).filteredOn(r -> r.correlated().isEmpty()).hasSize(2);
    for (String id : ids) {
      assertThat(engine.instance(id).orElseThrow().status()).isEqualTo("COMPLETED");
    }
  }

  private List<PublishResult> publishAtOnce(int count, String key) throws Exception {
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(count);
    try {
      List<Future<PublishResult>> futures = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        futures.add(
            pool.submit(
                () -> {
                  start.await();
                  return engine.publishMessage("go", key, Map.of(), Duration.ZERO, null);
                }));
      }
      start.countDown();
      List<PublishResult> results = new ArrayList<>();
      for (Future<PublishResult> f : futures) {
        results.add(f.get(30, TimeUnit.SECONDS));
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }
}
