package io.cob.server.clouds;

import static io.cob.server.support.CloudNodes.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cob.bus.BusCounters;
import io.cob.engine.TestModels;
import io.cob.engine.port.JobResult;
import io.cob.server.CobNode;
import io.cob.server.config.CloudConfig;
import io.cob.server.config.NodeConfig;
import io.cob.server.support.Api;
import io.cob.server.support.CloudNodes;
import io.cob.server.support.ThreeClouds;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /clouds}' instances and traffic after a known workload, three nodes of three clouds on
 * a memory bus, a store each: {@code private} owns every instance and ships it to its standby
 * {@code public-b}; each instance runs a step on {@code public-a} and then waits at a user task, or
 * ends. Every node shows every cloud's owned and standby counts and the traffic of every pair that
 * carried something, and none for the pair that carried nothing.
 */
class CloudInstancesAndTrafficTest {
  static final int WAITING = 5;
  static final int ENDED = 3;

  /** Three nodes on a shared, busy machine: longer than {@link CloudNodes#DEADLINE}. */
  static final Duration PATIENCE = Duration.ofSeconds(60);

  private final String bus = CloudNodes.privateMemoryBus();
  private final List<CobNode> nodes = new ArrayList<>();

  @AfterEach
  void stop() {
    nodes.forEach(CobNode::close);
  }

