package io.cob.server.support;

import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.cob.server.config.BusConfig;
import io.cob.server.config.CloudConfig;
import io.cob.server.config.NodeConfig;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Nodes of several clouds for bus tests: the clouds {@code private} and {@code public-a} of the API
 * contract's example, an in-memory H2 store each, a free port, and fast heartbeats (every 100 ms,
 * SUSPECT after 2 missed, DOWN after 5) so that health changes within a second.
 */
public final class CloudNodes {
  public static final Duration HEARTBEAT = Duration.ofMillis(100);
  public static final Duration DEADLINE = Duration.ofSeconds(15);

  private CloudNodes() {}

  /** {@code private} (onprem, eu-west, eu+gdpr) and {@code public-a} (gcp, us-east, us). */
  public static Map<String, CloudConfig> clouds() {
    Map<String, CloudConfig> clouds = new LinkedHashMap<>();
    clouds.put(
        "private",
        new CloudConfig(
            "onprem",
            "eu-west",
            List.of("eu", "gdpr"),
            new BigDecimal("0.004"),
            null,
            new BigDecimal("99.9")));
    clouds.put(
        "public-a",
        new CloudConfig(
            "gcp",
            "us-east",
            List.of("us"),
            new BigDecimal("0.001"),
            null,
            new BigDecimal("99.95")));
    return clouds;
  }

  /**
   * {@link #clouds()} with {@code standbys} as {@code private}'s standbys, replicated in mode
   * {@code replication} ({@code null}: async).
   */
  public static Map<String, CloudConfig> cloudsWithPrivateStandbys(
      List<String> standbys, String replication) {
    Map<String, CloudConfig> clouds = clouds();
    CloudConfig p = clouds.get("private");
    clouds.put(
        "private",
        new CloudConfig(
            p.provider(),
            p.region(),
            p.jurisdiction(),
            p.costPerStep(),
            p.costPerGb(),
            p.availability(),
            standbys,
            replication));
    return clouds;
  }

  /** A node of {@code cloud} on the bus {@code busUrl} with fast heartbeats. */
  public static NodeConfig config(String busUrl, String cloud, String nodeId) {
    BusConfig bus =
        BusConfig.defaults()
            .withUrl(busUrl)
            .withHeartbeat(HEARTBEAT, 2, 5)
            .withConnection(null, null, Duration.ofMillis(300));
    return NodeConfig.defaults()
        .withHttpPort(0)
        .withStoreUrl("jdbc:h2:mem:" + UUID.randomUUID())
        .withCloud(cloud)
        .withNodeId(nodeId)
        .withClouds(clouds())
        .withBus(bus);
  }

  /** A memory broker name of its own, so that other tests in this JVM are not heard. */
  public static String privateMemoryBus() {
    return "memory:test-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** The cloud of that name in {@code GET /api/v1/clouds}, or {@code null}. */
  public static JsonNode cloud(Api api, String name) {
    Api.Res r = api.get("/api/v1/clouds");
    if (r.status() != 200) {
      throw new AssertionError("GET /api/v1/clouds: " + r);
    }
    for (JsonNode c : r.json()) {
      if (c.get("name").asText().equals(name)) {
        return c;
      }
    }
    return null;
  }

  /** The health of a cloud as the node behind {@code api} reports it. */
  public static String health(Api api, String name) {
    JsonNode c = cloud(api, name);
    return c == null ? null : c.get("health").asText();
  }

  /** Polls until the condition holds, failing after {@link #DEADLINE}. */
  public static void await(String what, BooleanSupplier condition) {
    await(what, DEADLINE, condition);
  }

  /** As above, waiting at most {@code timeout}. */
  public static void await(String what, Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        fail("timed out after " + timeout + " waiting for: " + what);
      }
      LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
    }
  }
}
