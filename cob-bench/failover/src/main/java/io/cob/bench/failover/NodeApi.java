package io.cob.bench.failover;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The calls the benchmark makes to one node's REST API. */
final class NodeApi {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final URI base;

  NodeApi(URI base) {
    this.base = base;
  }

  /** Deploys one BPMN document. */
  void deploy(String name, String xml) {
    send(
        HttpRequest.newBuilder(base.resolve("api/v1/deployments?name=" + encode(name)))
            .header("Content-Type", "application/xml")
            .POST(HttpRequest.BodyPublishers.ofString(xml)),
        201);
  }

  /** Starts an instance; answers its id once the node answered 201. */
  String start(String processId, Map<String, Object> variables) {
    return send(
            HttpRequest.newBuilder(base.resolve("api/v1/instances"))
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        write(Map.of("processId", processId, "variables", variables)))),
            201)
        .get("id")
        .asText();
  }

  /** {@code GET /api/v1/clouds}: every cloud as this node sees it. */
  JsonNode clouds() {
    return get("api/v1/clouds");
  }

  /** The health of a cloud as this node reports it, or null when it does not list it. */
  String health(String cloud) {
    for (JsonNode c : clouds()) {
      if (c.path("name").asText().equals(cloud)) {
        return c.path("health").asText(null);
      }
    }
    return null;
  }

  /**
   * The replication lag towards a standby of this node's cloud ({@code replication.lagMs} of that
   * cloud in {@code GET /api/v1/clouds}), or -1 when the node reports none.
   */
  double lagMs(String standby) {
    for (JsonNode c : clouds()) {
      if (c.path("name").asText().equals(standby) && c.path("replication").isObject()) {
        return c.path("replication").path("lagMs").asDouble();
      }
    }
    return -1;
  }

  /**
   * Whether the node holds any instance of a process in a state: one row asked for, so that polling
   * it costs the node little while it is being measured.
   */
  boolean anyInState(String processId, String state) {
    return get("api/v1/instances?processId=" + encode(processId) + "&state=" + state + "&limit=1")
            .path("items")
            .size()
        > 0;
  }

  /**
   * The history of an instance, in order ({@code GET /api/v1/instances/{id}/history}); empty when
   * the node does not know the instance.
   */
  List<JsonNode> history(String instanceId) {
    List<JsonNode> out = new ArrayList<>();
    JsonNode h =
        send(
            HttpRequest.newBuilder(
                    base.resolve("api/v1/instances/" + encode(instanceId) + "/history"))
                .GET(),
            200,
            404);
    if (h.isArray()) {
      h.forEach(out::add);
    }
    return out;
  }

  private JsonNode get(String path) {
    return send(HttpRequest.newBuilder(base.resolve(path)).GET(), 200);
  }

  /** Sends a request; answers the body as JSON when the status is one of {@code expected}. */
  private static JsonNode send(HttpRequest.Builder request, int... expected) {
    HttpRequest r = request.timeout(Duration.ofSeconds(60)).build();
    try {
      HttpResponse<String> response =
          CLIENT.send(r, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      if (java.util.Arrays.stream(expected).noneMatch(s -> s == response.statusCode())) {
        throw new IllegalStateException(
            r.method() + " " + r.uri() + ": " + response.statusCode() + " " + response.body());
      }
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(r.method() + " " + r.uri() + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted: " + r.method() + " " + r.uri(), e);
    }
  }

  private static String write(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
