package io.cob.server.clouds;

import static io.cob.server.support.CloudNodes.await;
import static io.cob.server.support.CloudNodes.health;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cob.bus.memory.MemoryBrokers;
import io.cob.bus.memory.MemoryBus;
import io.cob.bus.topology.CloudHealth;
import io.cob.engine.TestModels;
import io.cob.server.CobNode;
import io.cob.server.support.Api;
import io.cob.server.support.CloudNodes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The node's engine places steps by the clouds the bus shows, and places a job again when the cloud
 * it was sent to goes DOWN, but not while it is the node itself that is cut off from the bus.
 */
class JobsPlacedAgainWhenACloudGoesDownIT {
  private final List<CobNode> nodes = new ArrayList<>();

  @AfterEach
  void stop() {
    nodes.forEach(CobNode::close);
  }

  private final String bus = CloudNodes.privateMemoryBus();
  private CobNode owner;
  private CobNode cheap;
  private Api api;

  /** Two clouds; a job placed by {@code prefer=cheapest} on public-a; returns the instance id. */
  private String jobOnPublicA() {
    owner = start("private", "node-p");
    cheap = start("public-a", "node-a");
    api = new Api(owner.baseUri());
    await("public-a is UP", () -> "UP".equals(health(api, "public-a")));
    api.deploy(
        "cheap.bpmn",
        TestModels.process(
            "cheap",
            "<startEvent id=\"start\"/>"
                + TestModels.serviceTask("work", "work")
                    .replace(
                        "<serviceTask id=\"work\"",
                        "<serviceTask id=\"work\" " + "cob:placement=\"prefer=cheapest\"")
                + "<endEvent id=\"end\"/>",
            "start->work",
            "work->end"));
    String id = api.start("cheap", Map.of()).get("id").asText();
    assertThat(placements(api, id)).containsExactly("public-a");
    return id;
  }

  private CobNode start(String cloud, String nodeId) {
    CobNode node = CobNode.start(CloudNodes.config(bus, cloud, nodeId));
    nodes.add(node);
    return node;
  }

  @Test
  void shouldPlaceAJobOnTheCheapestUpCloudAndAgainWhenThatCloudGoesDown() {
    String id = jobOnPublicA();

    cheap.close();
    nodes.remove(cheap);

    await("the job is placed again", () -> placements(api, id).size() == 2);
    assertThat(placements(api, id)).containsExactly("public-a", "private");
  }

  @Test
  void shouldNotPlaceJobsAgainWhileThisNodeIsTheOneCutOff() {
    String id = jobOnPublicA();
    MemoryBus broker = MemoryBrokers.find(bus.substring("memory:".length())).orElseThrow();

    broker.disconnect("private");
    await(
        "public-a looks DOWN from the cut-off node",
        () -> owner.bus().topology().health("public-a") == CloudHealth.DOWN);
    await("the replacer waits", () -> owner.replacer().pending().contains("public-a"));
    broker.reconnect("private");
    await("public-a is UP again", () -> "UP".equals(health(api, "public-a")));
    await("the replacer dropped it", () -> owner.replacer().pending().isEmpty());

    assertThat(placements(api, id)).containsExactly("public-a");
  }

  private static List<String> placements(Api api, String instanceId) {
    List<String> clouds = new ArrayList<>();
    for (JsonNode e : api.get("/api/v1/instances/" + instanceId + "/history").json()) {
      if (e.get("type").asText().equals("StepPlaced")) {
        clouds.add(e.get("data").get("cloud").asText());
      }
    }
    return clouds;
  }
}
