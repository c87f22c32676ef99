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
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The manual fail-over and fail-back of issue 6: three clouds as three JVMs on the machine's
 * RabbitMQ, each node with a PostgreSQL schema of its own as its store. {@code private} owns the
 * instances, {@code public-b} is its standby (replication {@code async}); {@code private} stays up
 * the whole time, as for planned maintenance. The node logs are kept in {@code
 * target/it-logs/ManualFailoverAndFailBackIT}.
 *
 * <p>100 instances are started at {@code private}, a quarter of each {@link Kind}; each waits in
 * turn at two of a user task, a message catch (correlation key {@code orderId}) and a timer, so
 * that it needs one action after the fail-over and one after the fail-back: the waiting state it
 * sits in at each move must be armed again by the cloud it moves to. Once the standby holds every
 * replica (its lag at {@code private} 0, every history equal), {@code POST
 * /api/v1/clouds/private/failover} on {@code public-b} moves them. It shows:
 *
 * <ul>
 *   <li>{@code private} fences itself: a task completion, a cancellation, a message and a start
 *       there are refused with 409, "fenced", and it fires none of its timers, which fall due
 *       meanwhile;
 *   <li>{@code public-b} owns every instance (epoch 1) and advances each one past its first wait:
 *       it completes user tasks, correlates messages and fires the first timers, armed by the
 *       take-over with their original due time; 15 instances it completes altogether;
 *   <li>{@code private}'s copy of each instance is, event for event, {@code public-b}'s up to the
 *       {@code OwnershipTaken} of epoch 1, and unchanged since the fail-over;
 *   <li>after {@code POST /api/v1/clouds/private/failback} on {@code public-b}, {@code private}
 *       owns the 85 running instances again (epoch 2) and holds its lease again (it accepts
 *       commands); {@code public-b} refuses commands on them; at {@code private} the second waits
 *       complete: tasks, messages, and the second timers, armed at {@code public-b} and due after
 *       the fail-back;
 *   <li>all 100 complete, each wait passed exactly once, each at the cloud that owned the instance
 *       then (a timer's due time after the move before it), with no {@code ReplicaConflict}.
 * </ul>
 *
 * <p>Calls at {@code private} that it refuses because its lease lapsed for a moment (a busy machine
 * can delay a confirmation past {@code fenceAfter}) are made again, as a client would; a refusal
 * because the cloud was taken over is not.
 *
 * <p>What the two copies of a history must be after the fail-back: {@code private} adopts {@code
 * public-b}'s whole log in place of its own (its own is a prefix of it: it committed nothing while
 * fenced), then the hand-over ({@code OwnershipTaken} of epoch 2) is appended on both; from then on
 * {@code private} owns the instance and ships what it commits to {@code public-b}, its standby,
 * again. So {@code public-b}'s copy is at all times a prefix of {@code private}'s, and once
 * replication has caught up the two are equal, event for event; an instance that ended at {@code
 * public-b} is only adopted, and both copies end with its completion there.
 */
class ManualFailoverAndFailBackIT {
  static final int INSTANCES = 100;
  static final String OWNER = FailoverClouds.OWNER;
  static final String STANDBY = FailoverClouds.STANDBY;

  /**
   * The first timer, from the start: long enough that the fail-over is done before it falls due
   * (the instances that wait at it are started last; from their start to the end of the fail-over
   * took 7 s on a quiet machine, 12 s on a very busy one), short enough to fire at {@code public-b}
   * soon after.
   */
  static final Duration FIRST_TIMER = Duration.ofSeconds(20);

  /**
   * The second timer, armed at {@code public-b} just before the fail-back: long enough that the
   * fail-back (4 to 12 s here) is done before it falls due, so that it fires at {@code private}.
   */
  static final Duration SECOND_TIMER = Duration.ofSeconds(20);

  static final Duration DEADLINE = Duration.ofSeconds(30);
  static final Path LOGS = Path.of("target", "it-logs", "ManualFailoverAndFailBackIT");

