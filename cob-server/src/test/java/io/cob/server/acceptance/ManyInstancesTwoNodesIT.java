package io.cob.server.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cob.engine.TestModels;
import io.cob.server.support.Api;
import io.cob.server.support.NodeProcess;
import io.cob.server.support.PostgresSchema;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Five hundred instances of a five-step process on two nodes (separate JVMs, one PostgreSQL
 * schema), every step a job of type {@code step} done by external workers that long-poll both
 * nodes. Every instance completes and every step is completed exactly once: one successful report
 * per job, one {@code JobCompleted} event per step in each history. A report refused because the
 * other node's worker got there first (the job's 2 s lock expired and it was handed out again) is
 * fine, but is counted apart and must leave no trace in the history.
 *
 * <p>The second run kills one node with SIGKILL after about 40 % of the jobs: the jobs its workers
 * held come back on the survivor once their locks expire, and everything still completes exactly
 * once.
 */
class ManyInstancesTwoNodesIT {
  static final int INSTANCES = 500;
  static final int STEPS = 5;
  static final int WORKERS_PER_NODE = 4;
  static final String PROCESS = "five-steps";

  /** How long the workers may take for all 2,500 jobs before the test gives up. */
  static final Duration RUN_DEADLINE = Duration.ofSeconds(45);

  private PostgresSchema db;
  private NodeProcess a;
  private NodeProcess b;

  /**
   * A report of a job by a worker: the job, its idempotency key, the node asked, the answer (-1: no
   * answer).
   */
  record Report(String jobKey, String idempotencyKey, String node, int status) {}

  @BeforeEach
  void start() throws Exception {
    db = PostgresSchema.create();
    a = NodeProcess.start("node-a", db.jdbcUrl());
    b = NodeProcess.start("node-b", db.jdbcUrl());
    StringBuilder nodes = new StringBuilder("<startEvent id=\"start\"/><endEvent id=\"end\"/>");
    List<String> flows = new ArrayList<>();
    String previous = "start";
    for (int s = 1; s <= STEPS; s++) {
      nodes.append(TestModels.serviceTask("s" + s, "step"));
      flows.add(previous + "->s" + s);
      previous = "s" + s;
    }
    flows.add(previous + "->end");
    a.api()
        .deploy(
            PROCESS + ".bpmn",
            TestModels.process(PROCESS, nodes.toString(), flows.toArray(String[]::new)));
  }

  @AfterEach
  void stop() throws Exception {
    if (a != null) {
      a.close();
    }
    if (b != null) {
      b.close();
    }
    if (db != null) {
      db.close();
    }
  }

  @Test
  void shouldCompleteEveryStepOfEveryInstanceExactlyOnceWithWorkersOnBothNodes() throws Exception {
    List<String> ids = startInstancesOnBothNodes();

    Run run = new Run(List.of(a, b));
    run.until(() -> completed(a.api()) == INSTANCES, () -> {});

    assertThat(completedPaged(b.api()))
        .as("COMPLETED instances, read page by page")
        .containsExactlyInAnyOrderElementsOf(ids);
    assertThat(run.unexpected).as("answers other than 204, 404 or 409").isEmpty();
    List<Report> ok = run.succeeded();
    assertThat(ok).as("successful reports").hasSize(INSTANCES * STEPS);
    assertThat(ok.stream().map(Report::jobKey).distinct().count())
        .as("distinct jobs")
        .isEqualTo(INSTANCES * STEPS);
    assertThat(ok.stream().map(Report::idempotencyKey).distinct().count())
        .as("distinct element instances")
        .isEqualTo(INSTANCES * STEPS);
    assertThat(ok.stream().map(Report::node).distinct())
        .as("both nodes took reports")
        .containsExactlyInAnyOrder("node-a", "node-b");
    Set<String> committed = assertEachStepCompletedOnceInHistory(List.of(a.api(), b.api()), ids);
    assertThat(committed)
        .as("the jobs the histories completed are the ones answered 204")
        .isEqualTo(new HashSet<>(ok.stream().map(Report::jobKey).toList()));
    System.out.printf(
        "both nodes: %d reports answered 204, %d refused as already done (404/409)%n",
        ok.size(), run.refused().size());
  }

