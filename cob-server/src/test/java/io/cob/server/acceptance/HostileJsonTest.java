package io.cob.server.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cob.server.CobNode;
import io.cob.server.config.NodeConfig;
import io.cob.server.http.RequestLimits;
import io.cob.server.support.Api;
import io.cob.server.support.InMemoryApi;
import io.cob.server.support.Models;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * JSON built to exhaust a parser (100,000 nested arrays, a string as long as the body allows) and
 * bodies over the limit are answered with a problem naming the limit and the setting that raises
 * it, on every JSON endpoint, never with a 500 or a stack overflow; and nothing is started.
 */
class HostileJsonTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final RequestLimits LIMITS = new RequestLimits(256 * 1024, 20, 1000);
  private static CobNode node;
  private static InMemoryApi api;

  @BeforeAll
  static void start() {
    node =
        CobNode.start(
            NodeConfig.defaults()
                .withHttpPort(0)
                .withStoreUrl("jdbc:h2:mem:json-" + UUID.randomUUID())
                .withRequestLimits(LIMITS));
    new Api(node.baseUri()).deploy("probe.bpmn", Models.oneJob("probe", "probe-work"));
    api = new InMemoryApi(node);
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  private static JsonNode problem(InMemoryApi.Res r, int status) throws IOException {
    assertThat(r.status()).as(r.toString()).isEqualTo(status);
    assertThat(r.contentType()).startsWith("application/problem+json");
    return JSON.readTree(r.body());
  }

  private static int instances() throws IOException {
    return JSON.readTree(api.send("GET", "/api/v1/instances", null, new byte[0]).body())
        .get("items")
        .size();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/api/v1/instances",
        "/api/v1/messages",
        "/api/v1/jobs/activate",
        "/api/v1/jobs/k:1/complete",
        "/api/v1/jobs/k:1/fail",
        "/api/v1/jobs/k:1/error",
        "/api/v1/tasks/t:1/complete",
        "/api/v1/incidents/i:1/retry"
      })
  void shouldRefuseAHundredThousandNestedArraysNamingTheLimit(String path) throws IOException {
    int before = instances();
    String body = "{\"variables\":{\"a\":" + "[".repeat(100_000);

    JsonNode p = problem(api.postJson(path, body), 400);

    assertThat(p.get("type").asText()).isEqualTo("urn:cob:problem:invalid-request");
    assertThat(p.get("detail").asText())
        .isEqualTo(
            "the body exceeds a limit: Document nesting depth (21) exceeds the"
                + " maximum allowed (20, set by node.http.maxJsonDepth)");
    assertThat(instances()).isEqualTo(before);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "[",
        "{\"a\":",
        "[{\"a\":[{\"b\":",
        "{\"processId\":\"probe\",\"variables\":{\"v\":"
      })
  void shouldNeverFailOnDeepNestingOfAnyShape(String unit) throws IOException {
    int before = instances();
    String body = unit.repeat(100_000 / unit.length());

    JsonNode p = problem(api.postJson("/api/v1/instances", body), 400);

    assertThat(p.get("detail").asText()).isNotBlank().doesNotContain("StackOverflow");
    assertThat(instances()).isEqualTo(before);
  }

  @Test
  void shouldStartAnInstanceWhoseVariablesNestExactlyToTheLimit() throws IOException {
    // The body object and "variables" are two levels; the arrays of "v" make up the rest.
    int arrays = LIMITS.maxJsonDepth() - 2;
    String atLimit = "[".repeat(arrays) + "]".repeat(arrays);
    String overLimit = "[" + atLimit + "]";

    InMemoryApi.Res ok =
        api.postJson(
            "/api/v1/instances", "{\"processId\":\"probe\",\"variables\":{\"v\":" + atLimit + "}}");
    InMemoryApi.Res refused =
        api.postJson(
            "/api/v1/instances",
            "{\"processId\":\"probe\",\"variables\":{\"v\":" + overLimit + "}}");

    assertThat(ok.status()).as(ok.toString()).isEqualTo(201);
    assertThat(problem(refused, 400).get("detail").asText())
        .contains("Document nesting depth (21) exceeds the maximum allowed (20");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/api/v1/instances", "/api/v1/messages"})
  void shouldRefuseAStringLongerThanTheLimit(String path) throws IOException {
    String body =
        "{\"name\":\"m\",\"processId\":\"probe\",\"variables\":{\"s\":\""
            + "x".repeat(5000)
            + "\"}}";

    JsonNode p = problem(api.postJson(path, body), 400);

    assertThat(p.get("detail").asText())
        .matches(
            "the body exceeds a limit: String value length \\(\\d+\\)"
                + " exceeds the maximum allowed \\(1000, set by node.http.maxJsonStringLength\\)");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/api/v1/instances", "/api/v1/messages", "/api/v1/jobs/activate"})
  void shouldAnswer413ToABodyOverTheConfiguredLimit(String path) throws IOException {
    int before = instances();
    byte[] huge = ("{\"a\":\"" + "x".repeat(300_000) + "\"}").getBytes(StandardCharsets.UTF_8);

    JsonNode p = problem(api.post(path, "application/json", huge), 413);

    assertThat(p.get("type").asText()).isEqualTo("urn:cob:problem:payload-too-large");
    assertThat(p.get("detail").asText())
        .isEqualTo("the body is larger than the 262144 bytes this endpoint accepts");
    assertThat(instances()).isEqualTo(before);
  }
}