  /** How a wait ends: the event that ends it in the history. */
  enum How {
    TASK("UserTaskCompleted"),
    MESSAGE("MessageCorrelated"),
    TIMER("TimerTriggered");

    final String event;

    How(String event) {
      this.event = event;
    }
  }

  /** A wait state: an element of the process and how it ends. */
  record Wait(How how, String elementId) {}

  /** The two waits of an instance, in order. */
  enum Kind {
    TASK_THEN_MESSAGE(new Wait(How.TASK, "review"), new Wait(How.MESSAGE, "payment")),
    MESSAGE_THEN_TASK(new Wait(How.MESSAGE, "order"), new Wait(How.TASK, "approve")),
    TIMER_THEN_TASK(new Wait(How.TIMER, "cooling"), new Wait(How.TASK, "check")),
    TASK_THEN_TIMER(new Wait(How.TASK, "sign"), new Wait(How.TIMER, "grace"));

    final Wait first;
    final Wait second;

    Kind(Wait first, Wait second) {
      this.first = first;
      this.second = second;
    }
  }

  /**
   * One instance: {@code endsAtStandby} ones pass both waits at {@code public-b} (never those whose
   * second wait is a timer: it is due after the fail-back).
   */
  record Planned(int n, String id, Kind kind, boolean endsAtStandby) {
    String orderId() {
      return "o-" + n;
    }
  }

  @TempDir Path dir;
  private final String namespace = RabbitMq.uniqueNamespace();
  private final Map<String, NodeProcess> nodes = new LinkedHashMap<>();
  private final Map<String, PostgresSchema> stores = new LinkedHashMap<>();
  private final long began = System.nanoTime();

  @BeforeEach
  void requireTheServices() {
    RabbitMq.requireAvailable();
    for (String cloud : FailoverClouds.NAMES) {
      stores.put(cloud, PostgresSchema.create());
    }
  }

  @AfterEach
  void stopEverything() throws Exception {
    for (NodeProcess n : nodes.values()) {
      n.close();
      n.keepLog(LOGS);
    }
    stores.values().forEach(PostgresSchema::close);
    if (!nodes.isEmpty()) {
      RabbitMq.deleteNamespace(namespace, FailoverClouds.NAMES);
    }
  }

