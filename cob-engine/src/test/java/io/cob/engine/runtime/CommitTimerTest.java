package io.cob.engine.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cob.engine.Engine;
import io.cob.engine.TestModels;
import io.cob.engine.port.ActivatedJob;
import io.cob.engine.port.CommitTimer;
import io.cob.engine.port.CommitTimer.Outcome;
import io.cob.engine.port.Store;
import io.cob.engine.port.StoreException;
import io.cob.engine.store.InMemoryStore;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The engine tells its {@link CommitTimer} about every group commit and what the store did. */
class CommitTimerTest {
  private record Timed(int instances, int events, long nanos, Outcome outcome) {}

  private final List<Timed> timed = new CopyOnWriteArrayList<>();
  private final CommitTimer recorder =
      (instances, events, nanos, outcome) ->
          timed.add(new Timed(instances, events, nanos, outcome));
  private final List<Engine> engines = new ArrayList<>();

  @AfterEach
  void close() {
    engines.forEach(Engine::close);
  }

  private Engine engine(Store store, String nodeId, CommitTimer timer) {
    Engine e = Engine.builder(store).nodeId(nodeId).commitTimer(timer).build().start();
    engines.add(e);
    return e;
  }

  @Test
  void shouldTimeEveryCommitAndCountTheEventsItWrote() {
    Engine engine = engine(new InMemoryStore(), "a", recorder);
    deploy(engine, oneStep());

    String id = engine.startInstance("one", 0, Map.of(), null);
    ActivatedJob job =
        engine.activateJobs("work", "w", 1, Duration.ofMinutes(1), Duration.ZERO).getFirst();
    engine.completeJob(job.key(), Map.of());

    assertThat(timed).isNotEmpty().allSatisfy(t -> assertThat(t.nanos()).isNotNegative());
    assertThat(timed).extracting(Timed::outcome).containsOnly(Outcome.COMMITTED);
    assertThat(timed.stream().mapToInt(Timed::events).sum())
        .as("every event of the instance's log, committed once")
        .isEqualTo(engine.history(id).size());
    assertThat(timed).allSatisfy(t -> assertThat(t.instances()).isEqualTo(1));
  }

  @Test
  void shouldReportACommitRefusedBecauseAnotherNodeChangedTheInstanceFirst() {
    Store store = new InMemoryStore();
    Engine a = engine(store, "a", recorder);
    Engine b = engine(store, "b", CommitTimer.NONE);
    deploy(a, twoParallelSteps());
    String id = a.startInstance("fork", 0, Map.of(), null); // a caches the instance
    List<ActivatedJob> jobs = a.activateJobs("work", "w", 2, Duration.ofMinutes(1), Duration.ZERO);
    assertThat(jobs).hasSize(2);

    b.completeJob(jobs.get(0).key(), Map.of()); // a's cached copy is now one version behind
    timed.clear();
    a.completeJob(jobs.get(1).key(), Map.of());

    assertThat(timed)
        .extracting(Timed::outcome)
        .as("refused on the stale copy, then committed on the stored state")
        .containsExactly(Outcome.STALE, Outcome.COMMITTED);
    assertThat(a.instance(id).orElseThrow().status()).isEqualTo("COMPLETED");
  }

  @Test
  void shouldReportACommitTheStoreFailed() {
    AtomicBoolean failNext = new AtomicBoolean();
    Engine engine = engine(failingOnce(new InMemoryStore(), failNext), "a", recorder);
    deploy(engine, oneStep());
    timed.clear();

    failNext.set(true);
    assertThatThrownBy(() -> engine.startInstance("one", 0, Map.of(), null))
        .hasMessageContaining("database is gone");

    assertThat(timed).extracting(Timed::outcome).containsExactly(Outcome.FAILED);
  }

  @Test
  void shouldNotMindATimerThatThrows() {
    Engine engine =
        engine(
            new InMemoryStore(),
            "a",
            (instances, events, nanos, outcome) -> {
              throw new IllegalStateException("broken metrics");
            });
    deploy(engine, oneStep());

    String id = engine.startInstance("one", 0, Map.of(), null);

    assertThat(engine.instance(id)).isPresent();
  }

  private static Store failingOnce(Store delegate, AtomicBoolean failNext) {
    return (Store)
        Proxy.newProxyInstance(
            Store.class.getClassLoader(),
            new Class<?>[] {Store.class},
            (proxy, method, args) -> {
              if (method.getName().equals("commit") && failNext.compareAndSet(true, false)) {
                throw new StoreException("the database is gone");
              }
              try {
                return method.invoke(delegate, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  private static void deploy(Engine engine, String xml) {
    engine.deploy(List.of(new BpmnResource("p.bpmn", xml.getBytes(StandardCharsets.UTF_8))));
  }

  private static String oneStep() {
    return TestModels.process(
        "one",
        "<startEvent id=\"s\"/>" + TestModels.serviceTask("t", "work") + "<endEvent id=\"e\"/>",
        "s->t",
        "t->e");
  }

  private static String twoParallelSteps() {
    return TestModels.process(
        "fork",
        "<startEvent id=\"s\"/><parallelGateway id=\"split\"/>"
            + TestModels.serviceTask("t1", "work")
            + TestModels.serviceTask("t2", "work")
            + "<parallelGateway id=\"join\"/><endEvent id=\"e\"/>",
        "s->split",
        "split->t1",
        "split->t2",
        "t1->join",
        "t2->join",
        "join->e");
  }
}
