package io.cob.server.clouds;

import static io.cob.server.support.CloudNodes.await;
import static io.cob.server.support.CloudNodes.cloud;
import static io.cob.server.support.CloudNodes.health;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cob.bus.RefusalReason;
import io.cob.server.CobNode;
import io.cob.server.config.NodeConfig;
import io.cob.server.support.Api;
import io.cob.server.support.CloudNodes;
import io.cob.server.support.RabbitMq;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Nodes of two clouds on the machine's RabbitMQ (a namespace of their own, deleted afterwards):
 * they see each other UP through signed heartbeats; a node holding a wrong key for the pair is not
 * believed, and its envelopes are counted as refused.
 */
class CloudsOnRabbitMqIT {
  static final String KEY_PRIVATE = "AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=";
  static final String KEY_PAIR = "AgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgI=";
  static final String KEY_PUBLIC = "AwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwM=";
  static final String WRONG_KEY = "BAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQ=";

  private final String namespace = RabbitMq.uniqueNamespace();
  private final List<CobNode> nodes = new ArrayList<>();

  @BeforeEach
  void requireRabbitMq() {
    RabbitMq.requireAvailable();
  }

  @AfterEach
  void stopAndDeleteTheNamespace() {
    nodes.forEach(CobNode::close);
    if (!nodes.isEmpty()) {
      RabbitMq.deleteNamespace(namespace, CloudNodes.clouds().keySet());
    }
  }

  private CobNode start(String cloud, String nodeId, String pairKey) {
    NodeConfig base = CloudNodes.config(RabbitMq.URL, cloud, nodeId);
    CobNode node =
        CobNode.start(
            base.withBus(
                base.bus()
                    .withAmqp(Map.of("namespace", namespace))
                    .withKeys(
                        Map.of(
                            "private|private", KEY_PRIVATE,
                            "public-a|public-a", KEY_PUBLIC,
                            "private|public-a", pairKey))));
    nodes.add(node);
    return node;
  }

  @Test
  void shouldSeeEachOtherUpAcrossClouds() {
    CobNode privateNode = start("private", "node-p", KEY_PAIR);
    CobNode publicNode = start("public-a", "node-a", KEY_PAIR);
    Api privateApi = new Api(privateNode.baseUri());
    Api publicApi = new Api(publicNode.baseUri());

    await("private sees public-a UP", () -> "UP".equals(health(privateApi, "public-a")));
    await("public-a sees private UP", () -> "UP".equals(health(publicApi, "private")));
    await(
        "the bus latency is measured",
        () -> cloud(privateApi, "public-a").get("latencyMs").isNumber());

    JsonNode publicA = cloud(privateApi, "public-a");
    assertThat(publicA.get("nodes").get(0).get("id").asText()).isEqualTo("node-a");
    assertThat(publicA.get("provider").asText()).isEqualTo("gcp");
    assertThat(privateApi.get("/health").json().get("bus").asText()).isEqualTo("UP");
    assertThat(privateNode.bus().counters().snapshot().refusedTotal()).isZero();
    assertThat(privateApi.get("/metrics").body())
        .containsPattern("cob_cloud_health\\{cloud=\"public-a\",node=\"node-p\"} 1.0")
        .containsPattern("cob_bus_connected\\{[^}]*} 1.0");
  }

  @Test
  void shouldRefuseAndCountTheEnvelopesOfANodeWithAWrongKey() {
    CobNode privateNode = start("private", "node-p", KEY_PAIR);
    CobNode forger = start("public-a", "node-x", WRONG_KEY);
    Api privateApi = new Api(privateNode.baseUri());

    await(
        "the forger's heartbeats are refused",
        () -> privateNode.bus().counters().snapshot().refused(RefusalReason.BAD_SIGNATURE) >= 3);

    assertThat(health(privateApi, "public-a")).as("never believed").isIn("SUSPECT", "DOWN");
    assertThat(privateNode.bus().topology().nodes()).isEmpty();
    assertThat(privateApi.get("/metrics").body())
        .containsPattern(
            "cob_bus_envelopes_refused_total\\{[^}]*reason=\"bad_signature\"} [1-9][0-9]*\\.0");
    // Each node hears the other's heartbeats on its own schedule: wait for the forger's side too.
    await(
        "the forger cannot verify the honest node either",
        () -> forger.bus().counters().snapshot().refused(RefusalReason.BAD_SIGNATURE) >= 1);
  }
}
