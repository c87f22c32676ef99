package io.cob.server.acceptance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.cob.engine.port.ActivatedJob;
import io.cob.engine.port.JobHandler;
import io.cob.engine.port.JobResult;
import io.cob.server.CobNode;
import io.cob.server.config.NodeConfig;
import io.cob.server.support.Api;
import io.cob.server.support.CloudNodes;
import io.cob.server.support.RabbitMq;
import io.cob.server.support.ThreeClouds;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Broker trouble mid-run: three nodes (one per cloud) on the machine's RabbitMQ run instances whose
 * steps visit all three clouds; while they run, the broker closes every node's connection ({@code
 * rabbitmqctl close_connection}, as a network failure or broker restart would). The clients
 * reconnect by themselves; every instance still completes, and every step ran exactly once (its
 * idempotency key seen once by the handlers).
 */
class BrokerCutIT {
  static final int INSTANCES = 60;
  static final int CUT_AFTER = 20;
  static final Duration DEADLINE = Duration.ofSeconds(90);

  private final String namespace = RabbitMq.uniqueNamespace();
  private final List<CobNode> nodes = new ArrayList<>();
  private final Map<String, AtomicInteger> effects = new ConcurrentHashMap<>();

  @BeforeEach
  void requireRabbitMq() {
    RabbitMq.requireAvailable();
  }

  @AfterEach
  void stop() {
    nodes.forEach(CobNode::close);
    if (!nodes.isEmpty()) {
      RabbitMq.deleteNamespace(namespace, ThreeClouds.NAMES);
    }
  }

  @Test
  void shouldCompleteEveryInstanceWhenTheBrokerCutsEveryConnectionMidRun() throws Exception {
    Map<String, String> keys = pairKeys();
    for (String cloud : ThreeClouds.NAMES) {
      nodes.add(start(cloud, keys));
    }
    Api owner = new Api(nodes.get(0).baseUri());
    for (CobNode n : nodes) {
      Api api = new Api(n.baseUri());
      await(
          n.config().nodeId() + " sees every cloud UP",
          () -> ThreeClouds.NAMES.stream().allMatch(c -> "UP".equals(CloudNodes.health(api, c))));
    }
    owner.deploy("tour.bpmn", ThreeClouds.tour("tour", "work"));

    List<String> ids = new ArrayList<>();
    long cut = 0;
    for (int i = 0; i < INSTANCES; i++) {
      ids.add(owner.start("tour", Map.of("n", i)).get("id").asText());
      if (i + 1 == CUT_AFTER) {
        cut = System.nanoTime();
        for (String cloud : ThreeClouds.NAMES) {
          closeConnection(connectionName(cloud));
        }
      }
    }

    await(
        "all " + INSTANCES + " instances complete after the cut",
        () -> completed(owner) == INSTANCES);
    System.out.printf(
        "BrokerCutIT: all %d instances completed %d ms after the cut%n",
        INSTANCES, (System.nanoTime() - cut) / 1_000_000);
    assertThat(effects).hasSize(INSTANCES * 3);
    assertThat(effects)
        .allSatisfy((key, n) -> assertThat(n.get()).as("runs of " + key).isEqualTo(1));
    for (CobNode n : nodes) {
      await(
          n.config().nodeId() + " reconnected",
          () -> n.bus().health().check().status() == io.cob.server.bus.BusHealth.Status.UP);
    }
  }

  private CobNode start(String cloud, Map<String, String> keys) {
    NodeConfig base = ThreeClouds.config(RabbitMq.URL, cloud, "node-" + cloud);
    NodeConfig config =
        base.withBus(
            base.bus()
                .withAmqp(
                    Map.of(
                        "namespace",
                        namespace,
                        "connectionName",
                        connectionName(cloud),
                        "recoveryInterval",
                        "PT0.5S"))
                .withKeys(keys)
                // Heartbeats stop while a connection is down: slow to call a cloud DOWN, so the
                // test sees the bus recover rather than steps re-placed.
                .withHeartbeat(Duration.ofMillis(200), 25, 150));
    Map<String, JobHandler> handlers = Map.of("work", this::work);
    return CobNode.start(config, handlers);
  }

  private JobResult work(ActivatedJob job) {
    effects.computeIfAbsent(job.idempotencyKey(), k -> new AtomicInteger()).incrementAndGet();
    return JobResult.complete();
  }

  private String connectionName(String cloud) {
    return namespace + cloud;
  }

  private static int completed(Api owner) {
    return owner
        .get("/api/v1/instances?processId=tour&state=COMPLETED&limit=1000")
        .json()
        .get("items")
        .size();
  }

  /** A key for every pair of the three clouds (and each cloud with itself). */
  private static Map<String, String> pairKeys() {
    SecureRandom random = new SecureRandom();
    Map<String, String> keys = new LinkedHashMap<>();
    for (String a : ThreeClouds.NAMES) {
      for (String b : ThreeClouds.NAMES) {
        if (a.compareTo(b) <= 0) {
          byte[] key = new byte[32];
          random.nextBytes(key);
          keys.put(a + "|" + b, Base64.getEncoder().encodeToString(key));
        }
      }
    }
    return keys;
  }

  /** Closes, from the broker's side, the connection the client named {@code name}. */
  private static void closeConnection(String name) throws Exception {
    String listing =
        rabbitmqctl("list_connections", "--no-table-headers", "pid", "client_properties");
    String pid = null;
    for (String line : listing.split("\n")) {
      if (line.contains("{\"connection_name\",\"" + name + "\"}")) {
        pid = line.substring(0, line.indexOf('\t'));
      }
    }
    assertThat(pid).as("a connection named " + name + " in " + listing).isNotNull();
    rabbitmqctl("close_connection", pid, "test: the network failed");
  }

  private static String rabbitmqctl(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("rabbitmqctl", "-q"));
    command.addAll(List.of(args));
    Process p;
    try {
      p = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      String reason = "rabbitmqctl cannot be run: " + e.getMessage();
      if ("true".equals(System.getenv("CI"))) {
        fail(reason + " (CI=true: this test must run)");
      }
      Assumptions.abort(reason);
      throw e;
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("rabbitmqctl finished").isTrue();
    assertThat(p.exitValue()).as("rabbitmqctl " + command + ": " + out).isZero();
    return out;
  }

  private void await(String what, BooleanSupplier condition) {
    long end = System.nanoTime() + DEADLINE.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        fail("timed out after " + DEADLINE + " waiting for: " + what);
      }
      LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
    }
  }
}