  @Test
  void shouldCompleteEveryWaitingInstanceAfterAManualFailoverAndAFailBack() throws Exception {
    FailoverClouds clouds = new FailoverClouds(dir, namespace, "async");
    stores.forEach((cloud, schema) -> clouds.withStore(cloud, schema.jdbcUrl()));
    for (String cloud : FailoverClouds.NAMES) {
      nodes.put(
          cloud,
          NodeProcess.startConfigured(
              FailoverClouds.NODE_OF.get(cloud),
              clouds.config(cloud, RabbitMq.URL),
              "-Dorg.slf4j.simpleLogger.log.io.cob.server.replication=info"));
    }
    Api owner = nodes.get(OWNER).api();
    Api standby = nodes.get(STANDBY).api();
    for (NodeProcess n : nodes.values()) {
      awaitTrue(
          n.nodeId() + " sees every cloud UP",
          DEADLINE,
          () ->
              FailoverClouds.NAMES.stream()
                  .allMatch(c -> "UP".equals(CloudNodes.health(n.api(), c))));
    }
    owner.deploy("move.bpmn", model());
    step("nodes up, deployed");

    // The instances that wait at a timer first are started last: the fail-over must be done
    // before their timers fall due.
    List<Integer> order =
        IntStream.range(0, INSTANCES)
            .boxed()
            .sorted(Comparator.comparing(n -> kindOf(n) == Kind.TIMER_THEN_TASK))
            .toList();
    List<Planned> planned =
        inParallel(
            INSTANCES,
            i -> {
              int n = order.get(i);
              Kind kind = kindOf(n);
              Map<String, Object> variables =
                  Map.of("kind", kind.name(), "orderId", "o-" + n, "n", n);
              Api.Res r =
                  retryingALapsedLease(
                      () ->
                          owner.post(
                              "/api/v1/instances",
                              Map.of("processId", "move", "variables", variables)));
              assertThat(r.status()).as("start %d: %s", n, r).isEqualTo(201);
              String id = r.json().get("id").asText();
              boolean endsAtStandby = kind.second.how() != How.TIMER && (n / 4) % 5 == 0;
              return new Planned(n, id, kind, endsAtStandby);
            });
    List<String> ids = planned.stream().map(Planned::id).toList();
    step("started " + INSTANCES);
    inParallel(
        planned.size(),
        i -> {
          Planned p = planned.get(i);
          assertThat(waitsAt(owner, p.id()))
              .as("%s %s at the owner", p.kind(), p.id())
              .containsExactly(p.kind().first.elementId());
          return null;
        });

    // Planned maintenance: the operator waits until the standby has caught up.
    awaitTrue(
        "the standby holds every replica",
        DEADLINE,
        () -> {
          JsonNode r = CloudNodes.cloud(owner, STANDBY).get("replication");
          return r != null
              && r.get("pendingInstances").asInt() == 0
              && r.get("lagMs").asDouble() == 0.0;
        });
    Map<String, List<JsonNode>> ownerBefore = histories(owner, ids);
    Map<String, List<JsonNode>> replicas = histories(standby, ids);
    for (String id : ids) {
      assertThat(replicas.get(id))
          .as("the replica of %s: %s", id, Histories.diff(ownerBefore.get(id), replicas.get(id)))
          .hasSameSizeAs(ownerBefore.get(id));
      assertThat(Histories.isPrefix(ownerBefore.get(id), replicas.get(id))).isTrue();
    }

    step("replicas complete");
    // The fail-over, by hand, on the standby.
    long failoverBegan = System.nanoTime();
    Api.Res failover = standby.post("/api/v1/clouds/" + OWNER + "/failover", Map.of());
    long failoverMs = millisSince(failoverBegan);
    step("failed over in " + failoverMs + " ms");
    assertThat(failover.status()).as(failover.toString()).isEqualTo(200);
    assertThat(failover.json().get("instances").asInt()).isEqualTo(INSTANCES);
    assertThat(failover.json().get("to").asText()).isEqualTo(STANDBY);
    assertThat(failover.json().get("refused")).as(failover.toString()).isEmpty();
    inParallel(
        ids.size(),
        i -> {
          JsonNode instance = standby.instance(ids.get(i));
          assertThat(instance.get("ownerCloud").asText())
              .as("owner of %s", ids.get(i))
              .isEqualTo(STANDBY);
          assertThat(instance.get("epoch").asLong()).isEqualTo(1);
          return null;
        });
    assertFencedAt(owner, planned);

    // At the standby: the first wait of every instance, both of some, the sign tasks last.
    List<Planned> firstNow =
        planned.stream()
            .filter(p -> p.kind() == Kind.TASK_THEN_MESSAGE || p.kind() == Kind.MESSAGE_THEN_TASK)
            .toList();
    inParallel(firstNow.size(), i -> firstAction(standby, firstNow.get(i)));
    awaitTrue(
        "the first timers fire at the standby",
        FIRST_TIMER.plus(DEADLINE),
        () ->
            planned.stream()
                .filter(p -> p.kind() == Kind.TIMER_THEN_TASK)
                .allMatch(p -> waitsAt(standby, p.id()).contains(p.kind().second.elementId())));
    List<Planned> atStandby = planned.stream().filter(Planned::endsAtStandby).toList();
    inParallel(atStandby.size(), i -> secondAction(standby, atStandby.get(i)));
    awaitTrue(
        atStandby.size() + " instances complete at the standby",
        DEADLINE,
        () -> atStandby.stream().allMatch(p -> state(standby, p.id()).equals("COMPLETED")));

    step("first waits passed at the standby, " + atStandby.size() + " completed there");
    // The owner, fenced, committed nothing since the fail-over, though its own copies of the
    // first timers fell due meanwhile: its copy is the standby's up to the take-over.
    assertFencedAt(owner, planned);
    Map<String, List<JsonNode>> ownerFenced = histories(owner, ids);
    Map<String, List<JsonNode>> standbyBeforeFailback = histories(standby, ids);
    for (String id : ids) {
      List<JsonNode> mine = ownerFenced.get(id);
      List<JsonNode> theirs = standbyBeforeFailback.get(id);
      int taken = Histories.indexOf(theirs, "OwnershipTaken");
      assertThat(taken).as("the standby's copy of %s has a take-over", id).isPositive();
      assertThat(Histories.isPrefix(mine, theirs) && mine.size() == taken)
          .as(
              "the owner's copy of %s is the standby's up to the take-over: %s",
              id, Histories.diff(mine, theirs))
          .isTrue();
      assertThat(sameHistory(mine, ownerBefore.get(id)))
          .as(
              "the owner committed nothing on %s while fenced: %s",
              id, Histories.diff(ownerBefore.get(id), mine))
          .isTrue();
    }

    // The second timers are armed now, at the standby: the fail-back must be done before they
    // fall due.
    List<Planned> signs = planned.stream().filter(p -> p.kind() == Kind.TASK_THEN_TIMER).toList();
    long secondTimersArmed = System.nanoTime(); // the first of them: a little later
    inParallel(signs.size(), i -> firstAction(standby, signs.get(i)));

    long failbackBegan = System.nanoTime();
    Api.Res failback = standby.post("/api/v1/clouds/" + OWNER + "/failback", Map.of());
    long failbackMs = millisSince(failbackBegan);
    step("failed back in " + failbackMs + " ms");
    assertThat(failback.status()).as(failback.toString()).isEqualTo(200);
    assertThat(millisSince(secondTimersArmed))
        .as(
            "the fail-back was done before the second timers fell due (else the test ran too slowly)")
        .isLessThan(SECOND_TIMER.toMillis());
    assertThat(failback.json().get("refused")).as(failback.toString()).isEmpty();
    assertThat(failback.json().get("instances").asInt())
        .as("running instances given back")
        .isEqualTo(INSTANCES - atStandby.size());

    // Back home: the owner owns the running instances again, and holds its lease again soon after.
    List<Planned> running = planned.stream().filter(p -> !p.endsAtStandby()).toList();
    awaitTrue(
        "the owner owns every running instance again (epoch 2)",
        DEADLINE,
        () -> running.stream().allMatch(p -> ownedBy(owner, p.id(), OWNER, 2)));
    long ownedMs = millisSince(failbackBegan);
    Planned probe =
        running.stream().filter(p -> p.kind() == Kind.MESSAGE_THEN_TASK).findFirst().orElseThrow();
    String probeTask = taskOf(owner, probe, probe.kind().second.elementId());
    assertThat(probeTask).as("task of %s at the owner", probe.id()).isNotNull();
    awaitTrue(
        "the owner commits again",
        DEADLINE,
        () -> {
          Api.Res r = owner.post("/api/v1/tasks/" + probeTask + "/complete", Map.of());
          if (r.status() == 409 && r.body().contains("fenced")) {
            return false;
          }
          assertThat(r.status())
              .as("the task of %s at the owner: %s", probe.id(), r)
              .isEqualTo(204);
          return true;
        });
    long leaseMs = millisSince(failbackBegan);
    for (Planned p : running) {
      if (p.kind() == Kind.TASK_THEN_TIMER) {
        assertThat(waitsAt(owner, p.id()))
            .as("%s waits at its second timer at the owner", p.id())
            .containsExactly(p.kind().second.elementId());
      }
    }
    Planned given = running.stream().filter(p -> p != probe).findFirst().orElseThrow();
    Api.Res cancelAtStandby = standby.delete("/api/v1/instances/" + given.id());
    assertThat(cancelAtStandby.status()).as(cancelAtStandby.toString()).isEqualTo(409);
    assertThat(cancelAtStandby.body()).contains("owned by cloud '" + OWNER + "'");
    assertThat(standby.get("/api/v1/tasks?processId=move").json())
        .as("no task open at the standby after the fail-back")
        .isEmpty();

    List<Planned> rest =
        running.stream().filter(p -> p != probe && p.kind().second.how() != How.TIMER).toList();
    inParallel(rest.size(), i -> secondAction(owner, rest.get(i)));
    awaitTrue(
        "all " + INSTANCES + " complete at the owner",
        SECOND_TIMER.plus(DEADLINE),
        () -> completed(owner).size() == INSTANCES);
    long allDone = System.nanoTime();
    step("all complete");
    assertThat(completed(owner)).containsExactlyInAnyOrderElementsOf(ids);

    // One history per instance: the standby's copy, a prefix of the owner's, catches up with it.
    Map<String, List<JsonNode>> ownerAfter = histories(owner, ids);
    awaitTrue(
        "the standby's copies equal the owner's",
        DEADLINE,
        () -> {
          for (String id : ids) {
            List<JsonNode> theirs = Histories.read(standby, id);
            assertThat(Histories.isPrefix(theirs, ownerAfter.get(id)))
                .as(
                    "the standby's copy of %s is a prefix of the owner's: %s",
                    id, Histories.diff(theirs, ownerAfter.get(id)))
                .isTrue();
            if (theirs.size() < ownerAfter.get(id).size()) {
              return false;
            }
          }
          return true;
        });
    assertThat(completed(standby)).containsExactlyInAnyOrderElementsOf(ids);
    for (Planned p : planned) {
      List<JsonNode> history = ownerAfter.get(p.id());
      assertThat(Histories.isPrefix(ownerFenced.get(p.id()), history))
          .as("the owner's copy of %s before the fail-back begins its copy after", p.id())
          .isTrue();
      assertMovedAndPassedEachWaitOnce(p, history);
    }

    System.out.printf(
        "ManualFailoverAndFailBackIT: %d instances waiting (user tasks, messages, timers);"
            + " fail-over %d ms (POST, with the 2 s fence wait); fail-back %d ms (POST: %d"
            + " running instances handed back, %d ended ones' logs); from the fail-back's start the"
            + " owner owned every running instance again after %d ms and committed again after"
            + " %d ms; all done %d ms after the fail-back began%n",
        INSTANCES,
        failoverMs,
        failbackMs,
        INSTANCES - atStandby.size(),
        atStandby.size(),
        ownedMs,
        leaseMs,
        (allDone - failbackBegan) / 1_000_000);
  }

