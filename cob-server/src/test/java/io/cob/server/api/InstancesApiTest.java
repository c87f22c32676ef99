package io.cob.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cob.server.CobNode;
import io.cob.server.support.Api;
import io.cob.server.support.Models;
import io.cob.server.support.TestNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class InstancesApiTest {
  static CobNode node;
  static Api api;

  @BeforeAll
  static void start() {
    node = TestNode.start();
    api = new Api(node.baseUri());
    api.deploy("inst.bpmn", Models.oneJob("inst", "inst-work"));
    api.deploy("paged.bpmn", Models.oneJob("paged", "paged-work"));
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  @Test
  void startAnswers201WithTheInstanceInTheDocumentedShape() {
    Api.Res r =
        api.post(
            "/api/v1/instances",
            Map.of(
                "processId",
                "inst",
                "variables",
                Map.of("amount", 12.5, "n", 3),
                "businessKey",
                "B-1"));

    assertThat(r.status()).isEqualTo(201);
    JsonNode i = r.json();
    assertThat(i.fieldNames())
        .toIterable()
        .containsSubsequence(
            "id",
            "processId",
            "version",
            "businessKey",
            "state",
            "variables",
            "activeElements",
            "incidents",
            "ownerCloud",
            "epoch",
            "startedAt",
            "endedAt");
    assertThat(i.get("processId").asText()).isEqualTo("inst");
    assertThat(i.get("version").asInt()).isEqualTo(1);
    assertThat(i.get("businessKey").asText()).isEqualTo("B-1");
    assertThat(i.get("state").asText()).isEqualTo("ACTIVE");
    assertThat(i.get("variables").get("amount").decimalValue()).isEqualByComparingTo("12.5");
    assertThat(i.get("variables").get("n").asLong()).isEqualTo(3);
    assertThat(i.get("activeElements").get(0).get("elementId").asText()).isEqualTo("work");
    assertThat(i.get("activeElements").get(0).get("elementType").asText()).isEqualTo("serviceTask");
    assertThat(i.get("activeElements").get(0).get("cloud").asText()).isEqualTo("local");
    assertThat(i.get("ownerCloud").asText()).isEqualTo("local");
    assertThat(i.get("endedAt").isNull()).isTrue();
    assertThat(api.instance(i.get("id").asText())).isEqualTo(i);
  }

  @Test
  void startOfAnUnknownProcessIs404AndStartsNothing() {
    Api.Res r = api.post("/api/v1/instances", Map.of("processId", "nope"));
    assertThat(r.status()).isEqualTo(404);
    assertThat(r.json().get("detail").asText()).contains("'nope'");
    assertThat(api.get("/api/v1/instances?processId=nope").json().get("items")).isEmpty();
  }

  @Test
  void getOfAnUnknownInstanceIs404() {
    Api.Res r = api.get("/api/v1/instances/no-such-instance");
    assertThat(r.status()).isEqualTo(404);
    assertThat(r.json().get("instance").asText()).isEqualTo("/api/v1/instances/no-such-instance");
  }

  @Test
  void listFiltersByStateProcessAndBusinessKeyAndPagesById() {
    List<String> ids = new ArrayList<>();
    for (int n = 0; n < 5; n++) {
      ids.add(
          api.post("/api/v1/instances", Map.of("processId", "paged", "businessKey", "page-" + n))
              .json()
              .get("id")
              .asText());
    }
    String done = ids.get(0);
    String key = api.activate("paged-work", 1, "PT1M").get(0).get("key").asText();
    api.post("/api/v1/jobs/" + key + "/complete", Map.of());
    String completedId = key.substring(0, key.lastIndexOf(':'));

    List<String> seen = new ArrayList<>();
    String after = null;
    int pages = 0;
    do {
      JsonNode page =
          api.get(
                  "/api/v1/instances?processId=paged&limit=2"
                      + (after == null ? "" : "&after=" + after))
              .json();
      page.get("items").forEach(i -> seen.add(i.get("id").asText()));
      after = page.get("next").isNull() ? null : page.get("next").asText();
      pages++;
    } while (after != null);

    assertThat(seen).containsExactlyElementsOf(ids.stream().sorted().toList());
    assertThat(pages).isEqualTo(3);
    assertThat(
            api.get("/api/v1/instances?processId=paged&state=COMPLETED")
                .json()
                .get("items")
                .findValuesAsText("id"))
        .containsExactly(completedId);
    assertThat(api.get("/api/v1/instances?processId=paged&state=ACTIVE").json().get("items"))
        .hasSize(4);
    assertThat(
            api.get("/api/v1/instances?businessKey=page-3")
                .json()
                .get("items")
                .findValuesAsText("id"))
        .containsExactly(ids.get(3));
    assertThat(done).isNotNull();
    assertThat(api.get("/api/v1/instances?state=RUNNING").status()).isEqualTo(400);
    assertThat(api.get("/api/v1/instances?limit=0").status()).isEqualTo(400);
    assertThat(
            api.get("/api/v1/instances?colour=red")
                .json()
                .get("errors")
                .get(0)
                .get("field")
                .asText())
        .isEqualTo("colour");
  }

  @Test
  void historyListsEveryEventWithSeqTypeElementCloudTimeAndData() {
    String id = api.start("inst", Map.of("x", 1)).get("id").asText();
    String key = api.get("/api/v1/instances/" + id).json().get("id").asText();
    JsonNode jobs = api.activate("inst-work", 10, "PT1M");
    for (JsonNode j : jobs) {
      api.post(
          "/api/v1/jobs/" + j.get("key").asText() + "/complete",
          Map.of("variables", Map.of("y", 2)));
    }

    JsonNode history = api.get("/api/v1/instances/" + key + "/history").json();

    assertThat(history.get(0).get("seq").asLong()).isEqualTo(1);
    assertThat(history.get(0).get("type").asText()).isEqualTo("InstanceCreated");
    assertThat(history.get(0).get("data").get("variables").get("x").asLong()).isEqualTo(1);
    assertThat(history.findValuesAsText("type"))
        .contains("ElementActivated", "JobCreated", "JobCompleted", "InstanceEnded");
    for (JsonNode h : history) {
      assertThat(h.fieldNames())
          .toIterable()
          .containsExactly("seq", "type", "elementId", "elementType", "cloud", "at", "data");
      assertThat(h.get("cloud").asText()).isEqualTo("local");
    }
    JsonNode work = null;
    for (JsonNode h : history) {
      if (h.get("type").asText().equals("ElementActivated")
          && h.get("elementId").asText().equals("work")) {
        work = h;
      }
    }
    assertThat(work.get("elementType").asText()).isEqualTo("serviceTask");
    assertThat(api.instance(id).get("state").asText()).isEqualTo("COMPLETED");
    assertThat(api.instance(id).get("endedAt").isNull()).isFalse();
    assertThat(api.get("/api/v1/instances/unknown/history").status()).isEqualTo(404);
  }

  @Test
  void cancelAnswersTheCanceledInstanceAndCancellingAgainIs409() {
    String id = api.start("inst", Map.of()).get("id").asText();

    Api.Res r = api.delete("/api/v1/instances/" + id);

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().get("state").asText()).isEqualTo("CANCELED");
    assertThat(r.json().get("activeElements")).isEmpty();
    Api.Res again = api.delete("/api/v1/instances/" + id);
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.json().get("type").asText()).isEqualTo("urn:cob:problem:conflict");
    assertThat(api.delete("/api/v1/instances/unknown").status()).isEqualTo(404);
  }
}
