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

class TasksApiTest {
  static CobNode node;
  static Api api;

  @BeforeAll
  static void start() {
    node = TestNode.start();
    api = new Api(node.baseUri());
    api.deploy("ada.bpmn", Models.userTask("for-ada", "ada", null));
    api.deploy("sales.bpmn", Models.userTask("for-sales", null, "sales, finance"));
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  @Test
  void listsTasksWithTheirVariablesAndFiltersByAssigneeCandidateGroupProcessAndInstance() {
    String adaInstance = api.start("for-ada", Map.of("orderId", "A-1")).get("id").asText();
    String salesInstance = api.start("for-sales", Map.of()).get("id").asText();

    JsonNode ada = api.get("/api/v1/tasks?assignee=ada").json();
    assertThat(ada).hasSize(1);
    JsonNode t = ada.get(0);
    assertThat(t.fieldNames())
        .toIterable()
        .containsSubsequence(
            "id",
            "instanceId",
            "processId",
            "elementId",
            "name",
            "assignee",
            "candidateGroups",
            "createdAt",
            "variables");
    assertThat(t.get("id").asText()).startsWith(adaInstance + ":");
    assertThat(t.get("instanceId").asText()).isEqualTo(adaInstance);
    assertThat(t.get("processId").asText()).isEqualTo("for-ada");
    assertThat(t.get("elementId").asText()).isEqualTo("task");
    assertThat(t.get("name").asText()).isEqualTo("Check");
    assertThat(t.get("variables").get("orderId").asText()).isEqualTo("A-1");

    assertThat(
            api.get("/api/v1/tasks?candidateGroup=finance").json().findValuesAsText("instanceId"))
        .containsExactly(salesInstance);
    assertThat(api.get("/api/v1/tasks?processId=for-sales").json().findValuesAsText("instanceId"))
        .containsExactly(salesInstance);
    assertThat(api.get("/api/v1/tasks?instanceId=" + adaInstance).json()).hasSize(1);
    assertThat(api.get("/api/v1/tasks?assignee=bob").json()).isEmpty();
  }

  @Test
  void completingATaskMovesTheInstanceOnWithItsVariablesAndTheTaskIsGone() {
    String id = api.start("for-ada", Map.of()).get("id").asText();
    String task = api.get("/api/v1/tasks?instanceId=" + id).json().get(0).get("id").asText();

    Api.Res r =
        api.post(
            "/api/v1/tasks/" + task + "/complete", Map.of("variables", Map.of("approved", true)));

    assertThat(r.status()).isEqualTo(204);
    JsonNode i = api.instance(id);
    assertThat(i.get("state").asText()).isEqualTo("COMPLETED");
    assertThat(i.get("variables").get("approved").asBoolean()).isTrue();
    Api.Res again = api.post("/api/v1/tasks/" + task + "/complete", Map.of());
    assertThat(again.status()).isEqualTo(404);
    assertThat(again.json().get("detail").asText()).contains(task);
  }

  @Test
  void aTaskCanBeCompletedWithoutABody() {
    String id = api.start("for-sales", Map.of()).get("id").asText();
    String task = api.get("/api/v1/tasks?instanceId=" + id).json().get(0).get("id").asText();

    Api.Res r = api.post("/api/v1/tasks/" + task + "/complete", "application/json", new byte[0]);

    assertThat(r.status()).isEqualTo(204);
    assertThat(api.instance(id).get("state").asText()).isEqualTo("COMPLETED");
  }
}
