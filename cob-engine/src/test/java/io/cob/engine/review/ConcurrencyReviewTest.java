package io.cob.engine.review;

import static io.cob.engine.TestModels.process;
import static io.cob.engine.TestModels.serviceTask;
import static org.assertj.core.api.Assertions.assertThat;

import io.cob.engine.EngineHarness;
import io.cob.engine.EngineHarness.Instance;
import io.cob.engine.port.JobResult;
import io.cob.engine.port.StoreRows.InstanceQuery;
import io.cob.engine.port.StoreRows.InstanceSummary;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Review: the single writer (CommandLoop) under concurrent callers. */
class ConcurrencyReviewTest {
  private final ControllableStore control = new ControllableStore();

  @RegisterExtension
  final EngineHarness engine =
      new EngineHarness(control::store)
          .handler("auto", job -> JobResult.complete(Map.of("doneBy", job.idempotencyKey())));

  /**
   * Found in review, fixed since: Two commands for one instance land in the same batch: a valid
   * CompleteJob and a CompleteJob whose variables cannot be stored. The bad one throws inside the
   * processor (Values.canonicalMap before any check - it should be a rejection), which "poisons"
   * the instance for the batch, and the VALID command fails too ("failed in this batch") although
   * it fits the instance. Its caller sees an error for a command that was fine.
   */
  @Test
  void shouldNotFailAValidCommandBecauseAnotherCommandForTheSameInstanceInItsBatchWasBad()
      throws Exception {
    engine.deploy(
        process(
            "p",
            "<startEvent id=\"s\"/><parallelGateway id=\"f\"/>"
                + serviceTask("a", "work")
                + serviceTask("b", "work")
                + "<parallelGateway id=\"j\"/><endEvent id=\"e\"/>",
            "s->f",
            "f->a",
            "f->b",
            "a->j",
            "b->j",
            "j->e"),
        process("blocker", "<startEvent id=\"bs\"/><endEvent id=\"be\"/>", "bs->be"));
    Instance i = engine.start("p");
    String jobA = i.job("a").key();
    String jobB = i.job("b").key();

    // Hold the writer inside a commit so that the next commands queue up and form one batch.
    control.holdNextCommitWhere(ControllableStore.createsInstanceOf("blocker"));
    CompletableFuture<Void> blocker =
        CompletableFuture.runAsync(
            () -> engine.engine().startInstance("blocker", 0, Map.of(), null));
    control.awaitHeld();
    ExecutorService callers = Executors.newFixedThreadPool(2);
    var valid = callers.submit(() -> engine.engine().completeJob(jobA, Map.of("ok", true)));
    var bad = callers.submit(() -> engine.engine().completeJob(jobB, Map.of("bad", new Object())));
    waitUntilQueued(callers);
    control.release();

    Throwable badOutcome = outcome(bad);
    Throwable validOutcome = outcome(valid);
    blocker.get(10, TimeUnit.SECONDS);
    callers.shutdown();
    engine.settle();

    assertThat(badOutcome).as("the bad command is refused").isNotNull();
    assertThat(validOutcome).as("the valid command's outcome").isNull();
    assertThat(i.variables()).containsEntry("ok", true);
  }

  /**
   * VERIFIED (passes). 8 threads start 400 instances at once; every one runs its local job and
   * completes.
   */
  @Test
  void shouldCompleteEveryInstanceStartedFromManyThreadsAtOnce() throws Exception {
    engine.deploy(
        process(
            "p",
            "<startEvent id=\"s\"/>"
                + serviceTask("t", "auto")
                + serviceTask("u", "auto")
                + "<endEvent id=\"e\"/>",
            "s->t",
            "t->u",
            "u->e"));
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<java.util.concurrent.Future<String>> ids = new ArrayList<>();
    for (int n = 0; n < 400; n++) {
      int k = n;
      ids.add(pool.submit(() -> engine.engine().startInstance("p", 0, Map.of("n", k), "bk-" + k)));
    }
    List<String> started = new ArrayList<>();
    for (var f : ids) {
      started.add(f.get(30, TimeUnit.SECONDS));
    }
    pool.shutdown();
    engine.settle();

    assertThat(started).doesNotHaveDuplicates().hasSize(400);
    List<InstanceSummary> all =
        engine.store().instances(new InstanceQuery(null, "p", null, null, null, 10_000, null));
    assertThat(all).hasSize(400).allSatisfy(s -> assertThat(s.state()).isEqualTo("COMPLETED"));
    for (String id : started) {
      assertThat(engine.instance(id).variables()).containsKey("doneBy").containsKey("n");
    }
  }

  private static void waitUntilQueued(ExecutorService callers) throws InterruptedException {
    // Each caller blocks in Engine.await (a timed wait on its future) right after enqueueing its
    // command.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      long waiting =
          Thread.getAllStackTraces().keySet().stream()
              .filter(
                  t ->
                      t.getName().startsWith("pool-") && t.getState() == Thread.State.TIMED_WAITING)
              .filter(
                  t ->
                      java.util.Arrays.stream(t.getStackTrace())
                          .anyMatch(f -> f.getMethodName().equals("completeJob")))
              .count();
      if (waiting >= 2) {
        return;
      }
      Thread.onSpinWait();
    }
    throw new AssertionError("the two callers did not queue their commands");
  }

  private static Throwable outcome(java.util.concurrent.Future<?> f) throws InterruptedException {
    try {
      f.get(10, TimeUnit.SECONDS);
      return null;
    } catch (java.util.concurrent.ExecutionException e) {
      return e.getCause();
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("no answer", e);
    }
  }
}
