package io.cob.bench.failover;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the standby's histories say about one fail-over, with times from the events' own timestamps
 * (each event carries when it was committed; the old owner's events keep the owner's time in the
 * standby's copy, the standby's own events its time): when the standby took the instances over,
 * when it committed its first step, and when the last instance ended. All times are from the kill,
 * read on the same machine's clock.
 *
 * @param takenOver instances the standby took over (those not ended in its copy at the take-over)
 * @param endedBeforeKill instances whose end was in the standby's copy with a time before the kill
 * @param notCompleted instances whose history at the standby has no completed end
 * @param firstTakeOver kill to the first {@code OwnershipTaken} the standby committed
 * @param lastTakeOver kill to the last one
 * @param firstStep kill to the first step ({@code JobCompleted}) the standby committed after it
 *     took an instance over, {@code null} when there is none
 * @param allDone kill to the end of the last instance to end
 */
record Recovery(
    int takenOver,
    int endedBeforeKill,
    List<String> notCompleted,
    Duration firstTakeOver,
    Duration lastTakeOver,
    Duration firstStep,
    Duration allDone) {

  static Recovery of(Instant killedAt, String standby, Map<String, List<JsonNode>> histories) {
    int takenOver = 0;
    int endedBeforeKill = 0;
    List<String> notCompleted = new ArrayList<>();
    Instant firstTaken = null;
    Instant lastTaken = null;
    Instant firstStep = null;
    Instant lastEnd = null;
    for (Map.Entry<String, List<JsonNode>> h : histories.entrySet()) {
      boolean taken = false;
      boolean stepSeen = false;
      boolean completed = false;
      for (JsonNode e : h.getValue()) {
        Instant at = Instant.parse(e.path("at").asText());
        switch (e.path("type").asText()) {
          case "OwnershipTaken" -> {
            if (standby.equals(e.path("data").path("toCloud").asText())) {
              taken = true;
              firstTaken = min(firstTaken, at);
              lastTaken = max(lastTaken, at);
            }
          }
          case "JobCompleted" -> {
            if (taken && !stepSeen) {
              stepSeen = true;
              firstStep = min(firstStep, at);
            }
          }
          case "InstanceEnded" -> {
            if ("COMPLETED".equals(e.path("data").path("state").asText())) {
              completed = true;
              lastEnd = max(lastEnd, at);
              if (at.isBefore(killedAt)) {
                endedBeforeKill++;
              }
            }
          }
          default -> {}
        }
      }
      if (taken) {
        takenOver++;
      }
      if (!completed) {
        notCompleted.add(h.getKey());
      }
    }
    return new Recovery(
        takenOver,
        endedBeforeKill,
        List.copyOf(notCompleted),
        since(killedAt, firstTaken),
        since(killedAt, lastTaken),
        since(killedAt, firstStep),
        since(killedAt, lastEnd));
  }

  private static Duration since(Instant from, Instant to) {
    return to == null ? null : Duration.between(from, to);
  }

  private static Instant min(Instant a, Instant b) {
    return a == null || b.isBefore(a) ? b : a;
  }

  private static Instant max(Instant a, Instant b) {
    return a == null || b.isAfter(a) ? b : a;
  }
}
