package io.cob.server.replication;

import static io.cob.server.support.CloudNodes.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cob.bus.memory.MemoryBrokers;
import io.cob.bus.memory.MemoryBus;
import io.cob.engine.TestModels;
import io.cob.engine.port.StoreRows.InstanceQuery;
import io.cob.server.CobNode;
import io.cob.server.config.CloudConfig;
import io.cob.server.config.NodeConfig;
import io.cob.server.support.Api;
import io.cob.server.support.CloudNodes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Fail-over and fail-back of a cloud with waiting instances (user tasks, message subscriptions):
 * {@code private} is cut off, {@code public-a} takes its instances over and advances some of them;
 * {@code private} comes back fenced; {@code POST /clouds/private/failback} on {@code public-a}
 * gives every instance back, and they all complete on {@code private}.
 */
class FailBackOnMemoryBusTest {
  static final int INSTANCES = 20;

  private final String bus = CloudNodes.privateMemoryBus();
  private final List<CobNode> nodes = new ArrayList<>();

  @AfterEach
  void stop() {
    nodes.forEach(CobNode::close);
  }

  private CobNode start(String cloud, String nodeId) {
    Map<String, CloudConfig> clouds =
        CloudNodes.cloudsWithPrivateStandbys(List.of("public-a"), null);
    NodeConfig config = CloudNodes.config(bus, cloud, nodeId).withClouds(clouds);
    CobNode node = CobNode.start(config);
    nodes.add(node);
    return node;
  }

  private static int owned(CobNode node, String state, String owner) {
    return node.engine()
        .store()
        .instances(new InstanceQuery(state, "order", null, owner, null, 1000, null))
        .size();
  }

  private static void completeTasks(Api api, int max) {
    int n = 0;
    for (JsonNode t : api.get("/api/v1/tasks").json()) {
      if (n++ == max) {
        return;
      }
      assertThat(api.post("/api/v1/tasks/" + t.get("id").asText() + "/complete", Map.of()).status())
          .isEqualTo(204);
    }
  }

  @Test
  void shouldGiveEveryInstanceBackAndCompleteThemAtHome() {
    CobNode home = start("private", "node-p");
    CobNode standby = start("public-a", "node-a");
    Api homeApi = new Api(home.baseUri());
    Api standbyApi = new Api(standby.baseUri());
    homeApi.deploy(
        "order.bpmn",
        TestModels.definitions(
            TestModels.processElement(
                    "order",
                    "<startEvent id=\"s\"/><userTask id=\"approve\"/>"
                        + "<intermediateCatchEvent id=\"paid\">"
                        + "<messageEventDefinition messageRef=\"m\"/></intermediateCatchEvent>"
                        + "<endEvent id=\"e\"/>",
                    "s->approve",
                    "approve->paid",
                    "paid->e")
                + "<message id=\"m\" name=\"paid\"><extensionElements>"
                + "<zeebe:subscription correlationKey=\"=orderId\"/></extensionElements></message>"));
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < INSTANCES; i++) {
      ids.add(homeApi.start("order", Map.of("orderId", "o-" + i)).get("id").asText());
    }
    completeTasks(homeApi, 5);
    await(
        "the replicas are complete",
        () ->
            ids.stream()
                .allMatch(
                    id ->
                        standby.engine().store().history(id).size()
                            == home.engine().store().history(id).size()));

    MemoryBus broker = MemoryBrokers.find(bus.substring("memory:".length())).orElseThrow();
    broker.disconnect("private");
    await(
        "the standby takes the instances over",
        Duration.ofSeconds(20),
        () -> owned(standby, "ACTIVE", "public-a") == INSTANCES);
    completeTasks(standbyApi, 3); // progress made while private is away
    broker.reconnect("private");
    await(
        "private comes back fenced",
        () -> String.valueOf(home.ownership().orElseThrow().fenced()).contains("was taken over"));
    await("public-a sees private UP", () -> "UP".equals(CloudNodes.health(standbyApi, "private")));

    Api.Res back = standbyApi.post("/api/v1/clouds/private/failback", Map.of());

    assertThat(back.status()).as(back.toString()).isEqualTo(200);
    assertThat(back.json().get("instances").asInt()).isEqualTo(INSTANCES);
    assertThat(back.json().get("refused")).isEmpty();
    await(
        "private owns them all again",
        Duration.ofSeconds(20),
        () -> owned(home, "ACTIVE", "private") == INSTANCES);
    await("private holds its lease again", () -> home.ownership().orElseThrow().fenced() == null);
    for (String id : ids) {
      assertThat(home.engine().store().history(id))
          .as("one history for " + id)
          .isEqualTo(standby.engine().store().history(id));
    }
    assertThat(standbyApi.get("/api/v1/tasks").json()).as("nothing armed at public-a").isEmpty();
    completeTasks(homeApi, INSTANCES);
    for (int i = 0; i < INSTANCES; i++) {
      homeApi.post("/api/v1/messages", Map.of("name", "paid", "correlationKey", "o-" + i));
    }
    await("all complete at home", () -> owned(home, "COMPLETED", null) == INSTANCES);
  }
}