  private CobNode start(String cloud, String nodeId) {
    Map<String, CloudConfig> clouds = new LinkedHashMap<>(ThreeClouds.clouds());
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
            List.of("public-b")));
    NodeConfig base = CloudNodes.config(bus, cloud, nodeId).withClouds(clouds);
    // Fast heartbeats, but slow to call a cloud DOWN: on a busy machine a node may miss a few, and
    // a step placed on a cloud believed DOWN becomes an incident, not the traffic measured here.
    NodeConfig config = base.withBus(base.bus().withHeartbeat(CloudNodes.HEARTBEAT, 10, 100));
    CobNode node =
        CobNode.start(config, Map.of("work", job -> JobResult.complete(Map.of("ranOn", cloud))));
    nodes.add(node);
    return node;
  }

  /** start → work on public-a → (a user task, when {@code waits}) → end. */
  private static String model(String processId, boolean waits) {
    return TestModels.process(
        processId,
        "<startEvent id=\"s\"/>"
            + ThreeClouds.placed("work", "work", "public-a")
            + (waits ? "<userTask id=\"approve\"/>" : "")
            + "<endEvent id=\"e\"/>",
        waits
            ? new String[] {"s->work", "work->approve", "approve->e"}
            : new String[] {"s->work", "work->e"});
  }

  @Test
  void shouldShowEveryCloudsOwnedAndStandbyInstancesAndTheTrafficOfEachPair() {
    CobNode owner = start("private", "node-p");
    CobNode worker = start("public-a", "node-a");
    CobNode standby = start("public-b", "node-b");
    List<Api> apis = nodes.stream().map(n -> new Api(n.baseUri())).toList();
    Api ownerApi = apis.getFirst();
    for (String cloud : List.of("public-a", "public-b")) {
      await(cloud + " UP", () -> "UP".equals(CloudNodes.health(ownerApi, cloud)));
    }
    ownerApi.deploy("waits.bpmn", model("waits", true));
    ownerApi.deploy("ends.bpmn", model("ends", false));
    for (int i = 0; i < WAITING; i++) {
      ownerApi.start("waits", Map.of("n", i));
    }
    for (int i = 0; i < ENDED; i++) {
      ownerApi.start("ends", Map.of("n", i));
    }

    await(
        "every waiting instance back from public-a, at its user task",
        PATIENCE,
        () -> ownerApi.get("/api/v1/tasks").json().size() == WAITING);
    await(
        "every node sees " + WAITING + " owned by private and kept by public-b",
        PATIENCE,
        () -> apis.stream().allMatch(api -> counts(api, WAITING)));
    for (Api api : apis) {
      assertThat(instances(api, "public-a")).isEqualTo(List.of(0L, 0L));
    }

    List<String> tasks = new ArrayList<>();
    ownerApi.get("/api/v1/tasks").json().forEach(t -> tasks.add(t.get("id").asText()));
    for (String task : tasks.subList(0, 2)) {
      assertThat(ownerApi.post("/api/v1/tasks/" + task + "/complete", Map.of()).status())
          .isEqualTo(204);
    }
    await(
        "the two completed ones counted nowhere any more",
        PATIENCE,
        () -> apis.stream().allMatch(api -> counts(api, WAITING - 2)));

    // What each node sent to each cloud, as its own counters have it: what every node must show.
    // (Announcements, to "*", are left out: heartbeats go on, a report is always one behind.)
    Map<String, Map<String, BusCounters.Traffic>> sentBy = new LinkedHashMap<>();
    await(
        "every node shows each cloud's traffic as its nodes counted it",
        PATIENCE,
        () -> {
          for (CobNode n : nodes) {
            sentBy.put(n.config().cloud(), pairs(n.bus().counters().sentByTarget()));
          }
          return apis.stream().allMatch(api -> sentBy.equals(traffic(api)));
        });
    for (String[] pair :
        List.of(
            new String[] {"private", "public-a"}, // the steps
            new String[] {"public-a", "private"}, // their outcomes
            new String[] {"private", "public-b"}, // replication
            new String[] {"public-b", "private"})) { // its acknowledgements
      BusCounters.Traffic t = sentBy.get(pair[0]).get(pair[1]);
      assertThat(t).as(pair[0] + " -> " + pair[1]).isNotNull();
      assertThat(t.messages()).as(pair[0] + " -> " + pair[1]).isPositive();
      assertThat(t.bytes()).as(pair[0] + " -> " + pair[1]).isGreaterThan(t.messages());
    }
    assertThat(sentBy.get("private").get("public-a").messages())
        .as("a step each")
        .isGreaterThanOrEqualTo(WAITING + ENDED);
    assertThat(sentBy.get("public-a"))
        .as("public-a never sent to public-b")
        .doesNotContainKey("public-b");
    assertThat(sentBy.get("public-b")).as("nor public-b to public-a").doesNotContainKey("public-a");
    for (Api api : apis) {
      assertThat(CloudNodes.cloud(api, "public-a").get("traffic").findValuesAsText("to"))
          .doesNotContain("public-b");
      assertThat(CloudNodes.cloud(api, "public-b").get("traffic").findValuesAsText("to"))
          .doesNotContain("public-a");
    }
    assertThat(standby.engine().store().runningInstancesByOwner())
        .containsExactly(Map.entry("private", (long) WAITING - 2));
    assertThat(worker.engine().store().runningInstancesByOwner()).isEmpty();
    assertThat(owner.engine().store().runningInstancesByOwner())
        .containsExactly(Map.entry("private", (long) WAITING - 2));
  }

  /** Whether private owns {@code n} and public-b keeps {@code n}, as {@code api}'s node shows. */
  private static boolean counts(Api api, long n) {
    return List.of(n, 0L).equals(instances(api, "private"))
        && List.of(0L, n).equals(instances(api, "public-b"));
  }

  /** {@code [owned, standby]} of a cloud, or {@code null} when not reported yet. */
  private static List<Long> instances(Api api, String cloud) {
    JsonNode i = CloudNodes.cloud(api, cloud).get("instances");
    return i == null || i.isNull()
        ? null
        : List.of(i.get("owned").asLong(), i.get("standby").asLong());
  }

  /** Every cloud's traffic as {@code api}'s node shows it: from → to → messages and bytes. */
  private static Map<String, Map<String, BusCounters.Traffic>> traffic(Api api) {
    Map<String, Map<String, BusCounters.Traffic>> out = new LinkedHashMap<>();
    for (JsonNode c : api.get("/api/v1/clouds").json()) {
      Map<String, BusCounters.Traffic> to = new java.util.TreeMap<>();
      for (JsonNode t : c.get("traffic")) {
        assertThat(t.get("from").asText()).isEqualTo(c.get("name").asText());
        to.put(
            t.get("to").asText(),
            new BusCounters.Traffic(t.get("messages").asLong(), t.get("bytes").asLong()));
      }
      out.put(c.get("name").asText(), pairs(to));
    }
    return out;
  }

  /** The traffic to each cloud, without the announcements to every cloud. */
  private static Map<String, BusCounters.Traffic> pairs(Map<String, BusCounters.Traffic> byTarget) {
    Map<String, BusCounters.Traffic> out = new java.util.TreeMap<>(byTarget);
    out.remove(BusCounters.EVERY_CLOUD);
    return out;
  }
}
