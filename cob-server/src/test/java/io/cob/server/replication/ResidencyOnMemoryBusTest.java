package io.cob.server.replication;

import static io.cob.server.support.CloudNodes.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.cob.engine.TestModels;
import io.cob.engine.port.ActivatedJob;
import io.cob.engine.port.JobResult;
import io.cob.server.CobNode;
import io.cob.server.config.CloudConfig;
import io.cob.server.config.NodeConfig;
import io.cob.server.support.Api;
import io.cob.server.support.CloudNodes;
import io.cob.server.support.ThreeClouds;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Data residency: {@code private} (eu) replicates to {@code public-a} (us) and runs a step there;
 * the process keeps {@code customer} in the eu ({@code cob:residency="customer=eu"}). public-a's
 * store and the job it ran never see the value, only the redaction marker; and public-a may not
 * take such an instance over, nor, by asking, fence the owner that still runs it.
 */
class ResidencyOnMemoryBusTest {
  static final String SECRET = "Alice Lidell, 12 Rue de la Paix";

  private final String bus = CloudNodes.privateMemoryBus();
  private final List<CobNode> nodes = new ArrayList<>();
  private final List<ActivatedJob> seenInUs = new CopyOnWriteArrayList<>();

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
                "peek",
                job -> {
                  seenInUs.add(job);
                  return JobResult.complete(Map.of("peeked", true));
                }));
    nodes.add(node);
    return node;
  }

  @Test
  void shouldNeverLetAResidentValueReachACloudOutsideItsJurisdiction() {
    CobNode eu = start("private", "node-p");
    CobNode us = start("public-a", "node-a");
    Api euApi = new Api(eu.baseUri());
    Api usApi = new Api(us.baseUri());
    await("both UP", () -> "UP".equals(CloudNodes.health(euApi, "public-a")));
    euApi.deploy(
        "kyc.bpmn",
        TestModels.process(
                "kyc",
                "<startEvent id=\"s\"/>"
                    + ThreeClouds.placed("peek", "peek", "public-a")
                    + "<userTask id=\"review\"/><endEvent id=\"e\"/>",
                "s->peek",
                "peek->review",
                "review->e")
            .replace("<process id=\"kyc\"", "<process id=\"kyc\" cob:residency=\"customer=eu\""));

    String id = euApi.start("kyc", Map.of("customer", SECRET, "amount", 5)).get("id").asText();
    await("the step ran in the us", () -> !seenInUs.isEmpty());
    await(
        "the replica caught up",
        () -> us.engine().store().history(id).size() == eu.engine().store().history(id).size());

    ActivatedJob job = seenInUs.getFirst();
    assertThat(((Number) job.variables().get("amount")).intValue()).isEqualTo(5);
    assertThat(job.variables()).containsEntry("customer", Residency.marker("eu"));
    assertThat(String.valueOf(job)).doesNotContain(SECRET);
    assertThat(usApi.get("/api/v1/instances/" + id + "/history").body()).doesNotContain(SECRET);
    assertThat(String.valueOf(us.engine().store().history(id))).doesNotContain(SECRET);
    assertThat(String.valueOf(us.engine().store().instance(id).orElseThrow().snapshot()))
        .doesNotContain(SECRET)
        .contains("residency eu");
    assertThat(String.valueOf(eu.engine().store().instance(id).orElseThrow().snapshot()))
        .as("the eu copy keeps it")
        .contains(SECRET);

    Api.Res failover = usApi.post("/api/v1/clouds/private/failover", Map.of());
    assertThat(failover.status()).isEqualTo(200);
    assertThat(failover.json().get("instances").asInt()).isZero();
    assertThat(failover.json().get("refused").get(0).asText())
        .contains(id)
        .contains("resident in {customer=eu}")
        .contains("'public-a' is outside that jurisdiction");

    // Refused, the fail-over left the owner unfenced: the instance goes on where it is.
    assertThat(eu.ownership().orElseThrow().fenced()).isNull();
    String task = euApi.get("/api/v1/tasks?instanceId=" + id).json().get(0).get("id").asText();
    Api.Res review = euApi.post("/api/v1/tasks/" + task + "/complete", Map.of());
    assertThat(review.status()).as(review.toString()).isEqualTo(204);
    assertThat(euApi.instance(id).get("state").asText()).isEqualTo("COMPLETED");
  }
}
