package io.cob.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cob.engine.TestModels;
import io.cob.server.support.Api;
import io.cob.server.support.NodeProcess;
import io.cob.server.support.PostgresSchema;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two cob nodes, each in a JVM of its own, on one PostgreSQL schema: they share the work, a node
 * killed with SIGKILL while its worker holds jobs loses none of them, and commands for one instance
 * sent to both nodes at once are each applied exactly once.
 */
class TwoNodesOnPostgresIT {
  private PostgresSchema db;
  private NodeProcess a;
  private NodeProcess b;

  @BeforeEach
  void start() throws Exception {
    db = PostgresSchema.create();
    a = NodeProcess.start("node-a", db.jdbcUrl());
    b = NodeProcess.start("node-b", db.jdbcUrl());
  }

  @AfterEach
  void stop() throws Exception {
    if (a != null) {
      a.close();
    }
    if (b != null) {
      b.close();
    }
    if (db != null) {
      db.close();
    }
  }

  @Test
  void everyInstanceCompletesOnTheOtherNodeAfterOneIsKilledHoldingActivatedJobs() throws Exception {
    a.api()
        .deploy(
            "pay.bpmn",
            TestModels.process(
                "pay",
                "<startEvent id=\"start\"/>"
                    + TestModels.serviceTask("charge", "charge")
                    + "<intermediateCatchEvent id=\"pause\"><timerEventDefinition><timeDuration>PT1S</timeDuration>"
                    + "</timerEventDefinition></intermediateCatchEvent>"
                    + TestModels.serviceTask("receipt", "receipt")
                    + "<endEvent id=\"end\"/>",
                "start->charge",
                "charge->pause",
                "pause->receipt",
                "receipt->end"));
    int n = 12;
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ids.add((i % 2 == 0 ? a : b).api().start("pay", Map.of("i", i)).get("id").asText());
    }

    // A worker takes jobs through node a with a short lock; node a dies before they are reported.
    JsonNode held = a.api().activate("charge", 6, "PT2S");
    assertThat(held).hasSize(6);
    Map<String, String> idempotencyOfHeld = new HashMap<>();
    held.forEach(
        j -> idempotencyOfHeld.put(j.get("key").asText(), j.get("idempotencyKey").asText()));
    a.kill();

    // The worker carries on against node b alone.
    Map<String, String> seenIdempotency = new HashMap<>();
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (completed(b.api(), ids) < n && System.nanoTime() < deadline) {
      for (String type : List.of("charge", "receipt")) {
        JsonNode jobs =
            b.api()
                .post(
                    "/api/v1/jobs/activate",
                    Map.of(
                        "type",
                        type,
                        "worker",
                        "w-b",
                        "maxJobs",
                        20,
                        "lockDuration",
                        "PT30S",
                        "requestTimeout",
                        500))
                .json();
        for (JsonNode j : jobs) {
          String previous =
              seenIdempotency.put(j.get("key").asText(), j.get("idempotencyKey").asText());
          assertThat(previous == null || previous.equals(j.get("idempotencyKey").asText()))
              .isTrue();
          Api.Res done =
              b.api()
                  .post(
                      "/api/v1/jobs/" + j.get("key").asText() + "/complete",
                      Map.of("variables", Map.of(type + "By", "w-b")));
          assertThat(done.status()).as(done.toString()).isEqualTo(204);
        }
      }
    }

