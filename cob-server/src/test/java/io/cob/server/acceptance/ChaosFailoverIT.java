package io.cob.server.acceptance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.cob.engine.TestModels;
import io.cob.server.support.Api;
import io.cob.server.support.CloudNodes;
import io.cob.server.support.FailoverClouds;
import io.cob.server.support.Histories;
import io.cob.server.support.NodeProcess;
import io.cob.server.support.PostgresSchema;
import io.cob.server.support.RabbitMq;
import io.cob.server.support.StepService;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chaos test of issue 6: three clouds as three JVMs on the machine's RabbitMQ, each node with a
 * PostgreSQL schema of its own as its store. {@code private} owns the instances, {@code public-b}
 * is its standby in mode {@code sync}. A process of three HTTP steps ({@code a} on the owner's
 * cloud, {@code b} on {@code public-a}, {@code c} on {@code public-b}) calls a service that takes
 * 100-200 ms per call. 200 instances are started at {@code private}, every start answered (step
 * {@code a} waits until then, so that all are in flight together); once 30 have completed and the
 * rest are in flight, the JVM of {@code private} is killed with SIGKILL. The node logs are kept in
 * {@code target/it-logs/ChaosFailoverIT}.
 *
 * <p>It shows: all 200 instances complete at {@code public-b}; the service saw one idempotency key
 * per step of each instance (a repeat of the key after the fail-over is allowed, a second key is an
 * effect that happened twice); the standby commits steps again within 10 s of the kill (the default
 * lease: fence after 2 s, take over after 3 s); and, mode {@code sync}, whatever the owner had
 * answered as committed before it died is in the standby's copy.
 *
 * <p>What the owner answered as committed, exactly: every start (the test had its 201 before the
 * kill), and every outcome of {@code b} and {@code c} it logged as {@code job_result_applied},
 * which it logs once the command is committed, that is, in mode {@code sync}, once the standby
 * stored it. A history read from the owner may also show events the standby had not stored yet (as
 * a database with synchronous replication shows a commit to other sessions before its standby
 * confirmed it): those are what the owner had <i>not</i> answered yet, and the standby runs their
 * steps again under the same keys.
 */
class ChaosFailoverIT {
  static final int INSTANCES = 200;
  static final int KILL_AFTER_COMPLETED = 30;
  static final Duration RECOVERY_LIMIT = Duration.ofSeconds(10);
  static final Duration RUN_DEADLINE = Duration.ofSeconds(60);
  static final Pattern RESULT_APPLIED =
      Pattern.compile(
          "event=job_result_applied instance=(\\S+) element=(\\S+) job=(\\S+) outcome=COMPLETE");
  static final Pattern AUTOMATIC_FAILOVER =
      Pattern.compile("event=automatic_failover from=private to=public-b .*recoveryMs=(\\d+)");

  @TempDir Path dir;
  private final String namespace = RabbitMq.uniqueNamespace();
  private final Map<String, NodeProcess> nodes = new LinkedHashMap<>();
  private final Map<String, PostgresSchema> stores = new LinkedHashMap<>();
  private StepService service;
  private List<String> started = List.of();

  @BeforeEach
  void startTheService() throws Exception {
    RabbitMq.requireAvailable();
    for (String cloud : FailoverClouds.NAMES) {
      stores.put(cloud, PostgresSchema.create());
    }
    service = StepService.start(Duration.ofMillis(100), Duration.ofMillis(200));
  }

  @AfterEach
  void stopEverything() throws Exception {
    for (NodeProcess n : nodes.values()) {
      n.close();
      n.keepLog(Path.of("target", "it-logs", "ChaosFailoverIT"));
    }
    if (service != null) {
      service.close();
    }
    stores.values().forEach(PostgresSchema::close);
    if (!nodes.isEmpty()) {
      RabbitMq.deleteNamespace(namespace, FailoverClouds.NAMES);
    }
  }

