package io.cob.server.clouds;

import static io.cob.server.support.CloudNodes.await;
import static io.cob.server.support.CloudNodes.cloud;
import static io.cob.server.support.CloudNodes.health;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cob.bus.memory.MemoryBrokers;
import io.cob.bus.topology.CloudHealth;
import io.cob.bus.topology.HealthChange;
import io.cob.engine.port.CloudDirectory;
import io.cob.engine.port.CloudDirectory.CloudInfo;
import io.cob.server.CobNode;
import io.cob.server.support.Api;
import io.cob.server.support.CloudNodes;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two nodes of two clouds in one JVM on one in-memory broker: each sees the other's cloud through
 * heartbeats, in {@code GET /api/v1/clouds}, in the {@link CloudDirectory} placement reads and in
 * the metrics; a node that stops makes its cloud SUSPECT, then DOWN.
 */
class CloudHealthOnMemoryBusTest {
  private final String busUrl = CloudNodes.privateMemoryBus();
  private final List<CobNode> nodes = new ArrayList<>();
  private CobNode privateNode;
  private CobNode publicNode;
  private Api privateApi;
  private Api publicApi;

  @BeforeEach
  void startTwoClouds() {
    privateNode = start(CloudNodes.config(busUrl, "private", "node-p"));
    publicNode = start(CloudNodes.config(busUrl, "public-a", "node-a"));
    privateApi = new Api(privateNode.baseUri());
    publicApi = new Api(publicNode.baseUri());
  }

  @AfterEach
  void stop() {
    nodes.forEach(CobNode::close);
  }

  private CobNode start(io.cob.server.config.NodeConfig config) {
    CobNode node = CobNode.start(config);
    nodes.add(node);
    return node;
  }

  @Test
  void shouldSeeTheOtherCloudUpWithItsAttributesAndNodes() {
    await("private sees public-a UP", () -> "UP".equals(health(privateApi, "public-a")));
    await("public-a sees private UP", () -> "UP".equals(health(publicApi, "private")));

    JsonNode publicA = cloud(privateApi, "public-a");
    assertThat(publicA.get("provider").asText()).isEqualTo("gcp");
    assertThat(publicA.get("region").asText()).isEqualTo("us-east");
    assertThat(publicA.get("jurisdiction")).extracting(JsonNode::asText).containsExactly("us");
    assertThat(publicA.get("costPerStep").decimalValue()).isEqualByComparingTo("0.001");
    assertThat(publicA.get("availability").decimalValue()).isEqualByComparingTo("99.95");
    assertThat(publicA.get("lastSeen").isTextual()).isTrue();
    assertThat(publicA.get("configured").asBoolean()).isTrue();
    assertThat(publicA.get("nodes")).hasSize(1);
    assertThat(publicA.get("nodes").get(0).get("id").asText()).isEqualTo("node-a");
    assertThat(publicA.get("nodes").get(0).get("self").asBoolean()).isFalse();

    JsonNode own = cloud(privateApi, "private");
    assertThat(own.get("health").asText()).isEqualTo("UP");
    assertThat(own.get("nodes").get(0).get("id").asText()).isEqualTo("node-p");
    assertThat(own.get("nodes").get(0).get("self").asBoolean()).isTrue();
    assertThat(own.get("jurisdiction")).extracting(JsonNode::asText).containsExactly("eu", "gdpr");
    assertThat(privateApi.get("/api/v1/clouds").json())
        .extracting(c -> c.get("name").asText())
        .containsExactly("private", "public-a");

    await(
        "the latency to public-a is measured from echoed heartbeats",
        () -> cloud(privateApi, "public-a").get("latencyMs").isNumber());
  }

  @Test
  void shouldOfferPlacementTheConfiguredAttributesAndTheHeartbeatHealth() {
    await("private sees public-a UP", () -> "UP".equals(health(privateApi, "public-a")));

    List<CloudInfo> clouds = privateNode.clouds().clouds();

    assertThat(clouds).extracting(CloudInfo::name).containsExactly("private", "public-a");
    CloudInfo publicA = clouds.get(1);
    assertThat(publicA.health()).isEqualTo(CloudDirectory.CloudHealth.UP);
    assertThat(publicA.provider()).isEqualTo("gcp");
    assertThat(publicA.jurisdiction()).isEqualTo(Set.of("us"));
    assertThat(publicA.costPerStep()).isEqualByComparingTo(new BigDecimal("0.001"));
    assertThat(publicA.availability()).isEqualByComparingTo(new BigDecimal("99.95"));
    assertThat(clouds.get(0).latency()).isZero();
  }

  @Test
  void shouldMakeAStoppedNodesCloudSuspectThenDown() {
    await("private sees public-a UP", () -> "UP".equals(health(privateApi, "public-a")));
    List<HealthChange> changes = new CopyOnWriteArrayList<>();
    privateNode.bus().topology().addListener(changes::add);

    publicNode.close();
    nodes.remove(publicNode);

    await("private sees public-a DOWN", () -> "DOWN".equals(health(privateApi, "public-a")));
    assertThat(changes)
        .filteredOn(c -> c.cloud().equals("public-a"))
        .extracting(HealthChange::to)
        .containsExactly(CloudHealth.SUSPECT, CloudHealth.DOWN);
    assertThat(privateNode.clouds().clouds().get(1).health())
        .isEqualTo(CloudDirectory.CloudHealth.DOWN);
    assertThat(cloud(privateApi, "public-a").get("lastSeen").isTextual()).isTrue();
  }

  @Test
  void shouldExposeCloudHealthAndEnvelopeCountsAsMetrics() {
    await("private sees public-a UP", () -> "UP".equals(health(privateApi, "public-a")));

    String metrics = privateApi.get("/metrics").body();

    assertThat(metrics)
        .containsPattern("cob_cloud_health\\{cloud=\"public-a\",node=\"node-p\"} 1.0")
        .containsPattern("cob_cloud_health\\{cloud=\"private\",node=\"node-p\"} 1.0")
        .containsPattern("cob_bus_envelopes_refused_total\\{[^}]*reason=\"bad_signature\"} 0.0")
        .containsPattern("cob_bus_envelopes_accepted_total\\{[^}]*} [1-9]")
        .containsPattern("cob_bus_connected\\{[^}]*} 1.0")
        .contains("cob_cloud_latency_seconds{cloud=\"public-a\"");
  }

  @Test
  void shouldReportTheNodeDownWhenItsBusIsLostLongerThanTheGrace() {
    assertThat(privateApi.get("/health").json().get("bus").asText()).isEqualTo("UP");
    String broker = busUrl.substring("memory:".length());

    MemoryBrokers.find(broker).orElseThrow().disconnect("private");
    await("health is 503", () -> privateApi.get("/health").status() == 503);

    Api.Res down = privateApi.get("/health");
    assertThat(down.json().get("bus").asText()).isEqualTo("DOWN");
    assertThat(down.json().get("store").asText()).isEqualTo("UP");
    assertThat(down.json().get("detail").asText()).contains("bus.healthGrace");
    assertThat(publicApi.get("/health").status()).isEqualTo(200);

    MemoryBrokers.find(broker).orElseThrow().reconnect("private");
    await("health is 200 again", () -> privateApi.get("/health").status() == 200);
  }
}