    assertThat(completed(b.api(), ids))
        .as("instances completed via node b\n" + b.log())
        .isEqualTo(n);
    idempotencyOfHeld.forEach(
        (key, idem) ->
            assertThat(seenIdempotency.get(key))
                .as("job " + key + " came back with its idempotency key")
                .isEqualTo(idem));
    for (String id : ids) {
      List<String> types =
          b.api().get("/api/v1/instances/" + id + "/history").json().findValuesAsText("type");
      assertThat(types.stream().filter("JobCompleted"::equals).count()).as(id).isEqualTo(2);
      assertThat(types.stream().filter("TimerTriggered"::equals).count()).as(id).isEqualTo(1);
      assertThat(types.stream().filter("InstanceEnded"::equals).count()).as(id).isEqualTo(1);
    }
  }

  @Test
  void commandsForOneInstanceSentToBothNodesAtOnceAreEachAppliedOnce() throws Exception {
    int branches = 6;
    StringBuilder nodes =
        new StringBuilder(
            "<startEvent id=\"start\"/><parallelGateway id=\"fork\"/>"
                + "<parallelGateway id=\"join\"/><endEvent id=\"end\"/>");
    List<String> flows = new ArrayList<>(List.of("start->fork", "join->end"));
    for (int i = 0; i < branches; i++) {
      nodes.append(TestModels.serviceTask("t" + i, "par"));
      flows.add("fork->t" + i);
      flows.add("t" + i + "->join");
    }
    for (String m : List.of("m1", "m2")) {
      nodes
          .append("<intermediateCatchEvent id=\"")
          .append(m)
          .append("\"><messageEventDefinition messageRef=\"msg-")
          .append(m)
          .append("\"/></intermediateCatchEvent>");
      flows.add("fork->" + m);
      flows.add(m + "->join");
    }
    String xml =
        TestModels.process("par", nodes.toString(), flows.toArray(String[]::new))
            .replace(
                "</definitions>",
                "<message id=\"msg-m1\" name=\"m1\"><extensionElements><zeebe:subscription correlationKey=\"=key\"/></extensionElements></message>"
                    + "<message id=\"msg-m2\" name=\"m2\"><extensionElements><zeebe:subscription correlationKey=\"=key\"/></extensionElements></message>"
                    + "</definitions>");
    b.api().deploy("par.bpmn", xml);
    int instances = 4;
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < instances; i++) {
      ids.add((i % 2 == 0 ? a : b).api().start("par", Map.of("key", "k" + i)).get("id").asText());
    }
    JsonNode jobs = a.api().activate("par", 100, "PT5M");
    assertThat(jobs).hasSize(instances * branches);

    // Every report at once, spread over both nodes.
    List<Api.Res> answers = new ArrayList<>();
    Map<String, Integer> correlated = new ConcurrentHashMap<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(16)) {
      List<Future<Api.Res>> futures = new ArrayList<>();
      int n = 0;
      for (JsonNode j : jobs) {
        Api target = (n++ % 2 == 0 ? a : b).api();
        futures.add(
            pool.submit(
                () ->
                    target.post(
                        "/api/v1/jobs/" + j.get("key").asText() + "/complete",
                        Map.of("variables", Map.of("from-" + j.get("elementId").asText(), true)))));
      }
      for (int i = 0; i < instances; i++) {
        for (String m : List.of("m1", "m2")) {
          Api target = (n++ % 2 == 0 ? a : b).api();
          String key = "k" + i;
          futures.add(
              pool.submit(
                  () -> {
                    Api.Res r =
                        target.post("/api/v1/messages", Map.of("name", m, "correlationKey", key));
                    r.json()
                        .get("correlated")
                        .forEach(c -> correlated.merge(c.asText() + "/" + m, 1, Integer::sum));
                    return r;
                  }));
        }
      }
      for (Future<Api.Res> f : futures) {
        answers.add(f.get());
      }
    }

    assertThat(answers).allSatisfy(r -> assertThat(r.status()).as(r.toString()).isIn(200, 204));
    assertThat(correlated)
        .hasSize(instances * 2)
        .allSatisfy((k, v) -> assertThat(v).as(k).isEqualTo(1));
    for (String id : ids) {
      JsonNode instance = a.api().instance(id);
      assertThat(instance.get("state").asText()).as(id).isEqualTo("COMPLETED");
      for (int i = 0; i < branches; i++) {
        assertThat(instance.get("variables").get("from-t" + i).asBoolean()).isTrue();
      }
      JsonNode history = b.api().get("/api/v1/instances/" + id + "/history").json();
      List<String> types = history.findValuesAsText("type");
      assertThat(types.stream().filter("JobCompleted"::equals).count()).isEqualTo(branches);
      assertThat(types.stream().filter("MessageCorrelated"::equals).count()).isEqualTo(2);
      assertThat(types.stream().filter("InstanceEnded"::equals).count()).isEqualTo(1);
      for (int s = 0; s < history.size(); s++) {
        assertThat(history.get(s).get("seq").asLong()).isEqualTo(s + 1);
      }
    }
  }

  @Test
  void aNodeWhoseCopyOfAnInstanceIsOutdatedAcceptsReportsForWorkTheOtherNodeCreated() {
    a.api()
        .deploy(
            "two-steps.bpmn",
            TestModels.process(
                "two-steps",
                "<startEvent id=\"start\"/>"
                    + TestModels.serviceTask("first", "step")
                    + TestModels.serviceTask("second", "step")
                    + "<endEvent id=\"end\"/>",
                "start->first",
                "first->second",
                "second->end"));
    String id = a.api().start("two-steps", Map.of()).get("id").asText(); // node a now holds a copy

    String first = b.api().activate("step", 1, "PT1M").get(0).get("key").asText();
    assertThat(b.api().post("/api/v1/jobs/" + first + "/complete", Map.of()).status())
        .isEqualTo(204);
    String second = a.api().activate("step", 1, "PT1M").get(0).get("key").asText();
    Api.Res r = a.api().post("/api/v1/jobs/" + second + "/complete", Map.of());

    assertThat(r.status()).as(r.toString()).isEqualTo(204);
    assertThat(a.api().instance(id).get("state").asText()).isEqualTo("COMPLETED");

    // A version deployed through node b is the latest on node a too.
    b.api()
        .deploy(
            "two-steps.bpmn",
            TestModels.process(
                "two-steps", "<startEvent id=\"start\"/><endEvent id=\"end\"/>", "start->end"));
    JsonNode started = a.api().start("two-steps", Map.of());
    assertThat(started.get("version").asInt()).isEqualTo(2);
    assertThat(started.get("state").asText()).isEqualTo("COMPLETED");
  }

  private static int completed(Api api, List<String> ids) {
    int done = 0;
    for (String id : ids) {
      if (api.instance(id).get("state").asText().equals("COMPLETED")) {
        done++;
      }
    }
    return done;
  }
}
