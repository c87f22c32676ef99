package io.cob.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cob.engine.TestModels;
import io.cob.server.CobNode;
import io.cob.server.support.Api;
import io.cob.server.support.Models;
import io.cob.server.support.TestNode;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class MessagesApiTest {
  static CobNode node;
  static Api api;

  @BeforeAll
  static void start() {
    node = TestNode.start();
    api = new Api(node.baseUri());
    api.deploy("wait.bpmn", Models.waitsForMessage("waiter", "paid"));
    api.deploy(
        "starter.bpmn",
        TestModels.process(
                "starter",
                "<startEvent id=\"start\"><messageEventDefinition messageRef=\"sm\"/></startEvent>"
                    + "<userTask id=\"look\"/><endEvent id=\"end\"/>",
                "start->look",
                "look->end")
            .replace("</definitions>", "<message id=\"sm\" name=\"order-placed\"/></definitions>"));
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  @Test
  void correlatesByCorrelationKeyToTheWaitingInstance() {
    String id = api.start("waiter", Map.of("key", "K-1")).get("id").asText();

    Api.Res r =
        api.post(
            "/api/v1/messages",
            Map.of("name", "paid", "correlationKey", "K-1", "variables", Map.of("amount", 10)));

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().get("correlated").findValuesAsText("")).isEmpty();
    assertThat(r.json().get("correlated").get(0).asText()).isEqualTo(id);
    assertThat(r.json().get("buffered").asBoolean()).isFalse();
    JsonNode i = api.instance(id);
    assertThat(i.get("state").asText()).isEqualTo("COMPLETED");
    assertThat(i.get("variables").get("amount").asLong()).isEqualTo(10);
  }

  @Test
  void buffersAMessageForItsTimeToLiveAndAnInstanceStartedLaterTakesIt() {
    Api.Res r =
        api.post(
            "/api/v1/messages",
            Map.of("name", "paid", "correlationKey", "K-2", "timeToLive", "PT1H"));
    assertThat(r.json().get("correlated")).isEmpty();
    assertThat(r.json().get("buffered").asBoolean()).isTrue();

    JsonNode i = api.start("waiter", Map.of("key", "K-2"));

    assertThat(i.get("state").asText()).isEqualTo("COMPLETED");
  }

  @Test
  void aBufferedMessageExpiresAfterItsTimeToLive() {
    api.post(
        "/api/v1/messages", Map.of("name", "paid", "correlationKey", "K-3", "timeToLive", 60_000));
    Api.Res moved = api.post("/api/v1/clock/advance", Map.of("duration", "PT2M"));
    assertThat(moved.status()).isEqualTo(200);

    JsonNode i = api.start("waiter", Map.of("key", "K-3"));

    assertThat(i.get("state").asText()).isEqualTo("ACTIVE");
  }

  @Test
  void withoutTimeToLiveAnUncorrelatedMessageIsNotBuffered() {
    Api.Res r = api.post("/api/v1/messages", Map.of("name", "paid", "correlationKey", "K-4"));
    assertThat(r.json().get("buffered").asBoolean()).isFalse();
    assertThat(api.start("waiter", Map.of("key", "K-4")).get("state").asText()).isEqualTo("ACTIVE");
  }

  @Test
  void aMessageStartEventStartsAnInstance() {
    Api.Res r =
        api.post(
            "/api/v1/messages",
            Map.of("name", "order-placed", "variables", Map.of("orderId", "O-9")));

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().get("started")).hasSize(1);
    JsonNode i = api.instance(r.json().get("started").get(0).asText());
    assertThat(i.get("processId").asText()).isEqualTo("starter");
    assertThat(i.get("variables").get("orderId").asText()).isEqualTo("O-9");
  }

  @Test
  void correlatesByInstanceIdAndAnUnknownInstanceIs404() {
    String id = api.start("waiter", Map.of("key", "K-5")).get("id").asText();

    Api.Res r = api.post("/api/v1/messages", Map.of("name", "paid", "instanceId", id));

    assertThat(r.json().get("correlated").get(0).asText()).isEqualTo(id);
    assertThat(api.post("/api/v1/messages", Map.of("name", "paid", "instanceId", "ghost")).status())
        .isEqualTo(404);
  }

  @Test
  void refusesAMessageWithoutNameOrWithBadTimeToLive() {
    Api.Res noName = api.post("/api/v1/messages", Map.of("correlationKey", "x"));
    assertThat(noName.status()).isEqualTo(400);
    assertThat(noName.json().get("errors").get(0).get("field").asText()).isEqualTo("name");
    Api.Res badTtl = api.post("/api/v1/messages", Map.of("name", "paid", "timeToLive", "one hour"));
    assertThat(badTtl.status()).isEqualTo(400);
    assertThat(badTtl.json().get("errors").get(0).get("field").asText()).isEqualTo("timeToLive");
    assertThat(api.post("/api/v1/messages", Map.of("name", "paid", "timeToLive", "-PT1S")).status())
        .isEqualTo(400);
  }
}
