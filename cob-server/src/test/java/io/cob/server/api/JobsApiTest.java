package io.cob.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cob.engine.TestModels;
import io.cob.server.CobNode;
import io.cob.server.support.Api;
import io.cob.server.support.Models;
import io.cob.server.support.TestNode;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class JobsApiTest {
  static CobNode node;
  static Api api;

  @BeforeAll
  static void start() {
    node = TestNode.start();
    api = new Api(node.baseUri());
    api.deploy(
        "ship.bpmn",
        TestModels.process(
            "ship",
            "<startEvent id=\"start\"/>"
                + "<serviceTask id=\"work\"><extensionElements><zeebe:taskDefinition type=\"ship\" retries=\"3\"/>"
                + "<zeebe:taskHeaders><zeebe:header key=\"carrier\" value=\"dhl\"/></zeebe:taskHeaders></extensionElements></serviceTask>"
                + "<endEvent id=\"end\"/>",
            "start->work",
            "work->end"));
    api.deploy("poll.bpmn", Models.oneJob("poll", "poll-work"));
    api.deploy(
        "err.bpmn",
        TestModels.process(
                "err",
                "<startEvent id=\"start\"/>"
                    + TestModels.serviceTask("work", "err-work")
                    + "<boundaryEvent id=\"caught\" attachedToRef=\"work\"><errorEventDefinition errorRef=\"e1\"/></boundaryEvent>"
                    + "<endEvent id=\"ok\"/><endEvent id=\"handled\"/>",
                "start->work",
                "work->ok",
                "caught->handled")
            .replace(
                "</definitions>", "<error id=\"e1\" errorCode=\"OUT_OF_STOCK\"/></definitions>"));
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  @Test
  void activateHandsOutTheJobWithVariablesHeadersAndAStableIdempotencyKey() {
    String id = api.start("ship", Map.of("orderId", "O-1")).get("id").asText();

    JsonNode jobs = api.activate("ship", 5, "PT1M");

    assertThat(jobs).hasSize(1);
    JsonNode j = jobs.get(0);
    assertThat(j.fieldNames())
        .toIterable()
        .containsExactly(
            "key",
            "type",
            "instanceId",
            "elementId",
            "retries",
            "variables",
            "headers",
            "idempotencyKey");
    assertThat(j.get("key").asText()).startsWith(id + ":");
    assertThat(j.get("type").asText()).isEqualTo("ship");
    assertThat(j.get("instanceId").asText()).isEqualTo(id);
    assertThat(j.get("elementId").asText()).isEqualTo("work");
    assertThat(j.get("retries").asInt()).isEqualTo(3);
    assertThat(j.get("variables").get("orderId").asText()).isEqualTo("O-1");
    assertThat(j.get("headers").get("carrier").asText()).isEqualTo("dhl");
    assertThat(j.get("idempotencyKey").asText()).startsWith(id + ":");
    assertThat(api.activate("ship", 5, "PT1M"))
        .as("a locked job is not handed out twice")
        .isEmpty();

    assertThat(
            api.post(
                    "/api/v1/jobs/" + j.get("key").asText() + "/complete",
                    Map.of("variables", Map.of("tracking", "Z-1")))
                .status())
        .isEqualTo(204);
    JsonNode i = api.instance(id);
    assertThat(i.get("state").asText()).isEqualTo("COMPLETED");
    assertThat(i.get("variables").get("tracking").asText()).isEqualTo("Z-1");
    assertThat(api.post("/api/v1/jobs/" + j.get("key").asText() + "/complete", Map.of()).status())
        .isEqualTo(404);
  }

  @Test
  void aJobWhoseLockExpiredIsHandedOutAgainWithTheSameIdempotencyKey() {
    api.start("ship", Map.of());
    JsonNode first = api.activate("ship", 1, "PT1S").get(0);

    api.post("/api/v1/clock/advance", Map.of("duration", "PT2S"));
    JsonNode again = api.activate("ship", 1, "PT1M").get(0);

    assertThat(again.get("key").asText()).isEqualTo(first.get("key").asText());
    assertThat(again.get("idempotencyKey").asText())
        .isEqualTo(first.get("idempotencyKey").asText());
    api.post("/api/v1/jobs/" + again.get("key").asText() + "/complete", Map.of());
  }

  @Test
  void longPollWaitsUntilAJobAppears() throws Exception {
    CompletableFuture<Api.Res> poll =
        CompletableFuture.supplyAsync(
            () ->
                api.post(
                    "/api/v1/jobs/activate",
                    Map.of(
                        "type",
                        "poll-work",
                        "worker",
                        "w",
                        "maxJobs",
                        1,
                        "lockDuration",
                        "PT1M",
                        "requestTimeout",
                        "PT20S")));
    Thread.sleep(300);
    assertThat(poll).isNotDone();
    long begin = System.nanoTime();

    String id = api.start("poll", Map.of()).get("id").asText();

    Api.Res r = poll.get(10, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(Duration.ofNanos(System.nanoTime() - begin)).isLessThan(Duration.ofSeconds(5));
    assertThat(r.json().get(0).get("instanceId").asText()).isEqualTo(id);
  }

  @Test
  void longPollAnswersAnEmptyListWhenTheRequestTimeoutPasses() {
    long begin = System.nanoTime();
    Api.Res r =
        api.post(
            "/api/v1/jobs/activate",
            Map.of(
                "type",
                "nobody-makes-these",
                "worker",
                "w",
                "maxJobs",
                1,
                "lockDuration",
                1000,
                "requestTimeout",
                400));
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json()).isEmpty();
    assertThat(Duration.ofNanos(System.nanoTime() - begin))
        .isGreaterThanOrEqualTo(Duration.ofMillis(380));
  }

  @Test
  void failWithRetriesLeftRunsTheJobAgainAfterTheBackoffAndWithoutRetriesRaisesAnIncident() {
    String id = api.start("ship", Map.of()).get("id").asText();
    JsonNode job = api.activate("ship", 1, "PT1M").get(0);
    String key = job.get("key").asText();

    assertThat(
            api.post(
                    "/api/v1/jobs/" + key + "/fail",
                    Map.of("retries", 1, "errorMessage", "carrier down", "retryBackoff", "PT10M"))
                .status())
        .isEqualTo(204);
    assertThat(api.activate("ship", 1, "PT1M")).as("not before the back-off").isEmpty();
    api.post("/api/v1/clock/advance", Map.of("duration", "PT11M"));
    JsonNode retry = api.activate("ship", 1, "PT1M").get(0);
    assertThat(retry.get("key").asText()).isEqualTo(key);
    assertThat(retry.get("retries").asInt()).isEqualTo(1);

    api.post("/api/v1/jobs/" + key + "/fail", Map.of("retries", 0, "errorMessage", "carrier gone"));

    JsonNode i = api.instance(id);
    assertThat(i.get("state").asText()).isEqualTo("INCIDENT");
    assertThat(i.get("incidents").get(0).get("message").asText()).contains("carrier gone");
    assertThat(i.get("incidents").get(0).get("jobKey").asText()).isEqualTo(key);
  }

  @Test
  void aBpmnErrorIsCaughtByTheErrorBoundaryEvent() {
    String id = api.start("err", Map.of()).get("id").asText();
    String key = api.activate("err-work", 1, "PT1M").get(0).get("key").asText();

    Api.Res r =
        api.post(
            "/api/v1/jobs/" + key + "/error",
            Map.of(
                "errorCode",
                "OUT_OF_STOCK",
                "errorMessage",
                "none left",
                "variables",
                Map.of("restock", "soon")));

    assertThat(r.status()).isEqualTo(204);
    JsonNode history = api.get("/api/v1/instances/" + id + "/history").json();
    assertThat(history.findValuesAsText("elementId"))
        .contains("caught", "handled")
        .doesNotContain("ok");
    assertThat(api.instance(id).get("state").asText()).isEqualTo("COMPLETED");
  }

  @Test
  void refusesActivationWithMissingOrWrongFields() {
    Api.Res missing =
        api.post("/api/v1/jobs/activate", Map.of("type", "x", "worker", "w", "maxJobs", 1));
    assertThat(missing.status()).isEqualTo(400);
    assertThat(missing.json().get("errors").get(0).get("field").asText()).isEqualTo("lockDuration");
    Api.Res tooLong =
        api.post(
            "/api/v1/jobs/activate",
            Map.of(
                "type",
                "x",
                "worker",
                "w",
                "maxJobs",
                1,
                "lockDuration",
                "PT1M",
                "requestTimeout",
                "PT2M"));
    assertThat(tooLong.status()).isEqualTo(400);
    assertThat(tooLong.json().get("errors").get(0).get("field").asText())
        .isEqualTo("requestTimeout");
    Api.Res zero =
        api.post(
            "/api/v1/jobs/activate",
            Map.of("type", "x", "worker", "w", "maxJobs", 0, "lockDuration", "PT1M"));
    assertThat(zero.json().get("errors").get(0).get("field").asText()).isEqualTo("maxJobs");
  }

  @Test
  void reportsForUnknownJobsAre404() {
    assertThat(api.post("/api/v1/jobs/nope:1/complete", Map.of()).status()).isEqualTo(404);
    assertThat(
            api.post("/api/v1/jobs/nope:1/fail", Map.of("retries", 0, "errorMessage", "x"))
                .status())
        .isEqualTo(404);
    assertThat(api.post("/api/v1/jobs/nope:1/error", Map.of("errorCode", "E")).status())
        .isEqualTo(404);
  }
}
