package io.cob.server.bus;

import static io.cob.server.support.CloudNodes.await;
import static io.cob.server.support.CloudNodes.health;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.cob.bus.RefusalReason;
import io.cob.engine.port.bus.BusException;
import io.cob.server.CobNode;
import io.cob.server.config.ConfigException;
import io.cob.server.config.NodeConfig;
import io.cob.server.support.Api;
import io.cob.server.support.CloudNodes;
import io.cob.server.support.TestNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How a node joins the bus, and how it refuses to start when it cannot. */
class NodeBusTest {
  static final String KEY_1 = "AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=";
  static final String KEY_2 = "AgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgI=";
  static final String KEY_3 = "AwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwM=";

  @Test
  void shouldRefuseAndCountEnvelopesSignedWithAnotherKey() {
    String bus = CloudNodes.privateMemoryBus();
    NodeConfig good =
        withKeys(
            CloudNodes.config(bus, "private", "node-p"),
            Map.of("private|private", KEY_1, "private|public-a", KEY_2));
    NodeConfig forger =
        withKeys(
            CloudNodes.config(bus, "public-a", "node-x"),
            Map.of("public-a|public-a", KEY_1, "private|public-a", KEY_3));
    try (CobNode node = CobNode.start(good);
        CobNode other = CobNode.start(forger)) {
      Api api = new Api(node.baseUri());

      await(
          "the forger's heartbeats are refused",
          () -> node.bus().counters().snapshot().refused(RefusalReason.BAD_SIGNATURE) >= 1);

      assertThat(health(api, "public-a")).as("never heard").isIn("SUSPECT", "DOWN");
      assertThat(node.bus().topology().nodes()).isEmpty();
      assertThat(api.get("/metrics").body())
          .containsPattern(
              "cob_bus_envelopes_refused_total\\{[^}]*reason=\"bad_signature\"} [1-9][0-9]*\\.0");
      // Each node hears the other's heartbeats on its own schedule: wait for the forger's side too.
      await(
          "and the forger refuses the honest node's",
          () -> other.bus().counters().snapshot().refused(RefusalReason.BAD_SIGNATURE) >= 1);
    }
  }

  @Test
  void shouldShowALoneNodesOwnCloudWithoutAnyConfiguration() {
    try (CobNode node = TestNode.start()) {
      JsonNode clouds = new Api(node.baseUri()).get("/api/v1/clouds").json();

      assertThat(clouds).hasSize(1);
      JsonNode local = clouds.get(0);
      assertThat(local.get("name").asText()).isEqualTo(NodeConfig.DEFAULT_CLOUD);
      assertThat(local.get("health").asText()).isEqualTo("UP");
      assertThat(local.get("provider").isNull()).isTrue();
      assertThat(local.get("jurisdiction")).isEmpty();
      assertThat(local.get("nodes").get(0).get("self").asBoolean()).isTrue();
      assertThat(node.clouds().clouds()).hasSize(1);
    }
  }

  @Test
  void shouldGiveUpStartingWhenTheBrokerNeverAnswers() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    NodeConfig base = CloudNodes.config("memory:", "private", "node-p");
    NodeConfig config =
        base.withBus(
            base.bus()
                .withUrl("amqp://guest:guest@127.0.0.1:" + closedPort)
                .withKeys(Map.of("private|private", KEY_1, "private|public-a", KEY_2))
                .withAmqp(Map.of("connectTimeout", "PT1S"))
                .withConnection(2, Duration.ofMillis(50), null));

    assertThatThrownBy(() -> CobNode.start(config))
        .isInstanceOf(BusException.class)
        .hasMessageContaining("127.0.0.1:" + closedPort)
        .hasMessageContaining("did not answer after 2 attempts")
        .hasMessageContaining("bus.connect.attempts")
        .hasMessageNotContaining("guest:guest");
  }

  @Test
  void shouldRefuseAnUnsignedBusBetweenClouds() {
    NodeConfig config =
        CloudNodes.config("memory:", "private", "node-p")
            .withBusUrl("amqp://guest:guest@127.0.0.1:5672");

    assertThatThrownBy(() -> CobNode.start(config))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("bus.keys has no key for 'private|private', 'private|public-a'");
  }

  private static NodeConfig withKeys(NodeConfig config, Map<String, String> keys) {
    return config.withBus(config.bus().withKeys(keys));
  }
}
