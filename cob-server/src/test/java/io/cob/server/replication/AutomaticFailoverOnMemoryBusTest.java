package io.cob.server.replication;

import static io.cob.server.support.CloudNodes.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cob.bus.memory.MemoryBrokers;
import io.cob.bus.memory.MemoryBus;
import io.cob.engine.TestModels;
import io.cob.engine.port.JobResult;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Automatic fail-over on the ownership lease, two nodes on a memory bus: when {@code private} is
 * cut off the bus it fences itself (commits nothing on its instances), and once its presence has
 * been gone for {@code takeoverAfter} its standby {@code public-a} takes its instances over, where
 * they complete; when {@code private} comes back it finds the take-over notice and stays fenced.
 */
class AutomaticFailoverOnMemoryBusTest {
  static final int INSTANCES = 10;

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
                  return JobResult.complete();
                }));
    nodes.add(node);
    return node;
  }

  private static int count(CobNode node, String state, String owner) {
    return node.engine()
        .store()
        .instances(new InstanceQuery(state, "order", null, owner, null, 1000, null))
        .size();
  }

  @Test
  void shouldFenceTheCutOffOwnerAndLetItsStandbyTakeOver() {
    CobNode owner = start("private", "node-p");
    CobNode standby = start("public-a", "node-a");
    Api ownerApi = new Api(owner.baseUri());
    Api standbyApi = new Api(standby.baseUri());
    assertThat(owner.ownership().orElseThrow().fenced()).as("holds its lease").isNull();
    ownerApi.deploy(
        "order.bpmn",
        TestModels.process(
            "order",
            "<startEvent id=\"s\"/><userTask id=\"approve\"/>"
                + TestModels.serviceTask("work", "work")
                + "<endEvent id=\"e\"/>",
            "s->approve",
            "approve->work",
            "work->e"));
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < INSTANCES; i++) {
      ids.add(ownerApi.start("order", Map.of("n", i)).get("id").asText());
    }
    await(
        "the replicas are complete",
        () ->
            ids.stream()
                .allMatch(
                    id ->
                        standby.engine().store().history(id).size()
                            == owner.engine().store().history(id).size()));
    JsonNode task = ownerApi.get("/api/v1/tasks?instanceId=" + ids.getFirst()).json().get(0);

    MemoryBus broker = MemoryBrokers.find(bus.substring("memory:".length())).orElseThrow();
    long cut = System.nanoTime();
    broker.disconnect("private");

    await(
        "the cut-off owner fences itself",
        Duration.ofSeconds(10),
        () -> owner.ownership().orElseThrow().fenced() != null);
    long fenced = System.nanoTime();
    Api.Res refused =
        ownerApi.post("/api/v1/tasks/" + task.get("id").asText() + "/complete", Map.of());
    assertThat(refused.status()).as(refused.toString()).isEqualTo(409);
    assertThat(refused.body()).contains("fenced");
    await(
        "the standby takes every instance over",
        Duration.ofSeconds(20),
        () -> count(standby, "ACTIVE", "public-a") == INSTANCES);
    long taken = System.nanoTime();
    assertThat((taken - cut) / 1_000_000).as("recovery within 10 s of the cut").isLessThan(10_000);
    assertThat((fenced - cut) / 1_000_000)
        .as("fenced before taken over")
        .isLessThan((taken - cut) / 1_000_000);
    assertThat(standby.ownership().orElseThrow().takenOver()).containsExactly("private");

    broker.reconnect("private");
    await(
        "the returned owner learns it was taken over",
        () -> String.valueOf(owner.ownership().orElseThrow().fenced()).contains("was taken over"));
    assertThat(
            ownerApi
                .post("/api/v1/tasks/" + task.get("id").asText() + "/complete", Map.of())
                .status())
        .isEqualTo(409);

    for (JsonNode t : standbyApi.get("/api/v1/tasks").json()) {
      standbyApi.post("/api/v1/tasks/" + t.get("id").asText() + "/complete", Map.of());
    }
    await("all complete on the standby", () -> count(standby, "COMPLETED", null) == INSTANCES);
    assertThat(runs).hasSize(INSTANCES);
    assertThat(runs).allSatisfy((k, n) -> assertThat(n.get()).as(k).isEqualTo(1));
    System.out.printf(
        "AutomaticFailoverOnMemoryBusTest: fenced %d ms, taken over %d ms after the cut%n",
        (fenced - cut) / 1_000_000, (taken - cut) / 1_000_000);
  }
}
