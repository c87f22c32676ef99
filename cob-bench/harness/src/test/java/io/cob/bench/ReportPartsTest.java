package io.cob.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportPartsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void shouldKeepTheEarlierComparisonWhenOnlyFailoverWasMeasured() {
    Report.Input earlier = input("./cob bench", "2026-01-01T00:00:00Z", List.of(p1Run()), null);
    Report.Failover failover = failover("2026-02-01T00:00:00Z", List.of(failoverRun("sync", 900)));
    Report.Input now =
        input("./cob bench --workloads=FAILOVER", "2026-02-01T00:00:00Z", List.of(), failover);

    Report.Input kept = now.keepingUnmeasured(earlier);

    assertThat(kept.command()).isEqualTo("./cob bench");
    assertThat(kept.runs()).hasSize(1);
    assertThat(kept.failover()).isSameAs(failover);
  }

  @Test
  void shouldKeepTheEarlierFailoverWhenOnlyTheComparisonWasMeasured() {
    Report.Failover failover = failover("2026-01-01T00:00:00Z", List.of(failoverRun("sync", 900)));
    Report.Input earlier =
        input("./cob bench --workloads=FAILOVER", "2026-01-01T00:00:00Z", List.of(), failover);
    Report.Input now =
        input("./cob bench --workloads=P1", "2026-02-01T00:00:00Z", List.of(p1Run()), null);

    Report.Input kept = now.keepingUnmeasured(earlier);

    assertThat(kept.command()).isEqualTo("./cob bench --workloads=P1");
    assertThat(kept.failover()).isSameAs(failover);
  }

  @Test
  void shouldReplaceBothPartsWhenBothWereMeasured() {
    Report.Input earlier =
        input(
            "old",
            "2026-01-01T00:00:00Z",
            List.of(p1Run()),
            failover("2026-01-01T00:00:00Z", List.of(failoverRun("async", 1))));
    Report.Failover fresh = failover("2026-02-01T00:00:00Z", List.of(failoverRun("async", 2)));
    Report.Input now = input("new", "2026-02-01T00:00:00Z", List.of(p1Run()), fresh);

    assertThat(now.keepingUnmeasured(earlier)).isEqualTo(now);
    assertThat(now.keepingUnmeasured(null)).isSameAs(now);
  }

  @Test
  void shouldReportTheMedianAndRangeOfTheRepetitionsOfEachMode() {
    Report.Failover failover =
        failover(
            "2026-02-01T00:00:00Z",
            List.of(failoverRun("async", 3000, 1000, 2000), failoverRun("sync", 5000, 4000, 4500)));
    String md = new Report(input("x", "2026-02-01T00:00:00Z", List.of(), failover)).markdown();

    assertThat(md).contains("## Replication and fail-over");
    assertThat(md).contains("No comparison workload");
    assertThat(md)
        .contains("| `async` | 1000 [999–1000] |")
        .contains("**2000 [1000–3000]**")
        .contains("**4500 [4000–5000]**")
        .containsPattern("\\| `sync` \\|[^\\n]* \\| 0 \\|\\n");
    assertThat(md).contains("- Command: `x`");
  }

  @Test
  void shouldSaySoWhenTheTwoPartsCameFromDifferentRuns() {
    Report.Input both =
        new Report.Input(
            "./cob bench",
            "2026-01-01T00:00:00Z",
            1,
            machine(),
            "commit x",
            null,
            null,
            "0 0 0",
            "0 0 0",
            List.of(p1Run()),
            List.of(Vendor.COB),
            settings(),
            failover("2026-02-01T00:00:00Z", List.of(failoverRun("sync", 900))));

    assertThat(new Report(both).markdown())
        .contains("from two runs, each with its command, date and machine");
  }

  // ---- fixtures

  private static Report.Input input(
      String command, String at, List<Report.Run> runs, Report.Failover failover) {
    return new Report.Input(
        command,
        at,
        1,
        machine(),
        "commit x",
        null,
        null,
        "0 0 0",
        "0 0 0",
        runs,
        List.of(Vendor.COB),
        settings(),
        failover);
  }

  private static Report.Settings settings() {
    return new Report.Settings(Map.of("P1", 10), 3, 1, 4, 20, 200, 10, "-Xmx1g");
  }

  private static Map<String, String> machine() {
    return Map.of("CPUs (nproc)", "2");
  }

  private static Report.Failover failover(String at, List<Report.Run> runs) {
    return new Report.Failover(
        "x", at, 2, machine(), "commit x", "0 0 0", "0 0 0", runs, 1000, 3, 0, "-Xmx1g");
  }

  private static Report.Run p1Run() {
    ObjectNode rep = JSON.createObjectNode().put("type", "rep").put("perSecond", 100.0);
    return new Report.Run(
        new RunKey(Db.H2, Workload.P1, 1, Vendor.COB),
        new EngineProcess.Outcome(null, List.of(rep), null, null),
        "0");
  }

  /** A FAILOVER run whose repetitions took these many ms from the kill to the first step. */
  private static Report.Run failoverRun(String mode, double... firstStepMs) {
    List<JsonNode> reps = new ArrayList<>();
    for (int i = 0; i < firstStepMs.length; i++) {
      reps.add(
          JSON.createObjectNode()
              .put("type", "rep")
              .put("rep", i)
              .put("warmup", false)
              .put("instances", 1000)
              .put("completedAtStandby", 1000)
              .put("takenOver", i == 0 ? 999 : 1000)
              .put("killToFirstStepMs", firstStepMs[i])
              .put("killToAllDoneMs", 60_000.0)
              .put("seconds", 100.0)
              .put("oursCpuMs", 50_000.0)
              .put("brokerCpuMs", 5_000.0)
              .put("machineCpuMs", 150_000.0));
    }
    return new Report.Run(
        new RunKey(Db.H2, Workload.FAILOVER, 0, Vendor.COB, mode),
        new EngineProcess.Outcome(null, reps, null, null),
        "0");
  }
}
