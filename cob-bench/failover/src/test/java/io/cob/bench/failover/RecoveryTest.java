package io.cob.bench.failover;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecoveryTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant KILL = Instant.parse("2026-01-01T10:00:00Z");

  @Test
  void shouldMeasureFromTheKillToTheStandbysTakeOverFirstStepAndLastEnd() {
    Map<String, List<JsonNode>> histories = new LinkedHashMap<>();
    // Replicated up to a step the owner had completed, then taken over and finished by the standby.
    histories.put(
        "a",
        List.of(
            event("InstanceCreated", -5000),
            event("JobCompleted", -1000),
            taken("public-b", 3500),
            event("JobCompleted", 4200),
            event("JobCompleted", 4900),
            ended("COMPLETED", 7000)));
    histories.put(
        "b",
        List.of(
            event("InstanceCreated", -4000),
            taken("public-b", 3600),
            event("JobCompleted", 4000),
            ended("COMPLETED", 9000)));
    // Ended at the owner before the kill, and that end replicated: nothing to take over.
    histories.put("c", List.of(event("InstanceCreated", -4000), ended("COMPLETED", -200)));

    Recovery r = Recovery.of(KILL, "public-b", histories);

    assertThat(r.takenOver()).isEqualTo(2);
    assertThat(r.endedBeforeKill()).isEqualTo(1);
    assertThat(r.notCompleted()).isEmpty();
    assertThat(r.firstTakeOver()).isEqualTo(Duration.ofMillis(3500));
    assertThat(r.lastTakeOver()).isEqualTo(Duration.ofMillis(3600));
    // The owner's step before the kill does not count; the standby's first one is b's at 4000.
    assertThat(r.firstStep()).isEqualTo(Duration.ofMillis(4000));
    assertThat(r.allDone()).isEqualTo(Duration.ofMillis(9000));
  }

  @Test
  void shouldNameTheInstancesThatDidNotComplete() {
    Map<String, List<JsonNode>> histories = new LinkedHashMap<>();
    histories.put("done", List.of(taken("public-b", 3000), ended("COMPLETED", 5000)));
    histories.put("stuck", List.of(taken("public-b", 3000), event("JobCompleted", 3100)));
    histories.put("canceled", List.of(taken("public-b", 3000), ended("CANCELED", 3200)));
    // Taken by another cloud: not the standby's take-over, nor its step.
    histories.put(
        "elsewhere",
        List.of(taken("public-a", 2000), event("JobCompleted", 2500), ended("COMPLETED", 4000)));

    Recovery r = Recovery.of(KILL, "public-b", histories);

    assertThat(r.notCompleted()).containsExactly("stuck", "canceled");
    assertThat(r.takenOver()).isEqualTo(3);
    assertThat(r.firstStep()).isEqualTo(Duration.ofMillis(3100));
  }

  @Test
  void shouldAnswerNoStepWhenTheStandbyCommittedNone() {
    Recovery r =
        Recovery.of(KILL, "public-b", Map.of("a", List.of(event("InstanceCreated", -100))));

    assertThat(r.takenOver()).isZero();
    assertThat(r.firstStep()).isNull();
    assertThat(r.allDone()).isNull();
    assertThat(r.notCompleted()).containsExactly("a");
  }

  private static ObjectNode event(String type, long msFromKill) {
    ObjectNode e = JSON.createObjectNode();
    e.put("type", type);
    e.put("at", KILL.plusMillis(msFromKill).toString());
    e.putObject("data");
    return e;
  }

  private static ObjectNode taken(String toCloud, long msFromKill) {
    ObjectNode e = event("OwnershipTaken", msFromKill);
    ((ObjectNode) e.get("data"))
        .put("fromCloud", "private")
        .put("toCloud", toCloud)
        .put("epoch", 1);
    return e;
  }

  private static ObjectNode ended(String state, long msFromKill) {
    ObjectNode e = event("InstanceEnded", msFromKill);
    ((ObjectNode) e.get("data")).put("state", state);
    return e;
  }
}
