package io.cob.server.acceptance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.cob.engine.TestModels;
import io.cob.server.support.Api;
import io.cob.server.support.CloudNodes;
import io.cob.server.support.NodeProcess;
import io.cob.server.support.RabbitMq;
import io.cob.server.support.ThreeClouds;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The acceptance test of cross-cloud steps: three nodes in three JVMs, one per cloud ({@code
 * private}, {@code public-a}, {@code public-b}), each with an H2 file store of its own, connected
 * through the machine's RabbitMQ (a namespace of their own, deleted afterwards) with envelope keys
 * the test makes for every pair of clouds. 300 instances of a process with one HTTP step in each
 * cloud, started at the owner ({@code private}) only: all complete, each instance's history shows
 * every step on its cloud (the remote ones with the node that ran them), and the HTTP service,
 * which counts requests by {@code Idempotency-Key}, saw every step exactly once.
 */
class ThreeCloudsOnRabbitMqIT {
  static final int INSTANCES = 300;
  static final Duration RUN_DEADLINE = Duration.ofSeconds(60);
  static final Map<String, String> NODE_OF =
      Map.of("private", "node-p", "public-a", "node-a", "public-b", "node-b");
  static final Map<String, String> CLOUD_OF_STEP =
      Map.of("a", "private", "b", "public-a", "c", "public-b");

  @TempDir Path dir;
  private final String namespace = RabbitMq.uniqueNamespace();
  private final List<NodeProcess> nodes = new ArrayList<>();
  private final Map<String, AtomicInteger> effects = new ConcurrentHashMap<>();
  private HttpServer service;

