package io.cob.server.replication;

import static io.cob.server.support.CloudNodes.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cob.engine.TestModels;
import io.cob.engine.port.JobResult;
import io.cob.engine.port.StoreRows.InstanceQuery;
import io.cob.engine.port.StoreRows.InstanceSummary;
import io.cob.server.CobNode;
import io.cob.server.config.CloudConfig;
import io.cob.server.config.NodeConfig;
import io.cob.server.support.Api;
import io.cob.server.support.CloudNodes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Replication to a standby and a manual fail-over, two nodes on a memory bus: {@code private}
 * (standby {@code public-a}) runs instances that wait at a user task; {@code public-a} holds their
 * replicas (equal logs, nothing armed); {@code private} goes away, {@code POST
 * /clouds/private/failover} on {@code public-a} takes them over, and they complete there, their job
 * run once each.
 */
class ManualFailoverOnMemoryBusTest {
  static final int INSTANCES = 20;

  private final String bus = CloudNodes.privateMemoryBus();
  private final List<CobNode> nodes = new ArrayList<>();
  private final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();

  @AfterEach
  void stop() {
    nodes.forEach(CobNode::close);
  }

  private CobNode start(String cloud, String nodeId) {
    Map<String, CloudConfig> clouds =
        CloudNodes.cloudsWithPrivateStandbys(List.of("public-a"), null);
    NodeConfig config = CloudNodes.config(bus, cloud, nodeId).withClouds(clouds);
    CobNode node =
        CobNode.start(
            config,
            Map.of(
                "work",
                job -> {
                  runs.computeIfAbsent(job.idempotencyKey(), k -> new AtomicInteger())
                      .incrementAndGet();
                  return JobResult.complete(Map.of("ranOn", cloud));
                }));
    nodes.add(node);
    return node;
  }

  private static String model() {
    return TestModels.process(
        "order",
        "<startEvent id=\"s\"/><userTask id=\"approve\"/>"
            + TestModels.serviceTask("work", "work")
            + "<endEvent id=\"e\"/>",
        "s->approve",
        "approve->work",
        "work->e");
  }

  @Test
  void shouldReplicateToTheStandbyAndCompleteThereAfterAManualFailover() {
    CobNode owner = start("private", "node-p");
    CobNode standby = start("public-a", "node-a");
    Api ownerApi = new Api(owner.baseUri());
    Api standbyApi = new Api(standby.baseUri());
    await("both UP", () -> "UP".equals(CloudNodes.health(ownerApi, "public-a")));
    ownerApi.deploy("order.bpmn", model());
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < INSTANCES; i++) {
      ids.add(ownerApi.start("order", Map.of("n", i)).get("id").asText());
    }

    await(
        "every replica at the standby as long as the owner's log",
        () ->
            ids.stream()
                .allMatch(
                    id ->
                        standby.engine().store().history(id).size()
                            == owner.engine().store().history(id).size()));
    for (String id : ids) {
      assertThat(standby.engine().store().history(id))
          .isEqualTo(owner.engine().store().history(id));
      assertThat(standby.engine().store().instance(id).orElseThrow().summary().ownerCloud())
          .isEqualTo("private");
    }
    assertThat(standby.engine().store().jobs(ids.getFirst())).isEmpty();
    assertThat(standbyApi.get("/api/v1/tasks").json()).as("replicas arm nothing").isEmpty();
    assertThat(standbyApi.delete("/api/v1/instances/" + ids.getFirst()).body())
        .contains("owned by cloud 'private'");
    await(
        "the owner sees its standby caught up",
        () -> {
          JsonNode r = CloudNodes.cloud(ownerApi, "public-a").get("replication");
          return r != null && r.get("pendingInstances").asInt() == 0;
        });
    assertThat(CloudNodes.cloud(ownerApi, "public-a").get("replication").get("role").asText())
        .isEqualTo("standby");
    assertThat(ownerApi.get("/metrics").body())
        .containsPattern("cob_replication_lag_seconds\\{[^}]*standby=\"public-a\"[^}]*} 0\\.0")
        .containsPattern(
            "cob_replication_pending_instances\\{[^}]*standby=\"public-a\"[^}]*} 0\\.0");
    assertThat(standbyApi.get("/metrics").body())
        .containsPattern("cob_replication_replicated_events_total\\{[^}]*} [1-9][0-9]*\\.0");

    nodes.remove(owner);
    owner.close();
    assertThat(standbyApi.post("/api/v1/clouds/public-a/failover", Map.of()).status())
        .isEqualTo(409);
    assertThat(standbyApi.post("/api/v1/clouds/nowhere/failover", Map.of()).status())
        .isEqualTo(404);
    Api.Res wrongTarget =
        standbyApi.post("/api/v1/clouds/private/failover", Map.of("to", "private"));
    assertThat(wrongTarget.status()).isEqualTo(400);
    assertThat(wrongTarget.body()).contains("send the fail-over to a node of 'private'");

    Api.Res failover = standbyApi.post("/api/v1/clouds/private/failover", Map.of());

    assertThat(failover.status()).as(failover.toString()).isEqualTo(200);
    assertThat(failover.json().get("instances").asInt()).isEqualTo(INSTANCES);
    assertThat(failover.json().get("to").asText()).isEqualTo("public-a");
    for (JsonNode task : standbyApi.get("/api/v1/tasks").json()) {
      assertThat(
              standbyApi
                  .post("/api/v1/tasks/" + task.get("id").asText() + "/complete", Map.of())
                  .status())
          .isEqualTo(204);
    }
    await(
        "all completed on the standby",
        () ->
            standby
                    .engine()
                    .store()
                    .instances(
                        new InstanceQuery("COMPLETED", "order", null, null, null, 1000, null))
                    .size()
                == INSTANCES);
    List<InstanceSummary> done =
        standby
            .engine()
            .store()
            .instances(new InstanceQuery("COMPLETED", "order", null, null, null, 1000, null));
    assertThat(done).allSatisfy(s -> assertThat(s.ownerCloud()).isEqualTo("public-a"));
    assertThat(done).allSatisfy(s -> assertThat(s.epoch()).isEqualTo(1));
    assertThat(runs).hasSize(INSTANCES);
    assertThat(runs).allSatisfy((key, n) -> assertThat(n.get()).as(key).isEqualTo(1));
    JsonNode here = CloudNodes.cloud(standbyApi, "public-a");
    assertThat(here.get("stepsRun").asLong()).isEqualTo(INSTANCES);
    assertThat(here.get("costSoFar").decimalValue())
        .isEqualByComparingTo(
            new java.math.BigDecimal("0.001").multiply(java.math.BigDecimal.valueOf(INSTANCES)));
  }
}