  @Test
  void shouldCompleteEveryInstanceOnTheSurvivorAfterTheOtherNodeIsKilledMidRun() throws Exception {
    List<String> ids = startInstancesOnBothNodes();

    Run run = new Run(List.of(a, b));
    AtomicBoolean killed = new AtomicBoolean();
    run.until(
        () -> completed(a.api()) == INSTANCES,
        () -> {
          // About 40 % of the jobs are done: node b dies with jobs locked by its workers.
          if (!killed.get() && run.succeeded().size() >= INSTANCES * STEPS * 2 / 5) {
            run.dead.add("node-b");
            killed.set(true);
            try {
              b.kill();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            run.succeededAtKill = run.succeeded().size();
          }
        });

    assertThat(killed).as("node b was killed mid-run").isTrue();
    assertThat(completedPaged(a.api()))
        .as("COMPLETED instances on the survivor, page by page")
        .containsExactlyInAnyOrderElementsOf(ids);
    assertThat(run.unexpected).as("answers other than 204, 404 or 409").isEmpty();
    List<Report> ok = run.succeeded();
    assertThat(ok.stream().map(Report::jobKey).distinct().count())
        .as("no job answered 204 twice")
        .isEqualTo(ok.size());
    assertThat(ok.stream().filter(r -> r.node().equals("node-a")).count())
        .as("the survivor completed the rest")
        .isGreaterThanOrEqualTo(INSTANCES * STEPS - run.succeededAtKill - run.unanswered().size());
    // A report sent to node b as it died may have been committed without an answer: those jobs are
    // in no 204 but in the history, exactly once like every other.
    assertThat(ok.size()).isBetween(INSTANCES * STEPS - run.unanswered().size(), INSTANCES * STEPS);
    Set<String> committed = assertEachStepCompletedOnceInHistory(List.of(a.api()), ids);
    assertThat(committed).containsAll(ok.stream().map(Report::jobKey).toList());
    // A job handed out again after node b's death kept its idempotency key.
    Map<String, String> idempotency = new HashMap<>();
    for (Report r : run.activated) {
      String before = idempotency.putIfAbsent(r.jobKey(), r.idempotencyKey());
      assertThat(before == null || before.equals(r.idempotencyKey()))
          .as("idempotency key of " + r.jobKey())
          .isTrue();
    }
    System.out.printf(
        "node b killed after %d of %d steps; %d reports answered 204, %d refused as already done,"
            + " %d unanswered by the dying node%n",
        run.succeededAtKill,
        INSTANCES * STEPS,
        ok.size(),
        run.refused().size(),
        run.unanswered().size());
  }

  /** Starts the instances, alternating between the nodes, eight requests at a time. */
  private List<String> startInstancesOnBothNodes() throws Exception {
    List<String> ids = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
      List<Future<String>> started = new ArrayList<>();
      for (int i = 0; i < INSTANCES; i++) {
        Api api = (i % 2 == 0 ? a : b).api();
        int n = i;
        started.add(pool.submit(() -> api.start(PROCESS, Map.of("n", n)).get("id").asText()));
      }
      for (Future<String> f : started) {
        ids.add(f.get(60, TimeUnit.SECONDS));
      }
    }
    assertThat(ids).doesNotHaveDuplicates().hasSize(INSTANCES);
    return ids;
  }

  /**
   * Workers long-polling every given node on a small pool each, recording every activation and
   * report.
   */
  static final class Run {
    final List<NodeProcess> nodes;
    final Queue<Report> activated = new ConcurrentLinkedQueue<>();
    final Queue<Report> reports = new ConcurrentLinkedQueue<>();
    final Queue<String> unexpected = new ConcurrentLinkedQueue<>();

    /** Nodes known to be dead: their workers stop at the first failed request. */
    final Set<String> dead = java.util.concurrent.ConcurrentHashMap.newKeySet();

    volatile int succeededAtKill;
    private final AtomicBoolean stop = new AtomicBoolean();

    Run(List<NodeProcess> nodes) {
      this.nodes = nodes;
    }

    List<Report> succeeded() {
      return reports.stream().filter(r -> r.status() == 204).toList();
    }

    List<Report> refused() {
      return reports.stream().filter(r -> r.status() == 404 || r.status() == 409).toList();
    }

    List<Report> unanswered() {
      return reports.stream().filter(r -> r.status() == -1).toList();
    }

    /**
     * Runs the workers until {@code done} holds (checked every 500 ms, after {@code each}) or the
     * deadline passes, then stops them; fails on the deadline.
     */
    void until(java.util.function.BooleanSupplier done, Runnable each) throws Exception {
      long deadline = System.nanoTime() + RUN_DEADLINE.toNanos();
      ExecutorService pool = Executors.newFixedThreadPool(nodes.size() * WORKERS_PER_NODE);
      try {
        for (NodeProcess node : nodes) {
          for (int w = 1; w <= WORKERS_PER_NODE; w++) {
            String worker = node.nodeId() + "-w" + w;
            pool.submit(() -> work(node, worker, deadline));
          }
        }
        boolean finished = false;
        while (!finished && System.nanoTime() < deadline) {
          LockSupport.parkNanos(Duration.ofMillis(500).toNanos());
          each.run();
          finished = done.getAsBoolean();
        }
        assertThat(finished)
            .as(
                "all %d instances completed within %s (%d reports answered 204, %d unexpected: %s)",
                INSTANCES,
                RUN_DEADLINE,
                succeeded().size(),
                unexpected.size(),
                unexpected.stream().limit(3).toList())
            .isTrue();
      } finally {
        stop.set(true);
        pool.shutdown();
        // A long poll ends within its request timeout (1 s).
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).as("workers stopped").isTrue();
      }
    }

