package io.cob.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cob.server.CobNode;
import io.cob.server.support.Api;
import io.cob.server.support.Models;
import io.cob.server.support.TestNode;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class IncidentsApiTest {
  static CobNode node;
  static Api api;

  @BeforeAll
  static void start() {
    node = TestNode.start();
    api = new Api(node.baseUri());
    api.deploy("fragile.bpmn", Models.oneJob("fragile", "fragile-work"));
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  private String failForGood(String instanceId) {
    JsonNode job = api.activate("fragile-work", 1, "PT1M").get(0);
    assertThat(job.get("instanceId").asText()).isEqualTo(instanceId);
    api.post(
        "/api/v1/jobs/" + job.get("key").asText() + "/fail",
        Map.of("retries", 0, "errorMessage", "disk full"));
    return job.get("key").asText();
  }

  @Test
  void listsOpenIncidentsOfAllInstancesOrOfOne() {
    String a = api.start("fragile", Map.of()).get("id").asText();
    String jobKey = failForGood(a);
    String b = api.start("fragile", Map.of()).get("id").asText();
    failForGood(b);

    JsonNode ofA = api.get("/api/v1/incidents?instanceId=" + a).json();

    assertThat(ofA).hasSize(1);
    JsonNode inc = ofA.get(0);
    assertThat(inc.fieldNames())
        .toIterable()
        .containsSubsequence("id", "instanceId", "elementId", "jobKey", "message", "createdAt");
    assertThat(inc.get("id").asText()).startsWith(a + ":");
    assertThat(inc.get("elementId").asText()).isEqualTo("work");
    assertThat(inc.get("jobKey").asText()).isEqualTo(jobKey);
    assertThat(inc.get("message").asText()).contains("disk full");
    assertThat(api.get("/api/v1/incidents").json().findValuesAsText("instanceId")).contains(a, b);
    assertThat(
            api.get("/api/v1/instances?state=INCIDENT").json().get("items").findValuesAsText("id"))
        .contains(a, b);
  }

  @Test
  void retryResolvesTheIncidentAndTheJobRunsAgain() {
    String id = api.start("fragile", Map.of()).get("id").asText();
    failForGood(id);
    String incident =
        api.get("/api/v1/incidents?instanceId=" + id).json().get(0).get("id").asText();

    Api.Res r = api.post("/api/v1/incidents/" + incident + "/retry", Map.of("retries", 2));

    assertThat(r.status()).isEqualTo(204);
    assertThat(api.get("/api/v1/incidents?instanceId=" + id).json()).isEmpty();
    assertThat(api.instance(id).get("state").asText()).isEqualTo("ACTIVE");
    JsonNode job = api.activate("fragile-work", 1, "PT1M").get(0);
    assertThat(job.get("retries").asInt()).isEqualTo(2);
    api.post("/api/v1/jobs/" + job.get("key").asText() + "/complete", Map.of());
    assertThat(api.instance(id).get("state").asText()).isEqualTo("COMPLETED");
    assertThat(api.post("/api/v1/incidents/" + incident + "/retry", Map.of()).status())
        .isEqualTo(404);
  }

  @Test
  void retryOfAnUnknownIncidentIs404() {
    assertThat(
            api.post("/api/v1/incidents/nothing:1/retry", "application/json", new byte[0]).status())
        .isEqualTo(404);
    assertThat(api.post("/api/v1/incidents/garbage/retry", Map.of()).status()).isEqualTo(404);
  }
}
