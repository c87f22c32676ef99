package io.cob.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cob.engine.TestModels;
import io.cob.server.CobNode;
import io.cob.server.config.NodeConfig;
import io.cob.server.support.Api;
import io.cob.server.support.TestNode;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ClockApiTest {
  static CobNode node;
  static Api api;

  @BeforeAll
  static void start() {
    node = TestNode.start();
    api = new Api(node.baseUri());
    api.deploy(
        "timers.bpmn",
        TestModels.process(
            "timers",
            "<startEvent id=\"start\"/>"
                + "<intermediateCatchEvent id=\"hour\"><timerEventDefinition><timeDuration>PT1H</timeDuration></timerEventDefinition></intermediateCatchEvent>"
                + "<intermediateCatchEvent id=\"day\"><timerEventDefinition><timeDuration>P1D</timeDuration></timerEventDefinition></intermediateCatchEvent>"
                + "<endEvent id=\"end\"/>",
            "start->hour",
            "hour->day",
            "day->end"));
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  @Test
  void advancingTheDevClockFiresDueTimersAndAnswersTheNewTime() {
    String id = api.start("timers", Map.of()).get("id").asText();

    Api.Res r = api.post("/api/v1/clock/advance", Map.of("duration", "PT1H"));

    assertThat(r.status()).isEqualTo(200);
    assertThat(Duration.parse(r.json().get("offset").asText()))
        .isGreaterThanOrEqualTo(Duration.ofHours(1));
    assertThat(Instant.parse(r.json().get("now").asText()))
        .isAfter(Instant.now().plus(Duration.ofMinutes(59)));
    JsonNode i = api.instance(id);
    assertThat(i.get("activeElements").get(0).get("elementId").asText()).isEqualTo("day");
  }

  @Test
  void aTimerArmedWhenAnotherFiresCountsFromThatMoment() {
    String id = api.start("timers", Map.of()).get("id").asText();

    api.post("/api/v1/clock/advance", Map.of("duration", "P2D"));
    assertThat(api.instance(id).get("activeElements").get(0).get("elementId").asText())
        .isEqualTo("day");
    api.post("/api/v1/clock/advance", Map.of("duration", "P1D"));

    assertThat(api.instance(id).get("state").asText()).isEqualTo("COMPLETED");
  }

  @Test
  void theClockOnlyMovesForward() {
    Api.Res r = api.post("/api/v1/clock/advance", Map.of("duration", "-PT1H"));
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().get("errors").get(0).get("field").asText()).isEqualTo("duration");
  }

  @Test
  void withoutDevClockTheEndpointIs404() {
    CobNode real =
        TestNode.start(
            NodeConfig.defaults().withHttpPort(0).withStoreUrl("jdbc:h2:mem:" + UUID.randomUUID()));
    try {
      Api.Res r = new Api(real.baseUri()).post("/api/v1/clock/advance", Map.of("duration", "PT1H"));
      assertThat(r.status()).isEqualTo(404);
      assertThat(r.contentType()).startsWith("application/problem+json");
      assertThat(r.json().get("detail").asText()).contains("--dev-clock");
    } finally {
      real.close();
    }
  }
}
