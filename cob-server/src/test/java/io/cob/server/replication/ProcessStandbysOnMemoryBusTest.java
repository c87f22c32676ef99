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
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Standbys named by the process ({@code cob:standby}, {@code cob:replication}) on a memory bus of
 * three clouds. {@code private}'s configuration names {@code public-b} as its standby; process
 * {@code plain} keeps that, process {@code kept} names {@code public-a}, synchronously. Each
 * instance is replicated to its own standby only; when {@code private} is cut off, each standby
 * takes over exactly its own instances; the returned {@code private} stays fenced until both have
 * given theirs back.
 */
class ProcessStandbysOnMemoryBusTest {
  static final int EACH = 5;

  private final String bus = CloudNodes.privateMemoryBus();
  private final List<CobNode> nodes = new ArrayList<>();
  private final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();

  @AfterEach
  void stop() {
    nodes.forEach(CobNode::close);
  }

  private CobNode start(String cloud, String nodeId, List<String> privateStandbys) {
    Map<String, CloudConfig> clouds = CloudNodes.cloudsWithPrivateStandbys(privateStandbys, null);
    clouds.put(
        "public-b",
        new CloudConfig("aws", "eu-central", List.of("eu"), new BigDecimal("0.002"), null, null));
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

  private static String model(String id, String attributes) {
    return TestModels.process(
            id,
            "<startEvent id=\"s\"/><userTask id=\"approve\"/>"
                + TestModels.serviceTask("work", "work")
                + "<endEvent id=\"e\"/>",
            "s->approve",
            "approve->work",
            "work->e")
        .replace("id=\"" + id + "\"", "id=\"" + id + "\" " + attributes);
  }

  private static List<String> ids(CobNode node, String state, String process, String owner) {
    return node
        .engine()
        .store()
        .instances(new InstanceQuery(state, process, null, owner, null, 1000, null))
        .stream()
        .map(s -> s.id())
        .toList();
  }

  @Test
  void shouldReplicateEachInstanceToItsProcessStandbyAndLetThatOneTakeItOver() {
    CobNode owner = start("private", "node-p", List.of("public-b"));
    CobNode a = start("public-a", "node-a", List.of("public-b"));
    CobNode b = start("public-b", "node-b", List.of("public-b"));
    Api ownerApi = new Api(owner.baseUri());
    ownerApi.deploy("plain.bpmn", model("plain", ""));
    ownerApi.deploy(
        "kept.bpmn", model("kept", "cob:standby=\"public-a\" cob:replication=\"sync\""));
    List<String> plain = new ArrayList<>();
    List<String> kept = new ArrayList<>();
    for (int i = 0; i < EACH; i++) {
      plain.add(ownerApi.start("plain", Map.of("n", i)).get("id").asText());
      String id = ownerApi.start("kept", Map.of("n", i)).get("id").asText();
      // sync for this process: answered once its standby stored the start
      assertThat(a.engine().store().history(id))
          .as("%s at public-a when answered", id)
          .isNotEmpty();
      kept.add(id);
    }
    await(
        "each instance's replica complete at its standby",
        () ->
            plain.stream()
                    .allMatch(
                        id ->
                            b.engine().store().history(id).size()
                                == owner.engine().store().history(id).size())
                && kept.stream()
                    .allMatch(
                        id ->
                            a.engine().store().history(id).size()
                                == owner.engine().store().history(id).size()));
    assertThat(ids(a, "ACTIVE", null, "private")).containsExactlyInAnyOrderElementsOf(kept);
    assertThat(ids(b, "ACTIVE", null, "private")).containsExactlyInAnyOrderElementsOf(plain);
    assertThat(CloudNodes.cloud(ownerApi, "public-a").get("replication").get("role").asText())
        .isEqualTo("standby");

    MemoryBus broker = MemoryBrokers.find(bus.substring("memory:".length())).orElseThrow();
    broker.disconnect("private");
    await(
        "each standby takes over its own instances",
        Duration.ofSeconds(20),
        () ->
            ids(b, "ACTIVE", null, "public-b").size() == EACH
                && ids(a, "ACTIVE", null, "public-a").size() == EACH);
    assertThat(ids(b, "ACTIVE", null, "public-b")).containsExactlyInAnyOrderElementsOf(plain);
    assertThat(ids(a, "ACTIVE", null, "public-a")).containsExactlyInAnyOrderElementsOf(kept);

    broker.reconnect("private");
    await(
        "the returned owner learns it was taken over",
        () -> String.valueOf(owner.ownership().orElseThrow().fenced()).contains("was taken over"));

    Api aApi = new Api(a.baseUri());
    Api bApi = new Api(b.baseUri());
    Api.Res back = aApi.post("/api/v1/clouds/private/failback", Map.of());
    assertThat(back.status()).as(back.toString()).isEqualTo(200);
    assertThat(back.json().get("instances").asInt()).isEqualTo(EACH);
    // public-b still holds its part: private stays fenced until that is given back too
    java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofSeconds(1).toNanos());
    assertThat(owner.ownership().orElseThrow().fenced()).contains("was taken over");
    back = bApi.post("/api/v1/clouds/private/failback", Map.of());
    assertThat(back.status()).as(back.toString()).isEqualTo(200);
    await("private holds its lease again", () -> owner.ownership().orElseThrow().fenced() == null);
    await(
        "every instance is private's again",
        () -> ids(owner, "ACTIVE", null, "private").size() == 2 * EACH);

    for (JsonNode t : ownerApi.get("/api/v1/tasks").json()) {
      Api.Res done = ownerApi.post("/api/v1/tasks/" + t.get("id").asText() + "/complete", Map.of());
      assertThat(done.status()).as(done.toString()).isEqualTo(204);
    }
    await("all complete at home", () -> ids(owner, "COMPLETED", null, null).size() == 2 * EACH);
    assertThat(runs).hasSize(2 * EACH);
    assertThat(runs).allSatisfy((k, n) -> assertThat(n.get()).as(k).isEqualTo(1));
  }
}