  @BeforeEach
  void startTheService() throws IOException {
    RabbitMq.requireAvailable();
    service = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    service.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    service.createContext(
        "/svc",
        exchange -> {
          String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
          String step = exchange.getRequestURI().getPath().substring("/svc/".length());
          effects.computeIfAbsent(step + "|" + key, k -> new AtomicInteger()).incrementAndGet();
          exchange.getRequestBody().readAllBytes();
          byte[] body = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().set("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    service.start();
  }

  @AfterEach
  void stopEverything() throws InterruptedException {
    for (NodeProcess n : nodes) {
      n.close();
    }
    if (service != null) {
      service.stop(0);
    }
    if (!nodes.isEmpty()) {
      RabbitMq.deleteNamespace(namespace, ThreeClouds.NAMES);
    }
  }

  @Test
  void shouldCompleteEveryInstanceWithEachStepOnItsCloudAndEveryEffectOnce() throws Exception {
    long t0 = System.nanoTime();
    Map<String, String> keys = pairKeys();
    for (String cloud : ThreeClouds.NAMES) {
      nodes.add(
          NodeProcess.startConfigured(
              NODE_OF.get(cloud),
              config(cloud, keys),
              "-Dorg.slf4j.simpleLogger.log.io.cob.server.xcloud=info"));
    }
    Api owner = nodes.get(0).api();
    for (NodeProcess n : nodes) {
      awaitTrue(
          n.nodeId() + " sees every cloud UP",
          Duration.ofSeconds(30),
          () ->
              ThreeClouds.NAMES.stream().allMatch(c -> "UP".equals(CloudNodes.health(n.api(), c))));
    }
    owner.deploy("tour.bpmn", tour());
    long started = System.nanoTime();

    List<String> ids = startAll(owner);
    awaitTrue(
        "all " + INSTANCES + " complete",
        RUN_DEADLINE,
        () -> {
          int done = completed(owner);
          System.out.printf(
              "ThreeCloudsOnRabbitMqIT: %d completed after %d ms%n",
              done, (System.nanoTime() - started) / 1_000_000);
          return done == INSTANCES;
        });
    long ran = System.nanoTime();

    for (String id : ids) {
      assertStepsRanOnTheirClouds(owner, id);
    }
    assertThat(effects).hasSize(INSTANCES * 3);
    assertThat(effects)
        .allSatisfy((key, n) -> assertThat(n.get()).as("requests for " + key).isEqualTo(1));
    System.out.printf(
        "ThreeCloudsOnRabbitMqIT: %d instances x 3 clouds in %d ms (%.0f instances/s); set-up"
            + " %d ms%n",
        INSTANCES,
        (ran - started) / 1_000_000,
        INSTANCES * 1e9 / (ran - started),
        (started - t0) / 1_000_000);
  }

  private List<String> startAll(Api owner) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<String>> futures = new ArrayList<>();
      for (int i = 0; i < INSTANCES; i++) {
        int n = i;
        futures.add(pool.submit(() -> owner.start("tour", Map.of("n", n)).get("id").asText()));
      }
      List<String> ids = new ArrayList<>();
      for (Future<String> f : futures) {
        ids.add(f.get());
      }
      return ids;
    } finally {
      pool.shutdownNow();
    }
  }

  private static int completed(Api owner) {
    return owner
        .get("/api/v1/instances?processId=tour&state=COMPLETED&limit=1000")
        .json()
        .get("items")
        .size();
  }

  private void assertStepsRanOnTheirClouds(Api owner, String id) {
    JsonNode history = owner.get("/api/v1/instances/" + id + "/history").json();
    Map<String, String> completedOn = new java.util.HashMap<>();
    Map<String, String> ranBy = new java.util.HashMap<>();
    for (JsonNode e : history) {
      String type = e.get("type").asText();
      if (type.equals("JobCompleted")) {
        completedOn.merge(
            e.get("elementId").asText(), e.get("cloud").asText(), (x, y) -> x + "," + y);
      } else if (type.equals("JobRanRemotely")) {
        JsonNode d = e.get("data");
        ranBy.put(
            e.get("elementId").asText(), d.get("cloud").asText() + "/" + d.get("node").asText());
        assertThat(d.get("busLatencyMs").isNumber()).as("bus latency of " + id).isTrue();
      }
    }
    assertThat(completedOn).as("steps of " + id).isEqualTo(CLOUD_OF_STEP);
    assertThat(ranBy)
        .as("remote steps of " + id)
        .isEqualTo(Map.of("b", "public-a/node-a", "c", "public-b/node-b"));
  }

  private String tour() {
    String url = "http://127.0.0.1:" + service.getAddress().getPort() + "/svc/";
    StringBuilder tasks = new StringBuilder("<startEvent id=\"start\"/>");
    CLOUD_OF_STEP.keySet().stream()
        .sorted()
        .forEach(
            step ->
                tasks.append(
                    "<serviceTask id=\"%s\" cob:cloud=\"%s\"><extensionElements>"
                            .formatted(step, CLOUD_OF_STEP.get(step))
                        + "<zeebe:taskDefinition type=\"http\"/><zeebe:taskHeaders>"
                        + "<zeebe:header key=\"url\" value=\"%s%s\"/>".formatted(url, step)
                        + "<zeebe:header key=\"method\" value=\"POST\"/>"
                        + "<zeebe:header key=\"resultVariable\" value=\"%sResult\"/>"
                            .formatted(step)
                        + "</zeebe:taskHeaders></extensionElements></serviceTask>"));
    tasks.append("<endEvent id=\"end\"/>");
    return TestModels.process("tour", tasks.toString(), "start->a", "a->b", "b->c", "c->end");
  }

  /** A key for every pair of the three clouds (and each cloud with itself). */
  private static Map<String, String> pairKeys() {
    SecureRandom random = new SecureRandom();
    Map<String, String> keys = new java.util.LinkedHashMap<>();
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

  /** The {@code cob.yaml} of the node of {@code cloud}. */
  private Path config(String cloud, Map<String, String> keys) throws IOException {
    StringBuilder y = new StringBuilder();
    y.append("node: { cloud: ").append(cloud).append(", id: ").append(NODE_OF.get(cloud));
    y.append(", http: { port: 0 } }\n");
    y.append("store: { url: \"jdbc:h2:file:").append(dir.resolve(cloud)).append("\" }\n");
    y.append("bus:\n  url: \"").append(RabbitMq.URL).append("\"\n");
    y.append("  amqp: { namespace: \"").append(namespace).append("\" }\n");
    // Slow to call a cloud DOWN: three busy JVMs on two cores must not look dead to each other.
    y.append("  heartbeat: { interval: PT0.5S, suspectAfter: 6, downAfter: 60 }\n");
    y.append("  keys:\n");
    keys.forEach(
        (pair, key) -> y.append("    \"").append(pair).append("\": \"").append(key).append("\"\n"));
    y.append("clouds:\n");
    y.append(
        "  private: { provider: onprem, region: eu-west, jurisdiction: [eu], costPerStep: 0.004 }\n");
    y.append(
        "  public-a: { provider: gcp, region: us-east, jurisdiction: [us], costPerStep: 0.001 }\n");
    y.append(
        "  public-b: { provider: aws, region: eu-central, jurisdiction: [eu], costPerStep: 0.002 }\n");
    Path file = dir.resolve(cloud + ".yaml");
    Files.writeString(file, y);
    return file;
  }

  /** How many instances are in which state at the owner, for a failure message. */
  private String states() {
    if (nodes.isEmpty()) {
      return "";
    }
    StringBuilder out = new StringBuilder("\ninstances at the owner:");
    for (String state : List.of("ACTIVE", "INCIDENT", "COMPLETED")) {
      Api.Res r =
          nodes.get(0).api().get("/api/v1/instances?processId=tour&limit=1000&state=" + state);
      out.append(' ')
          .append(state)
          .append('=')
          .append(r.status() == 200 ? r.json().get("items").size() : r.status());
    }
    return out.toString();
  }

  private void awaitTrue(String what, Duration deadline, BooleanSupplier condition) {
    long end = System.nanoTime() + deadline.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        StringBuilder logs = new StringBuilder();
        for (NodeProcess n : nodes) {
          String log = n.log();
          logs.append("\n--- ").append(n.nodeId()).append(" (last 3000 chars)\n");
          logs.append(log.substring(Math.max(0, log.length() - 3000)));
        }
        fail("timed out after " + deadline + " waiting for: " + what + states() + logs);
      }
      LockSupport.parkNanos(Duration.ofMillis(500).toNanos());
    }
  }
}
