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

class ProcessStatisticsApiTest {
  static CobNode node;
  static Api api;

  @BeforeAll
  static void start() {
    node = TestNode.start();
    api = new Api(node.baseUri());
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  @Test
  void shouldCountActiveElementInstancesAndIncidentsPerElement() {
    api.deploy("stats.bpmn", Models.oneJob("stats", "stats-work"));
    for (int i = 0; i < 3; i++) {
      api.start("stats", Map.of());
    }
    JsonNode job = api.activate("stats-work", 1, "PT1M").get(0);
    api.post(
        "/api/v1/jobs/" + job.get("key").asText() + "/fail",
        Map.of("retries", 0, "errorMessage", "broken"));
    String done = api.start("stats", Map.of()).get("id").asText();
    api.delete("/api/v1/instances/" + done);

    JsonNode stats = api.get("/api/v1/processes/stats/statistics?version=1").json();

    assertThat(stats.get("processId").asText()).isEqualTo("stats");
    assertThat(stats.get("version").asInt()).isEqualTo(1);
    assertThat(stats.get("instances").asInt()).isEqualTo(3);
    assertThat(stats.get("truncated").asBoolean()).isFalse();
    assertThat(stats.get("elements")).hasSize(1);
    JsonNode work = stats.get("elements").get(0);
    assertThat(work.get("elementId").asText()).isEqualTo("work");
    assertThat(work.get("active").asInt()).isEqualTo(3);
    assertThat(work.get("incidents").asInt()).isEqualTo(1);
  }

  @Test
  void shouldCountOnlyTheAskedVersionOrAllVersions() {
    api.deploy("versions.bpmn", Models.userTask("versions", null, null));
    api.start("versions", Map.of());
    api.deploy("versions.bpmn", Models.oneJob("versions", "versions-work"));
    api.start("versions", Map.of());

    JsonNode v1 = api.get("/api/v1/processes/versions/statistics?version=1").json();
    JsonNode all = api.get("/api/v1/processes/versions/statistics").json();

    assertThat(v1.get("instances").asInt()).isEqualTo(1);
    assertThat(v1.get("elements").findValuesAsText("elementId")).containsExactly("task");
    assertThat(all.get("version").isNull()).isTrue();
    assertThat(all.get("instances").asInt()).isEqualTo(2);
    assertThat(all.get("elements").findValuesAsText("elementId")).containsExactly("task", "work");
  }

  @Test
  void shouldAnswer404ForAProcessOrVersionNotDeployed() {
    api.deploy("known.bpmn", Models.userTask("known", null, null));

    Api.Res unknown = api.get("/api/v1/processes/nope/statistics");
    Api.Res noVersion = api.get("/api/v1/processes/known/statistics?version=9");

    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.json().get("detail").asText()).contains("process 'nope' is not deployed");
    assertThat(noVersion.status()).isEqualTo(404);
    assertThat(noVersion.json().get("detail").asText()).contains("version 9");
  }
}
