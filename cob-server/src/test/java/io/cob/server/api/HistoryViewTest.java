package io.cob.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.cob.engine.event.EventRecord;
import io.cob.engine.event.InstanceEvent;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HistoryViewTest {
  private static final Instant AT = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void shouldShowAPlacementDecisionWithItsCloudReasonAndAlternatives() {
    List<EventRecord> log =
        List.of(
            new EventRecord(
                1,
                AT,
                new InstanceEvent.ElementActivated(
                    5, "charge", "serviceTask", 1, "f1", null, List.of(), "public-b")),
            new EventRecord(
                2,
                AT,
                new InstanceEvent.StepPlaced(
                    5,
                    "charge",
                    "private",
                    "cloud 'public-b' DOWN; policy jurisdiction=eu (cob:placement of 'charge'):"
                        + " first by name of [private]",
                    List.of(),
                    List.of("public-a: jurisdiction [us]", "public-b: DOWN"))),
            new EventRecord(3, AT, new InstanceEvent.ElementCompleted(5, "charge", "serviceTask")));

    List<Views.HistoryItem> items = Views.history(log, "owner");

    Views.HistoryItem placed = items.get(1);
    assertThat(placed.type()).isEqualTo("StepPlaced");
    assertThat(placed.elementId()).isEqualTo("charge");
    assertThat(placed.cloud()).isEqualTo("private");
    assertThat(placed.data())
        .containsEntry("cloud", "private")
        .containsEntry("rejected", List.of("public-a: jurisdiction [us]", "public-b: DOWN"))
        .containsEntry("alternatives", List.of());
    assertThat((String) placed.data().get("reason")).startsWith("cloud 'public-b' DOWN; policy");
    // The element's later events show the cloud it was placed on last.
    assertThat(items.get(2).cloud()).isEqualTo("private");
    assertThat(items.get(0).data()).isInstanceOf(Map.class);
  }

  @Test
  void shouldShowTheCloudNodeTimesAndBusLatencyOfAStepThatRanElsewhere() {
    List<EventRecord> log =
        List.of(
            new EventRecord(
                1,
                AT,
                new InstanceEvent.JobCreated(9, 5, "charge", "http", 3, Map.of(), "public-a")),
            new EventRecord(
                2,
                AT,
                new InstanceEvent.JobRanRemotely(
                    9,
                    "charge",
                    "public-a",
                    "node-a1",
                    AT,
                    AT.plusMillis(4),
                    AT.plusMillis(5),
                    AT.plusMillis(50),
                    AT.plusMillis(51),
                    AT.plusMillis(57))),
            new EventRecord(2, AT, new InstanceEvent.JobCompleted(9, "charge", Map.of())));

    List<Views.HistoryItem> items = Views.history(log, "private");

    Views.HistoryItem ran = items.get(1);
    assertThat(ran.type()).isEqualTo("JobRanRemotely");
    assertThat(ran.cloud()).isEqualTo("public-a");
    assertThat(ran.data())
        .containsEntry("node", "node-a1")
        .containsEntry("sentAt", "2026-01-01T00:00:00Z")
        .containsEntry("finishedAt", "2026-01-01T00:00:00.050Z")
        .containsEntry("busLatencyMs", 10L);
    assertThat(items.get(2).cloud())
        .as("the job's completion shows the job's cloud")
        .isEqualTo("public-a");
  }
}
