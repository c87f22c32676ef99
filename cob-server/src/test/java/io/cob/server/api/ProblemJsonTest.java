package io.cob.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cob.server.CobNode;
import io.cob.server.support.Api;
import io.cob.server.support.Models;
import io.cob.server.support.TestNode;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every failure is an RFC 9457 problem that names what was wrong, and a refused request changes
 * nothing.
 */
class ProblemJsonTest {
  static CobNode node;
  static Api api;

  @BeforeAll
  static void start() {
    node = TestNode.start();
    api = new Api(node.baseUri());
    api.deploy("p.bpmn", Models.oneJob("probe", "probe-work"));
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  private static JsonNode problem(Api.Res r, int status) {
    assertThat(r.status()).as(r.toString()).isEqualTo(status);
    assertThat(r.contentType()).startsWith("application/problem+json");
    JsonNode p = r.json();
    assertThat(p.get("type").asText()).startsWith("urn:cob:problem:");
    assertThat(p.get("title").asText()).isNotBlank();
    assertThat(p.get("status").asInt()).isEqualTo(status);
    assertThat(p.get("detail").asText()).isNotBlank();
    assertThat(p.get("instance").asText()).startsWith("/");
    return p;
  }

  private static int instanceCount() {
    return api.get("/api/v1/instances?processId=probe").json().get("items").size();
  }

  @Test
  void anUnknownFieldIs400NamingTheFieldAndStartsNothing() {
    int before = instanceCount();
    JsonNode p =
        problem(
            api.post("/api/v1/instances", Map.of("processId", "probe", "varaibles", Map.of())),
            400);
    assertThat(p.get("detail").asText()).contains("'varaibles'");
    assertThat(p.get("errors").get(0).get("field").asText()).isEqualTo("varaibles");
    assertThat(instanceCount()).isEqualTo(before);
  }

  @Test
  void aWrongTypeIs400NamingTheFieldAndTheExpectedType() {
    JsonNode p =
        problem(api.post("/api/v1/instances", Map.of("processId", "probe", "version", "one")), 400);
    assertThat(p.get("errors").get(0).get("field").asText()).isEqualTo("version");
    assertThat(p.get("detail").asText()).contains("whole number");
    JsonNode q =
        problem(
            api.post(
                "/api/v1/jobs/activate",
                Map.of("type", "x", "worker", "w", "maxJobs", "5", "lockDuration", "PT1M")),
            400);
    assertThat(q.get("errors").get(0).get("field").asText()).isEqualTo("maxJobs");
    JsonNode r = problem(api.post("/api/v1/instances", Map.of("processId", 7)), 400);
    assertThat(r.get("errors").get(0).get("field").asText()).isEqualTo("processId");
    JsonNode s =
        problem(
            api.post("/api/v1/instances", Map.of("processId", "probe", "variables", "x=1")), 400);
    assertThat(s.get("errors").get(0).get("field").asText()).isEqualTo("variables");
    JsonNode t =
        problem(
            api.post(
                "/api/v1/jobs/activate",
                Map.of("type", "x", "worker", "w", "maxJobs", 1.5, "lockDuration", "PT1M")),
            400);
    assertThat(t.get("errors").get(0).get("field").asText()).isEqualTo("maxJobs");
  }

  @Test
  void malformedJsonIs400WithLineAndColumn() {
    JsonNode p = problem(api.post("/api/v1/instances", "{\"processId\": \"probe\",\n  oops}"), 400);
    assertThat(p.get("detail").asText()).contains("line 2");
    problem(api.post("/api/v1/instances", "[1, 2]"), 400);
    problem(api.post("/api/v1/instances", "{\"processId\":\"probe\"} trailing"), 400);
    problem(
        api.post("/api/v1/instances", "{\"processId\":\"probe\",\"processId\":\"probe\"}"), 400);
  }

  @Test
  void aMissingBodyIs400() {
    JsonNode p = problem(api.post("/api/v1/instances", "application/json", new byte[0]), 400);
    assertThat(p.get("detail").asText()).contains("body is required");
  }

  @Test
  void aJsonBodyOverOneMebibyteIs413AndStartsNothing() {
    int before = instanceCount();
    String big =
        "{\"processId\":\"probe\",\"variables\":{\"blob\":\"" + "x".repeat((1 << 20) + 10) + "\"}}";
    JsonNode p = problem(api.post("/api/v1/instances", big), 413);
    assertThat(p.get("type").asText()).isEqualTo("urn:cob:problem:payload-too-large");
    assertThat(instanceCount()).isEqualTo(before);
  }

  @Test
  void aBodyOverTheLimitWithoutContentLengthIs413Too() {
    byte[] big =
        ("{\"name\":\"m\",\"variables\":{\"blob\":\"" + "y".repeat((1 << 20) + 10) + "\"}}")
            .getBytes(StandardCharsets.UTF_8);
    Api.Res r =
        api.send(
            HttpRequest.newBuilder(api.base().resolve("/api/v1/messages"))
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofInputStream(
                        () -> new java.io.ByteArrayInputStream(big))));
    problem(r, 413);
  }

  @Test
  void anotherContentTypeIs415() {
    problem(
        api.post(
            "/api/v1/instances", "text/plain", "processId=probe".getBytes(StandardCharsets.UTF_8)),
        415);
  }

  @Test
  void unknownIdsAndPathsAre404AndWrongMethodsAre405() {
    problem(api.get("/api/v1/instances/00000000-0000-0000-0000-000000000000"), 404);
    problem(api.get("/api/v1/nothing-here"), 404);
    problem(api.post("/api/v1/tasks/x:1/complete", Map.of()), 404);
    problem(api.get("/api/v1/processes/unknown/xml"), 404);
    JsonNode p = problem(api.delete("/api/v1/processes"), 405);
    assertThat(p.get("detail").asText()).contains("GET");
  }

  @Test
  void headIsAnsweredLikeGetWithoutBodyOrServerVersion() {
    Api.Res r =
        api.send(
            HttpRequest.newBuilder(api.base().resolve("/health"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()));
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.body()).isEmpty();
  }

  @Test
  void aMalformedKeyIs404NotAServerError() {
    problem(api.post("/api/v1/jobs/no-colon/complete", Map.of()), 404);
  }
}
