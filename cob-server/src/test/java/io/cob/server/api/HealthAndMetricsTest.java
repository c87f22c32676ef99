package io.cob.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.cob.server.CobNode;
import io.cob.server.support.Api;
import io.cob.server.support.Models;
import io.cob.server.support.TestNode;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class HealthAndMetricsTest {
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
  void healthIsUpWhenTheStoreAnswers() {
    Api.Res r = api.get("/health");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().get("status").asText()).isEqualTo("UP");
    assertThat(r.json().get("store").asText()).isEqualTo("UP");
    assertThat(r.json().get("node").asText()).isEqualTo("node-1");
  }

  @Test
  void healthIsDownWithAProblemWhenTheStoreIsGone() {
    CobNode other = TestNode.start();
    try {
      other.engine().store().close();
      Api.Res r = new Api(other.baseUri()).get("/health");
      assertThat(r.status()).isEqualTo(503);
      assertThat(r.contentType()).startsWith("application/problem+json");
      assertThat(r.json().get("store").asText()).isEqualTo("DOWN");
      assertThat(r.json().get("status").asInt()).isEqualTo(503);
    } finally {
      other.close();
    }
  }

  @Test
  void metricsCountInstancesJobsIncidentsAndCommandLatencyInPrometheusFormat() {
    api.deploy("m.bpmn", Models.oneJob("metered", "meter-work"));
    String id = api.start("metered", Map.of()).get("id").asText();
    String key = api.activate("meter-work", 1, "PT1M").get(0).get("key").asText();
    assertThat(api.post("/api/v1/jobs/" + key + "/complete", Map.of()).status()).isEqualTo(204);
    String id2 = api.start("metered", Map.of()).get("id").asText();
    String key2 = api.activate("meter-work", 1, "PT1M").get(0).get("key").asText();
    api.post("/api/v1/jobs/" + key2 + "/fail", Map.of("retries", 0, "errorMessage", "broken"));

    Api.Res r = api.get("/metrics");

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.contentType()).startsWith("text/plain");
    assertThat(r.body())
        .containsPattern("cob_instances_started_total\\{[^}]*} 2.0")
        .containsPattern("cob_instances_completed_total\\{[^}]*} 1.0")
        .containsPattern("cob_jobs_activated_total\\{[^}]*} 2.0")
        .containsPattern("cob_jobs_completed_total\\{[^}]*} 1.0")
        .containsPattern("cob_jobs_failed_total\\{[^}]*} 1.0")
        .containsPattern("cob_incidents_open\\{[^}]*} 1.0")
        .contains("cob_command_latency_seconds_count{")
        .contains("command=\"completeJob\"")
        .contains("cob_http_requests_seconds_count{");
    assertThat(id).isNotEqualTo(id2);
  }
}