  /**
   * Commands on the owner's instances at the fenced owner: a task completion, a cancellation, a
   * message and a start are refused as fenced.
   */
  private void assertFencedAt(Api owner, List<Planned> planned) {
    Planned withTask =
        planned.stream().filter(p -> p.kind() == Kind.TASK_THEN_MESSAGE).findFirst().orElseThrow();
    String task = taskOf(owner, withTask);
    assertThat(task).as("the owner still lists the task of %s", withTask.id()).isNotNull();
    // Fenced at once (the notice is read within a round of the lease), and soon for the reason.
    awaitTrue(
        "the owner refuses, as taken over",
        DEADLINE,
        () -> {
          Api.Res r = owner.post("/api/v1/tasks/" + task + "/complete", Map.of());
          assertRefusedAsFenced(r);
          return r.body().contains("was taken over");
        });
    Planned withTimer =
        planned.stream().filter(p -> p.kind() == Kind.TIMER_THEN_TASK).findFirst().orElseThrow();
    assertRefusedAsFenced(owner.delete("/api/v1/instances/" + withTimer.id()));
    Planned waitingForMessage =
        planned.stream().filter(p -> p.kind() == Kind.MESSAGE_THEN_TASK).findFirst().orElseThrow();
    assertRefusedAsFenced(
        owner.post(
            "/api/v1/messages",
            Map.of("name", "order", "correlationKey", waitingForMessage.orderId())));
    assertRefusedAsFenced(
        owner.post(
            "/api/v1/instances",
            Map.of("processId", "move", "variables", Map.of("kind", "TASK_THEN_MESSAGE"))));
  }

