package io.cob.server.support;

import com.fasterxml.jackson.databind.JsonNode;
import io.cob.engine.TestModels;
import io.cob.server.config.CloudConfig;
import io.cob.server.config.NodeConfig;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Three clouds for cross-cloud step tests: {@code private} (the owner in these tests), {@code
 * public-a} (the cheapest) and {@code public-b}; and a process whose steps are placed in all three.
 */
public final class ThreeClouds {
  public static final List<String> NAMES = List.of("private", "public-a", "public-b");

  private ThreeClouds() {}

  /** The clouds of {@link CloudNodes#clouds()} and {@code public-b} (aws, eu-central, eu). */
  public static Map<String, CloudConfig> clouds() {
    Map<String, CloudConfig> clouds = new LinkedHashMap<>(CloudNodes.clouds());
    clouds.put(
        "public-b",
        new CloudConfig(
            "aws",
            "eu-central",
            List.of("eu"),
            new BigDecimal("0.002"),
            null,
            new BigDecimal("99.9")));
    return clouds;
  }

  /** A node of {@code cloud} on {@code busUrl} knowing the three clouds (fast heartbeats). */
  public static NodeConfig config(String busUrl, String cloud, String nodeId) {
    return CloudNodes.config(busUrl, cloud, nodeId).withClouds(clouds());
  }

  /**
   * start → {@code a} on private → {@code b} on public-a → {@code c} on public-b → end; every step
   * a job of {@code type}.
   */
  public static String tour(String processId, String type) {
    return TestModels.process(
        processId,
        "<startEvent id=\"start\"/>"
            + placed("a", type, "private")
            + placed("b", type, "public-a")
            + placed("c", type, "public-b")
            + "<endEvent id=\"end\"/>",
        "start->a",
        "a->b",
        "b->c",
        "c->end");
  }

  /** A service task of {@code type} with {@code cob:cloud}. */
  public static String placed(String id, String type, String cloud) {
    return TestModels.serviceTask(id, type)
        .replace(
            "<serviceTask id=\"" + id + "\"",
            "<serviceTask id=\"" + id + "\" cob:cloud=\"" + cloud + "\"");
  }

  /** The history items of an instance of that type, in order. */
  public static List<JsonNode> items(Api api, String instanceId, String type) {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode e : api.get("/api/v1/instances/" + instanceId + "/history").json()) {
      if (e.get("type").asText().equals(type)) {
        out.add(e);
      }
    }
    return out;
  }

  /** The {@code JobRanRemotely} item of a step, or {@code null}. */
  public static JsonNode ranRemotely(Api api, String instanceId, String elementId) {
    for (JsonNode e : items(api, instanceId, "JobRanRemotely")) {
      if (e.get("elementId").asText().equals(elementId)) {
        return e;
      }
    }
    return null;
  }
}