    private void work(NodeProcess node, String worker, long deadline) {
      Api api = node.api();
      while (!stop.get() && System.nanoTime() < deadline) {
        Api.Res r;
        try {
          r =
              api.post(
                  "/api/v1/jobs/activate",
                  Map.of(
                      "type",
                      "step",
                      "worker",
                      worker,
                      "maxJobs",
                      5,
                      "lockDuration",
                      "PT2S",
                      "requestTimeout",
                      "PT1S"));
        } catch (UncheckedIOException e) {
          if (dead.contains(node.nodeId())) {
            return;
          }
          unexpected.add(worker + " activate: " + e);
          continue;
        }
        if (r.status() != 200) {
          unexpected.add(worker + " activate: " + r);
          continue;
        }
        for (JsonNode job : r.json()) {
          String key = job.get("key").asText();
          String idempotencyKey = job.get("idempotencyKey").asText();
          activated.add(new Report(key, idempotencyKey, node.nodeId(), 0));
          try {
            Api.Res done = api.post("/api/v1/jobs/" + key + "/complete", Map.of());
            reports.add(new Report(key, idempotencyKey, node.nodeId(), done.status()));
            if (done.status() != 204 && done.status() != 404 && done.status() != 409) {
              unexpected.add(worker + " complete " + key + ": " + done);
            }
          } catch (UncheckedIOException e) {
            reports.add(new Report(key, idempotencyKey, node.nodeId(), -1));
            if (dead.contains(node.nodeId())) {
              return;
            }
            unexpected.add(worker + " complete " + key + ": " + e);
          }
        }
      }
    }
  }

  /** How many instances of the process are COMPLETED (one page of up to 1000). */
  private static int completed(Api api) {
    Api.Res r = api.get("/api/v1/instances?state=COMPLETED&processId=" + PROCESS + "&limit=1000");
    return r.status() == 200 ? r.json().get("items").size() : -1;
  }

  /** The ids of the COMPLETED instances, read in pages of 100 following {@code next}. */
  private static List<String> completedPaged(Api api) {
    List<String> ids = new ArrayList<>();
    String after = null;
    for (int page = 0; page < INSTANCES / 100 + 2; page++) {
      JsonNode p =
          api.get(
                  "/api/v1/instances?state=COMPLETED&processId="
                      + PROCESS
                      + "&limit=100"
                      + (after == null ? "" : "&after=" + after))
              .json();
      p.get("items").forEach(i -> ids.add(i.get("id").asText()));
      assertThat(p.get("items").size()).as("page size").isLessThanOrEqualTo(100);
      if (p.get("next").isNull()) {
        return ids;
      }
      after = p.get("next").asText();
    }
    throw new AssertionError("more pages than instances: " + ids.size() + " ids so far");
  }

  /**
   * Checks every instance's history: one JobCompleted per step, steps in order, each job completed
   * once, the instance ended COMPLETED. Reads the histories eight at a time, spread over the nodes.
   *
   * @return the keys of the jobs the histories show completed
   */
  private static Set<String> assertEachStepCompletedOnceInHistory(List<Api> apis, List<String> ids)
      throws Exception {
    Set<String> jobs = java.util.concurrent.ConcurrentHashMap.newKeySet();
    AtomicInteger n = new AtomicInteger();
    try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
      List<Future<Void>> checks =
          IntStream.range(0, ids.size())
              .mapToObj(
                  i ->
                      pool.<Void>submit(
                          () -> {
                            String id = ids.get(i);
                            JsonNode history =
                                apis.get(i % apis.size())
                                    .get("/api/v1/instances/" + id + "/history")
                                    .json();
                            List<String> stepsDone = new ArrayList<>();
                            for (JsonNode h : history) {
                              if (h.get("type").asText().equals("JobCompleted")) {
                                stepsDone.add(h.get("elementId").asText());
                                assertThat(
                                        jobs.add(id + ":" + h.get("data").get("jobKey").asText()))
                                    .as("job completed twice in " + id)
                                    .isTrue();
                              }
                            }
                            assertThat(stepsDone)
                                .as("JobCompleted events of " + id)
                                .containsExactly("s1", "s2", "s3", "s4", "s5");
                            assertThat(history.get(history.size() - 1).get("type").asText())
                                .isEqualTo("InstanceEnded");
                            n.incrementAndGet();
                            return null;
                          }))
              .toList();
      for (Future<Void> f : checks) {
        f.get(60, TimeUnit.SECONDS);
      }
    }
    assertThat(n.get()).isEqualTo(ids.size());
    assertThat(jobs).hasSize(INSTANCES * STEPS);
    return new HashSet<>(jobs);
  }
}