  @Test
  void shouldCompleteEveryInstanceOnTheStandbyAfterTheOwnerIsKilled() throws Exception {
    FailoverClouds clouds = new FailoverClouds(dir, namespace, "sync");
    stores.forEach((cloud, schema) -> clouds.withStore(cloud, schema.jdbcUrl()));
    for (String cloud : FailoverClouds.NAMES) {
      nodes.put(
          cloud,
          NodeProcess.startConfigured(
              FailoverClouds.NODE_OF.get(cloud),
              clouds.config(cloud, RabbitMq.URL),
              // job_result_applied: the owner's word that an outcome is committed
              "-Dorg.slf4j.simpleLogger.log.io.cob.server.xcloud=info",
              "-Dorg.slf4j.simpleLogger.log.io.cob.server.replication=info"));
    }
    NodeProcess ownerNode = nodes.get("private");
    Api owner = ownerNode.api();
    Api standby = nodes.get("public-b").api();
    for (NodeProcess n : nodes.values()) {
      awaitTrue(
          n.nodeId() + " sees every cloud UP",
          Duration.ofSeconds(30),
          () ->
              FailoverClouds.NAMES.stream()
                  .allMatch(c -> "UP".equals(CloudNodes.health(n.api(), c))));
    }
    owner.deploy("tour.bpmn", tour());

    // Step a waits until every start is answered, so that all 200 are in flight together.
    service.hold("a");
    List<String> ids =
        inParallel(INSTANCES, n -> owner.start("tour", Map.of("n", n)).get("id").asText());
    started = ids;
    service.release();
    awaitTrue(
        KILL_AFTER_COMPLETED + " instances complete at the owner",
        RUN_DEADLINE,
        () -> completed(owner).size() >= KILL_AFTER_COMPLETED);
    Instant killedAt = Instant.now();
    ownerNode.kill();
    long killed = System.nanoTime();

    awaitTrue(
        "all " + INSTANCES + " complete at the standby",
        RUN_DEADLINE,
        () -> completed(standby).size() == INSTANCES);
    long allDone = System.nanoTime();
    assertThat(completed(standby)).containsExactlyInAnyOrderElementsOf(ids);

    // Every step of every instance happened in effect once: one key, repeats allowed.
    assertThat(service.secondKeys()).as("steps called with a second key").isEmpty();
    for (String id : ids) {
      for (String step : List.of("a", "b", "c")) {
        assertThat(service.called(id, step)).as("step " + step + " of " + id).isTrue();
      }
    }

    List<List<JsonNode>> histories =
        inParallel(INSTANCES, n -> Histories.read(standby, ids.get(n)));
    Map<String, Set<Long>> answered = outcomesAnswered(ownerNode.logAfterExit());
    int takenOver = 0;
    Instant firstStepByStandby = null;
    for (int i = 0; i < INSTANCES; i++) {
      String id = ids.get(i);
      List<JsonNode> history = histories.get(i);
      int taken = Histories.indexOf(history, "OwnershipTaken");
      assertThat(taken).as("%s was replicated before it was taken over", id).isNotZero();
      List<JsonNode> replicated = taken < 0 ? history : history.subList(0, taken);
      if (taken > 0) {
        takenOver++;
        JsonNode event = history.get(taken);
        assertThat(event.get("data").get("toCloud").asText()).isEqualTo("public-b");
        assertThat(event.get("data").get("epoch").asLong()).isEqualTo(1);
        for (JsonNode e : history.subList(taken, history.size())) {
          if (e.get("type").asText().equals("JobCompleted")) {
            Instant at = Histories.at(e);
            if (firstStepByStandby == null || at.isBefore(firstStepByStandby)) {
              firstStepByStandby = at;
            }
            break;
          }
        }
      }
      // Sync: every outcome the owner answered is in the part of the standby's copy that the
      // owner committed (before the take-over), not done again after it.
      for (long job : answered.getOrDefault(id, Set.of())) {
        assertThat(indexOfCompletion(replicated, job))
            .as("outcome of job %d of %s, answered by the owner, in the standby's copy", job, id)
            .isNotNegative();
      }
    }
    assertThat(takenOver).as("instances the standby took over").isPositive();
    assertThat(firstStepByStandby).as("a step committed by the standby").isNotNull();
    Duration recovery = Duration.between(killedAt, firstStepByStandby);
    assertThat(recovery).as("from the kill to the first step the standby committed").isPositive();
    assertThat(recovery).isLessThan(RECOVERY_LIMIT);

    Matcher guard = AUTOMATIC_FAILOVER.matcher(nodes.get("public-b").log());
    System.out.printf(
        "ChaosFailoverIT: killed the owner with %d of %d instances in flight, taken over by the"
            + " standby; recovery (kill to the first step committed by the standby) %d ms;"
            + " take-over by the standby's guard (mark gone to instances taken over) %s ms; all"
            + " done %d ms after the kill; %d outcomes answered by the owner, all in the standby's"
            + " copy%n",
        takenOver,
        INSTANCES,
        recovery.toMillis(),
        guard.find() ? guard.group(1) : "?",
        (allDone - killed) / 1_000_000,
        answered.values().stream().mapToInt(Set::size).sum());
  }