  private static void assertRefusedAsFenced(Api.Res r) {
    assertThat(r.status()).as("at the fenced owner: %s", r).isEqualTo(409);
    assertThat(r.body()).contains("fenced");
  }

  /**
   * The history at the owner after all: taken over once (epoch 1, to the standby), given back once
   * (epoch 2) unless it ended at the standby; each wait passed exactly once, the first at the
   * standby, the second where the instance was then; ended once; no conflict.
   */
  private static void assertMovedAndPassedEachWaitOnce(Planned p, List<JsonNode> history) {
    String what = p.kind() + " " + p.id();
    List<Integer> moves = positions(history, "OwnershipTaken", null);
    assertThat(moves).as("moves of %s", what).hasSize(p.endsAtStandby() ? 1 : 2);
    JsonNode over = history.get(moves.getFirst()).get("data");
    assertThat(over.get("fromCloud").asText()).isEqualTo(OWNER);
    assertThat(over.get("toCloud").asText()).isEqualTo(STANDBY);
    assertThat(over.get("epoch").asLong()).isEqualTo(1);
    int back = history.size();
    if (!p.endsAtStandby()) {
      back = moves.get(1);
      JsonNode home = history.get(back).get("data");
      assertThat(home.get("fromCloud").asText()).isEqualTo(STANDBY);
      assertThat(home.get("toCloud").asText()).isEqualTo(OWNER);
      assertThat(home.get("epoch").asLong()).isEqualTo(2);
    }
    List<Integer> first =
        positions(history, p.kind().first.how().event, p.kind().first.elementId());
    List<Integer> second =
        positions(history, p.kind().second.how().event, p.kind().second.elementId());
    assertThat(first).as("%s passed %s", what, p.kind().first).hasSize(1);
    assertThat(second).as("%s passed %s", what, p.kind().second).hasSize(1);
    assertThat(first.getFirst())
        .as("%s passed %s at the standby", what, p.kind().first)
        .isBetween(moves.getFirst(), back);
    if (p.endsAtStandby()) {
      assertThat(second.getFirst()).isGreaterThan(first.getFirst());
    } else {
      assertThat(second.getFirst())
          .as("%s passed %s at home after the fail-back", what, p.kind().second)
          .isGreaterThan(back);
    }
    for (Wait wait : List.of(p.kind().first, p.kind().second)) {
      if (wait.how() == How.TIMER) {
        boolean isFirst = wait == p.kind().first;
        int armed = positions(history, "TimerCreated", wait.elementId()).getFirst();
        int move = isFirst ? moves.getFirst() : back;
        assertThat(Histories.at(history.get(move)))
            .as(
                "%s: the timer %s was still waiting at the %s (else the test ran too slowly for"
                    + " its timers)",
                what, wait.elementId(), isFirst ? "fail-over" : "fail-back")
            .isBefore(Instant.parse(history.get(armed).get("data").get("dueAt").asText()));
      }
    }
    List<Integer> ended = positions(history, "InstanceEnded", null);
    assertThat(ended).as("%s ended once", what).containsExactly(history.size() - 1);
    assertThat(history.getLast().get("data").get("state").asText()).isEqualTo("COMPLETED");
    assertThat(positions(history, "ReplicaConflict", null)).as("conflicts of %s", what).isEmpty();
  }

