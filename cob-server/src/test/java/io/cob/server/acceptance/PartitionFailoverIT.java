package io.cob.server.acceptance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.cob.bus.amqp.AmqpAddress;
import io.cob.engine.TestModels;
import io.cob.server.support.Api;
import io.cob.server.support.CloudNodes;
import io.cob.server.support.FailoverClouds;
import io.cob.server.support.Histories;
import io.cob.server.support.NodeProcess;
import io.cob.server.support.RabbitMq;
import io.cob.server.support.StepService;
import io.cob.server.support.TcpProxy;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The partition test of issue 6: the owner cloud loses the broker but keeps running. Two nodes in
 * JVMs of their own, each with an H2 file store: {@code private}, the owner, reaches the machine's
 * RabbitMQ through a TCP proxy of the test (both of its connections: the bus's and the presence
 * mark's), and {@code public-b}, its standby in mode {@code sync}, connects directly. Every
 * instance waits on two things at once: a user task, and an HTTP step whose call the service holds
 * (a step in flight).
 *
 * <p>For about 10 s (or until the take-over, when that takes longer) the proxy parts {@code
 * private} from the broker, in either of two ways ({@link Partition}): its connections are reset,
 * or nothing gets through any more while nothing is closed. It shows: the owner fences itself (a
 * task completion and a start are refused with 409, "fenced"); the standby takes every instance
 * over (owner {@code public-b}, epoch 1), not before the owner's fence has risen; once the network
 * is back the owner finds the take-over notice and stays fenced ("was taken over"); its step calls
 * that return afterwards change nothing there. Then, read from both stores through each node's API,
 * no instance has two histories: the owner's copy is, event for event, the standby's copy up to the
 * {@code OwnershipTaken} that begins the new epoch, and the owner committed nothing after the cut.
 * The instances complete at the standby, each step's effect under one idempotency key.
 */
class PartitionFailoverIT {
  static final int INSTANCES = 40;
  static final Duration PARTITION = Duration.ofSeconds(10);
  static final Duration FENCE_AFTER = Duration.ofSeconds(2); // bus.ownership.fenceAfter default
  static final Duration DEADLINE = Duration.ofSeconds(30);
  static final List<String> CLOUDS = List.of("private", "public-b");

  @TempDir Path dir;
  private final String namespace = RabbitMq.uniqueNamespace();
  private final Map<String, NodeProcess> nodes = new LinkedHashMap<>();
  private StepService service;
  private TcpProxy proxy;
  private Partition running;

  @BeforeEach
  void startTheServiceAndTheProxy() throws Exception {
    RabbitMq.requireAvailable();
    service = StepService.start(Duration.ofMillis(50), Duration.ofMillis(100));
    AmqpAddress broker = AmqpAddress.parse(RabbitMq.URL);
    proxy = TcpProxy.to(broker.host(), broker.port());
  }

  @AfterEach
  void stopEverything() throws Exception {
    for (NodeProcess n : nodes.values()) {
      n.close();
      n.keepLog(Path.of("target", "it-logs", "PartitionFailoverIT", String.valueOf(running)));
    }
    if (service != null) {
      service.close();
    }
    if (proxy != null) {
      proxy.close();
    }
    if (!nodes.isEmpty()) {
      RabbitMq.deleteNamespace(namespace, FailoverClouds.NAMES);
    }
  }

  /** How the owner is parted from the broker. */
  enum Partition {
    /** Its connections are reset: the broker drops the owner's presence mark at once. */
    DROPPED(Map.of()) {
      @Override
      void begin(TcpProxy proxy) {
        proxy.cut();
      }
    },
    /**
     * Nothing gets through and nothing is closed: the broker finds out by the AMQP heartbeat (2 s
     * here), and until then holds the owner's mark, while the owner, which cannot confirm it, has
     * fenced itself already.
     */
    SILENT(Map.of("heartbeat", "PT2S")) {
      @Override
      void begin(TcpProxy proxy) {
        proxy.silence();
      }
    };

    final Map<String, String> ownerAmqp;

    Partition(Map<String, String> ownerAmqp) {
      this.ownerAmqp = ownerAmqp;
    }

    abstract void begin(TcpProxy proxy);
  }

  @ParameterizedTest
  @EnumSource(Partition.class)
  void shouldFenceTheCutOffOwnerAndLeaveOneHistoryPerInstance(Partition partition)
      throws Exception {
    running = partition;
    FailoverClouds clouds = new FailoverClouds(dir, namespace, "sync");
    AmqpAddress broker = AmqpAddress.parse(RabbitMq.URL);
    String throughProxy =
        RabbitMq.URL.replace(broker.host() + ":" + broker.port(), "127.0.0.1:" + proxy.port());
    assertThat(throughProxy).as("bus.url of private").isNotEqualTo(RabbitMq.URL);
    nodes.put(
        "private",
        NodeProcess.startConfigured(
            "node-p", clouds.config("private", throughProxy, partition.ownerAmqp)));
    nodes.put(
        "public-b", NodeProcess.startConfigured("node-b", clouds.config("public-b", RabbitMq.URL)));
    Api owner = nodes.get("private").api();
    Api standby = nodes.get("public-b").api();
    for (NodeProcess n : nodes.values()) {
      awaitTrue(
          n.nodeId() + " sees both clouds UP",
          DEADLINE,
          () -> CLOUDS.stream().allMatch(c -> "UP".equals(CloudNodes.health(n.api(), c))));
    }
    owner.deploy("waits.bpmn", waits());
    service.hold("slow");
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < INSTANCES; i++) {
      ids.add(owner.start("waits", Map.of("n", i)).get("id").asText());
    }
    awaitTrue(
        "every instance waits on its task and its step call",
        DEADLINE,
        () -> ids.stream().allMatch(id -> service.called(id, "slow") && task(owner, id) != null));
    Map<String, List<JsonNode>> ownerBefore = histories(owner, ids);
    String someTask = task(owner, ids.getFirst());

    Instant cutAt = Instant.now();
    long cut = System.nanoTime();
    partition.begin(proxy);

    // The owner confirmed its lease last before the cut: by fenceAfter later it is fenced.
    LockSupport.parkNanos(FENCE_AFTER.plusMillis(500).toNanos());
    assertRefusedAsFenced(owner, someTask, "the lease lapsed");
    awaitTrue(
        "the standby owns every instance",
        DEADLINE,
        () -> ids.stream().allMatch(id -> ownedBy(standby, id, "public-b", 1)));
    long takenOver = System.nanoTime();
    LockSupport.parkNanos(Math.max(0, cut + PARTITION.toNanos() - System.nanoTime()));
    assertRefusedAsFenced(owner, someTask, "still cut off");

    proxy.restore();
    long restored = System.nanoTime();
    awaitTrue(
        "the owner, back on the broker, learns it was taken over",
        DEADLINE,
        () -> assertRefusedAsFenced(owner, someTask, "back").contains("was taken over"));
    long learned = System.nanoTime();

    // The calls the owner made before the cut return now: it can commit none of them.
    service.release();
    for (String id : ids) {
      Api.Res r = standby.post("/api/v1/tasks/" + task(standby, id) + "/complete", Map.of());
      assertThat(r.status()).as("task of %s completed at the standby: %s", id, r).isEqualTo(204);
    }
    awaitTrue(
        "every instance completes at the standby",
        DEADLINE,
        () ->
            ids.stream()
                .allMatch(id -> "COMPLETED".equals(standby.instance(id).get("state").asText())));
    assertRefusedAsFenced(owner, someTask, "at the end");

    // One history per instance, from both stores.
    Map<String, List<JsonNode>> ownerAfter = histories(owner, ids);
    Map<String, List<JsonNode>> standbyAfter = histories(standby, ids);
    for (String id : ids) {
      List<JsonNode> mine = ownerAfter.get(id);
      List<JsonNode> theirs = standbyAfter.get(id);
      int taken = Histories.indexOf(theirs, "OwnershipTaken");
      assertThat(taken).as("the standby's copy of %s has a take-over", id).isPositive();
      List<JsonNode> beforeTakeOver = theirs.subList(0, taken);
      assertThat(Histories.isPrefix(mine, beforeTakeOver) && mine.size() == taken)
          .as(
              "the owner's copy of %s is the standby's up to the take-over: %s",
              id, Histories.diff(mine, beforeTakeOver))
          .isTrue();
      assertThat(Histories.isPrefix(mine, ownerBefore.get(id)))
          .as(
              "the owner committed nothing on %s after the cut: %s",
              id, Histories.diff(ownerBefore.get(id), mine))
          .isTrue();
      JsonNode takeOver = theirs.get(taken);
      assertThat(takeOver.get("data").get("epoch").asLong()).isEqualTo(1);
      assertThat(Duration.between(cutAt, Histories.at(takeOver)))
          .as("the take-over of %s came after the owner's fence rose", id)
          .isGreaterThan(FENCE_AFTER);
    }
    assertThat(service.secondKeys()).as("steps called with a second key").isEmpty();
    System.out.printf(
        "PartitionFailoverIT %s: %d instances; taken over %d ms after the cut; the owner learned"
            + " it was taken over %d ms after the network came back%n",
        partition, INSTANCES, (takenOver - cut) / 1_000_000, (learned - restored) / 1_000_000);
  }

  /**
   * Asks the owner to complete a task and to start an instance; both must be refused as fenced.
   *
   * @return the reason given for the task
   */
  private static String assertRefusedAsFenced(Api owner, String taskId, String when) {
    Api.Res complete = owner.post("/api/v1/tasks/" + taskId + "/complete", Map.of());
    assertThat(complete.status())
        .as("task completion at the owner, " + when + ": " + complete)
        .isEqualTo(409);
    assertThat(complete.body()).contains("fenced");
    Api.Res start =
        owner.post("/api/v1/instances", Map.of("processId", "waits", "variables", Map.of()));
    assertThat(start.status()).as("start at the owner, " + when + ": " + start).isEqualTo(409);
    assertThat(start.body()).contains("fenced");
    return complete.json().get("detail").asText();
  }

  private static boolean ownedBy(Api api, String id, String cloud, long epoch) {
    JsonNode i = api.instance(id);
    return cloud.equals(i.get("ownerCloud").asText()) && i.get("epoch").asLong() == epoch;
  }

  /** The id of the open task of an instance at a node, or {@code null}. */
  private static String task(Api api, String instanceId) {
    JsonNode tasks = api.get("/api/v1/tasks?instanceId=" + instanceId).json();
    return tasks.isEmpty() ? null : tasks.get(0).get("id").asText();
  }

  private static Map<String, List<JsonNode>> histories(Api api, List<String> ids) {
    Map<String, List<JsonNode>> out = new LinkedHashMap<>();
    ids.forEach(id -> out.put(id, Histories.read(api, id)));
    return out;
  }

  /** start → (user task {@code approve} ∥ HTTP step {@code slow} on the owner's cloud) → end. */
  private String waits() {
    return TestModels.process(
        "waits",
        "<startEvent id=\"start\"/><parallelGateway id=\"fork\"/>"
            + "<userTask id=\"approve\"/>"
            + "<serviceTask id=\"slow\"><extensionElements>"
            + "<zeebe:taskDefinition type=\"http\"/><zeebe:taskHeaders>"
            + "<zeebe:header key=\"url\" value=\"%s\"/>".formatted(service.url("slow"))
            + "<zeebe:header key=\"method\" value=\"POST\"/>"
            + "</zeebe:taskHeaders></extensionElements></serviceTask>"
            + "<parallelGateway id=\"join\"/><endEvent id=\"end\"/>",
        "start->fork",
        "fork->approve",
        "fork->slow",
        "approve->join",
        "slow->join",
        "join->end");
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