  /** The outcomes of jobs the owner logged as committed, by instance. */
  private static Map<String, Set<Long>> outcomesAnswered(String log) {
    Map<String, Set<Long>> out = new HashMap<>();
    Matcher m = RESULT_APPLIED.matcher(log);
    while (m.find()) {
      String job = m.group(3);
      out.computeIfAbsent(m.group(1), k -> new HashSet<>())
          .add(Long.parseLong(job.substring(job.lastIndexOf(':') + 1)));
    }
    return out;
  }

  private static int indexOfCompletion(List<JsonNode> history, long jobKey) {
    for (int i = 0; i < history.size(); i++) {
      JsonNode e = history.get(i);
      if (e.get("type").asText().equals("JobCompleted")
          && e.get("data").get("jobKey").asLong() == jobKey) {
        return i;
      }
    }
    return -1;
  }

  private static List<String> completed(Api api) {
    Api.Res r = api.get("/api/v1/instances?processId=tour&state=COMPLETED&limit=1000");
    if (r.status() != 200) {
      throw new AssertionError("completed instances at " + api.base() + ": " + r);
    }
    List<String> ids = new ArrayList<>();
    r.json().get("items").forEach(i -> ids.add(i.get("id").asText()));
    return ids;
  }

  /** Runs {@code count} calls on 8 threads, answering their results in order. */
  private static <T> List<T> inParallel(int count, Task<T> task) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<T>> futures = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        int n = i;
        futures.add(pool.submit((Callable<T>) () -> task.run(n)));
      }
      List<T> out = new ArrayList<>();
      for (Future<T> f : futures) {
        out.add(f.get());
      }
      return out;
    } finally {
      pool.shutdownNow();
    }
  }

  @FunctionalInterface
  private interface Task<T> {
    T run(int n) throws Exception;
  }

  /** start → a (the owner's cloud) → b (public-a) → c (public-b) → end, each an HTTP call. */
  private String tour() {
    Map<String, String> cloudOf = Map.of("a", "", "b", "public-a", "c", "public-b");
    StringBuilder tasks = new StringBuilder("<startEvent id=\"start\"/>");
    for (String step : List.of("a", "b", "c")) {
      String cloud = cloudOf.get(step);
      tasks.append(
          "<serviceTask id=\"%s\"%s><extensionElements>"
                  .formatted(step, cloud.isEmpty() ? "" : " cob:cloud=\"" + cloud + "\"")
              + "<zeebe:taskDefinition type=\"http\"/><zeebe:taskHeaders>"
              + "<zeebe:header key=\"url\" value=\"%s\"/>".formatted(service.url(step))
              + "<zeebe:header key=\"method\" value=\"POST\"/>"
              + "</zeebe:taskHeaders></extensionElements></serviceTask>");
    }
    tasks.append("<endEvent id=\"end\"/>");
    return TestModels.process("tour", tasks.toString(), "start->a", "a->b", "b->c", "c->end");
  }

  /** The instances the standby has not completed, with the history of a few, for a failure. */
  private String stuck() {
    StringBuilder out = new StringBuilder();
    Api standby = nodes.get("public-b").api();
    List<String> notDone = new ArrayList<>(started);
    notDone.removeAll(completed(standby));
    out.append("\nnot completed at the standby: ").append(notDone.size());
    for (String id : notDone.subList(0, Math.min(3, notDone.size()))) {
      out.append("\n").append(standby.get("/api/v1/instances/" + id));
      Api.Res h = standby.get("/api/v1/instances/" + id + "/history");
      out.append("\nhistory: ").append(h.body());
    }
    return out.toString();
  }

  private void awaitTrue(String what, Duration deadline, BooleanSupplier condition) {
    long end = System.nanoTime() + deadline.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        StringBuilder logs = new StringBuilder();
        for (NodeProcess n : nodes.values()) {
          String log = n.log();
          logs.append("\n--- ").append(n.nodeId()).append(" (last 4000 chars)\n");
          logs.append(log.substring(Math.max(0, log.length() - 4000)));
        }
        fail("timed out after " + deadline + " waiting for: " + what + stuck() + logs);
      }
      LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
    }
  }
}