  /** Where the events of a type (for an element, unless {@code null}) are in a history. */
  private static List<Integer> positions(List<JsonNode> history, String type, String elementId) {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < history.size(); i++) {
      JsonNode e = history.get(i);
      if (e.get("type").asText().equals(type)
          && (elementId == null || elementId.equals(e.path("elementId").asText(null)))) {
        out.add(i);
      }
    }
    return out;
  }

  private static boolean sameHistory(List<JsonNode> a, List<JsonNode> b) {
    return a.size() == b.size() && Histories.isPrefix(a, b);
  }

  /**
   * A call, made again while it is refused because the owner's lease lapsed for a moment (on a busy
   * machine its confirmation can come later than {@code fenceAfter}), as a client would: not when
   * the cloud was taken over. Only the owner answers so.
   */
  private static Api.Res retryingALapsedLease(Supplier<Api.Res> call) {
    long end = System.nanoTime() + DEADLINE.toNanos();
    while (true) {
      Api.Res r = call.get();
      if (r.status() != 409
          || !r.body().contains("was last confirmed")
          || System.nanoTime() > end) {
        return r;
      }
      LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
    }
  }

  /** Ends the wait of an instance that is for a person or a message (not a timer). */
  private static Void action(Api api, Planned p, Wait wait) {
    switch (wait.how()) {
      case TASK -> {
        String task = taskOf(api, p, wait.elementId());
        assertThat(task)
            .as("task %s of %s at %s", wait.elementId(), p.id(), api.base())
            .isNotNull();
        Api.Res r =
            retryingALapsedLease(() -> api.post("/api/v1/tasks/" + task + "/complete", Map.of()));
        assertThat(r.status()).as("task %s of %s: %s", wait.elementId(), p.id(), r).isEqualTo(204);
      }
      case MESSAGE -> {
        Api.Res r =
            retryingALapsedLease(
                () ->
                    api.post(
                        "/api/v1/messages",
                        Map.of("name", wait.elementId(), "correlationKey", p.orderId())));
        assertThat(r.status()).as("message for %s: %s", p.id(), r).isEqualTo(200);
        assertThat(r.json().get("correlated").toString())
            .as("message %s for %s at %s: %s", wait.elementId(), p.id(), api.base(), r)
            .isEqualTo("[\"" + p.id() + "\"]");
      }
      case TIMER -> throw new IllegalArgumentException("a timer ends by itself");
    }
    return null;
  }

  private static Void firstAction(Api api, Planned p) {
    return action(api, p, p.kind().first);
  }

  private static Void secondAction(Api api, Planned p) {
    return action(api, p, p.kind().second);
  }

  private static boolean ownedBy(Api api, String id, String cloud, long epoch) {
    JsonNode i = api.instance(id);
    return cloud.equals(i.get("ownerCloud").asText()) && i.get("epoch").asLong() == epoch;
  }

  /** The open task of an instance at a node, or {@code null}. */
  private static String taskOf(Api api, Planned p) {
    JsonNode tasks = api.get("/api/v1/tasks?instanceId=" + p.id()).json();
    return tasks.isEmpty() ? null : tasks.get(0).get("id").asText();
  }

  private static String taskOf(Api api, Planned p, String elementId) {
    for (JsonNode t : api.get("/api/v1/tasks?instanceId=" + p.id()).json()) {
      if (t.get("elementId").asText().equals(elementId)) {
        return t.get("id").asText();
      }
    }
    return null;
  }

  /** The elements an instance is waiting at, at a node. */
  private static List<String> waitsAt(Api api, String id) {
    List<String> out = new ArrayList<>();
    api.instance(id).get("activeElements").forEach(e -> out.add(e.get("elementId").asText()));
    return out;
  }

  private static String state(Api api, String id) {
    return api.instance(id).get("state").asText();
  }

  private static List<String> completed(Api api) {
    Api.Res r = api.get("/api/v1/instances?processId=move&state=COMPLETED&limit=1000");
    if (r.status() != 200) {
      throw new AssertionError("completed instances at " + api.base() + ": " + r);
    }
    List<String> ids = new ArrayList<>();
    r.json().get("items").forEach(i -> ids.add(i.get("id").asText()));
    return ids;
  }

  private static Map<String, List<JsonNode>> histories(Api api, List<String> ids) throws Exception {
    List<List<JsonNode>> read = inParallel(ids.size(), i -> Histories.read(api, ids.get(i)));
    Map<String, List<JsonNode>> out = new LinkedHashMap<>();
    for (int i = 0; i < ids.size(); i++) {
      out.put(ids.get(i), read.get(i));
    }
    return out;
  }

  private static Kind kindOf(int n) {
    return Kind.values()[n % Kind.values().length];
  }

  /** Notes the time of a step on the test's output, for a look at a slow run. */
  private void step(String what) {
    System.out.printf("ManualFailoverAndFailBackIT +%d ms: %s%n", millisSince(began), what);
  }

  private static long millisSince(long nanos) {
    return (System.nanoTime() - nanos) / 1_000_000;
  }

  /**
   * start → one of four paths by {@code kind}, each two waits long: user task {@code review} then
   * message {@code payment}; message {@code order} then user task {@code approve}; timer {@code
   * cooling} ({@link #FIRST_TIMER}) then user task {@code check}; user task {@code sign} then timer
   * {@code grace} ({@link #SECOND_TIMER}). Messages are correlated by {@code orderId}.
   */
  private static String model() {
    String nodes =
        "<startEvent id=\"start\"/><exclusiveGateway id=\"kind\"/>"
            + "<userTask id=\"review\"/>"
            + catchMessage("payment")
            + "<endEvent id=\"end1\"/>"
            + catchMessage("order")
            + "<userTask id=\"approve\"/>"
            + "<endEvent id=\"end2\"/>"
            + catchTimer("cooling", FIRST_TIMER)
            + "<userTask id=\"check\"/>"
            + "<endEvent id=\"end3\"/>"
            + "<userTask id=\"sign\"/>"
            + catchTimer("grace", SECOND_TIMER)
            + "<endEvent id=\"end4\"/>";
    String process =
        TestModels.processElement(
            "move",
            nodes,
            "start->kind",
            "kind->review if =kind = \"TASK_THEN_MESSAGE\"",
            "review->payment",
            "payment->end1",
            "kind->order if =kind = \"MESSAGE_THEN_TASK\"",
            "order->approve",
            "approve->end2",
            "kind->cooling if =kind = \"TIMER_THEN_TASK\"",
            "cooling->check",
            "check->end3",
            "kind->sign if =kind = \"TASK_THEN_TIMER\"",
            "sign->grace",
            "grace->end4");
    return TestModels.definitions(process + message("payment") + message("order"));
  }

  private static String catchMessage(String name) {
    return "<intermediateCatchEvent id=\"%s\"><messageEventDefinition messageRef=\"m-%s\"/>"
            .formatted(name, name)
        + "</intermediateCatchEvent>";
  }

  private static String message(String name) {
    return "<message id=\"m-%s\" name=\"%s\"><extensionElements>".formatted(name, name)
        + "<zeebe:subscription correlationKey=\"=orderId\"/></extensionElements></message>";
  }

  private static String catchTimer(String id, Duration after) {
    return "<intermediateCatchEvent id=\"%s\"><timerEventDefinition><timeDuration>%s"
            .formatted(id, after)
        + "</timeDuration></timerEventDefinition></intermediateCatchEvent>";
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

  /** Polls until the condition holds; an assertion failing inside fails at once. */
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
        fail("timed out after " + deadline + " waiting for: " + what + logs);
      }
      LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
    }
  }
}
