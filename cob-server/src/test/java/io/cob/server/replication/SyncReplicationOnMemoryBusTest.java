package io.cob.server.replication;

import static io.cob.server.support.CloudNodes.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.cob.engine.TestModels;
import io.cob.engine.port.JobResult;
import io.cob.server.CobNode;
import io.cob.server.config.BusConfig;
import io.cob.server.config.CloudConfig;
import io.cob.server.config.NodeConfig;
import io.cob.server.support.Api;
import io.cob.server.support.CloudNodes;
import io.cob.server.support.ThreeClouds;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Replication mode {@code sync}: the owner answers a command only once its standby stored the
 * events, so whatever a caller was told is committed is already in the standby's store.
 */
class SyncReplicationOnMemoryBusTest {
  private final String bus = CloudNodes.privateMemoryBus();
  private final List<CobNode> nodes = new ArrayList<>();

  @AfterEach
  void stop() {
    nodes.forEach(CobNode::close);
  }

  private CobNode start(String cloud, String nodeId) {
    return start(cloud, nodeId, BusConfig.CrossCloudJobs.DEFAULTS.consumers());
  }

  /**
   * A node with {@code consumers} subscriptions on its cloud's queue; {@code public-a} completes
   * jobs of type {@code work}.
   */
  private CobNode start(String cloud, String nodeId, int consumers) {
    Map<String, CloudConfig> clouds =
        CloudNodes.cloudsWithPrivateStandbys(List.of("public-a"), "sync");
    NodeConfig config = CloudNodes.config(bus, cloud, nodeId).withClouds(clouds);
    config = config.withBus(config.bus().withJobs(null, consumers, null));
    CobNode node = CobNode.start(config, Map.of("work", job -> JobResult.complete()));
    nodes.add(node);
    return node;
  }

  @Test
  void shouldAnswerOnlyWhatTheStandbyHasStored() {
    CobNode owner = start("private", "node-p");
    CobNode standby = start("public-a", "node-a");
    Api ownerApi = new Api(owner.baseUri());
    await("both UP", () -> "UP".equals(CloudNodes.health(ownerApi, "public-a")));
    ownerApi.deploy(
        "wait.bpmn",
        TestModels.process(
            "wait",
            "<startEvent id=\"s\"/><userTask id=\"t\"/><endEvent id=\"e\"/>",
            "s->t",
            "t->e"));

    for (int i = 0; i < 10; i++) {
      String id = ownerApi.start("wait", Map.of("n", i)).get("id").asText();
      // no waiting: the answer came after the standby stored the start
      assertThat(standby.engine().store().history(id))
          .as("replica of " + id + " when the start was answered")
          .isEqualTo(owner.engine().store().history(id));
      String task = ownerApi.get("/api/v1/tasks?instanceId=" + id).json().get(0).get("id").asText();
      assertThat(ownerApi.post("/api/v1/tasks/" + task + "/complete", Map.of()).status())
          .isEqualTo(204);
      assertThat(standby.engine().store().instance(id).orElseThrow().summary().state())
          .isEqualTo("COMPLETED");
    }
  }

  /**
   * The outcome of a step another cloud ran arrives on the owner's queue, and so does the standby's
   * acknowledgement of the events it commits: were the outcome applied on the consumer, waiting for
   * that acknowledgement, the consumer would wait for itself (until the sync timeout), and so would
   * every command waiting for an acknowledgement behind it. With one consumer that is certain.
   */
  @Test
  void shouldAnswerCommandsWhileTheOutcomeOfAStepOnAnotherCloudWaitsForTheStandby() {
    CobNode owner = start("private", "node-p", 1);
    start("public-a", "node-a", 1);
    Api ownerApi = new Api(owner.baseUri());
    await("both UP", () -> "UP".equals(CloudNodes.health(ownerApi, "public-a")));
    ownerApi.deploy(
        "remote.bpmn",
        TestModels.process(
            "remote",
            "<startEvent id=\"s\"/>"
                + ThreeClouds.placed("work", "work", "public-a")
                + "<userTask id=\"t\"/><endEvent id=\"e\"/>",
            "s->work",
            "work->t",
            "t->e"));
    String first = ownerApi.start("remote", Map.of()).get("id").asText();
    await(
        "the outcome of the step on public-a is applied",
        () -> ownerApi.get("/api/v1/tasks?instanceId=" + first).json().size() == 1);

    long begin = System.nanoTime();
    ownerApi.start("remote", Map.of());
    Duration took = Duration.ofNanos(System.nanoTime() - begin);
    assertThat(took)
        .as("a start answered while the outcome's acknowledgement was on its way")
        .isLessThan(Replication.SYNC_TIMEOUT.dividedBy(2));
  }
}
