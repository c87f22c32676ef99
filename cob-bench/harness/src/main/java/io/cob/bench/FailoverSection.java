package io.cob.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.ToDoubleFunction;

/**
 * The section "Replication and fail-over" of the report, from the FAILOVER runs (one per
 * replication mode) and the run they came from, which it names itself: it may be another run than
 * the comparison's.
 */
final class FailoverSection {
  private final Report.Failover f;
  private final StringBuilder md;

  FailoverSection(Report.Failover f, StringBuilder md) {
    this.f = f;
    this.md = md;
  }

  void write() {
    md.append("## Replication and fail-over\n\n");
    if (f == null) {
      md.append(
              "Not measured in this file yet (workload FAILOVER: `./cob bench --workloads=FAILOVER ")
          .append("--dbs=h2 --reps=5 --warmup=0`).\n\n");
      return;
    }
    md.append(
            "cob alone: Camunda 7 and Flowable take no part (they have no replication between clouds to ")
        .append(
            "compare). Three clouds, each a cob node in a JVM of its own, talk through RabbitMQ; the owner ")
        .append(
            "of the instances is killed with SIGKILL while they are in flight, and its standby takes them ")
        .append("over by itself.\n\n");
    run();
    settings();
    table();
    failures();
    method();
  }

  private void run() {
    md.append("- Command: `").append(f.command()).append("`\n");
    md.append("- Date: ")
        .append(
            DateTimeFormatter.ISO_LOCAL_DATE_TIME
                .withZone(ZoneOffset.UTC)
                .format(Instant.parse(f.startedAt()).truncatedTo(ChronoUnit.SECONDS)))
        .append(" UTC, took ")
        .append(f.tookMinutes())
        .append(" min\n");
    f.machine().forEach((k, v) -> md.append("- ").append(k).append(": ").append(v).append('\n'));
    md.append("- cob source: ").append(f.cobRevision()).append('\n');
    md.append("- Repetitions: ")
        .append(f.reps())
        .append(" measured after ")
        .append(f.warmup())
        .append(" warm-up per replication mode, each on three fresh node JVMs (`")
        .append(f.nodeJvmOpts())
        .append(
            "`) with fresh stores and a fresh RabbitMQ namespace (deleted afterwards); instances per ")
        .append("repetition: ")
        .append(f.instances())
        .append("; cells are median [min–max]")
        .append(f.reps() < 3 ? " — **fewer than 3 repetitions: a trial run, not a result**" : "")
        .append('\n');
    md.append("- Load average (1/5/15 min) before the run: ")
        .append(f.loadBefore())
        .append("; after: ")
        .append(f.loadAfter())
        .append('\n');
    cpuShares().ifPresent(line -> md.append("- ").append(line).append('\n'));
    md.append('\n');
  }

  /**
   * Where the machine's CPU went during the repetitions: the cob nodes and the harness, RabbitMQ,
   * and everything else (other people's work on a shared machine).
   */
  private Optional<String> cpuShares() {
    double ours = 0;
    double broker = 0;
    double machine = 0;
    double wall = 0;
    for (JsonNode rep : measured()) {
      if (rep.path("machineCpuMs").asDouble(-1) < 0) {
        return Optional.empty();
      }
      ours += rep.path("oursCpuMs").asDouble();
      broker += rep.path("brokerCpuMs").asDouble();
      machine += rep.path("machineCpuMs").asDouble();
      wall += rep.path("seconds").asDouble() * 1000;
    }
    if (wall == 0) {
      return Optional.empty();
    }
    int n = Integer.parseInt(f.machine().getOrDefault("CPUs (nproc)", "0"));
    double others = Math.max(0, machine - ours - broker) / wall;
    String verdict =
        others >= 0.25 * Math.max(1, n)
            ? " — **the machine was busy with other work during this run; its numbers are slower and noisier than on an idle machine**"
            : "";
    return Optional.of(
        String.format(
            Locale.ROOT,
            "CPUs in use on average during the repetitions (first start to all done), of %d: the three nodes"
                + " and the harness %.2f, RabbitMQ %.2f, other processes %.2f%s",
            n,
            ours / wall,
            broker / wall,
            others,
            verdict));
  }

  private void settings() {
    f.runs().stream()
        .map(r -> r.outcome().info())
        .filter(i -> i != null)
        .findFirst()
        .ifPresent(
            info -> {
              md.append("Set-up (").append(info.path("version").asText()).append("):\n\n");
              info.path("settings")
                  .properties()
                  .forEach(
                      e -> {
                        if (!e.getKey().equals("replication")) {
                          md.append("- ")
                              .append(e.getKey())
                              .append(": ")
                              .append(e.getValue().asText())
                              .append('\n');
                        }
                      });
              md.append('\n');
            });
  }

  private void table() {
    md.append(
            "| replication | in flight at the kill | lag p50 (ms) | lag p99 (ms) | start answered p50 (ms) | ")
        .append(
            "kill → first take-over (ms) | kill → all taken over (ms) | **kill → first step by the standby (ms)** | ")
        .append(
            "**kill → all done (s)** | steps run again | steps under a second key | instances lost (all repetitions) |\n");
    md.append("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (Report.Run run : f.runs()) {
      List<String> cells = new ArrayList<>();
      cells.add("`" + run.key().variant() + "`");
      if (run.outcome().error() != null || measuredOf(run).isEmpty()) {
        cells.add("failed");
        cells.addAll(List.of("", "", "", "", "", "", "", "", "", ""));
      } else {
        cells.add(cell(run, r -> r.path("takenOver").asDouble(), 0));
        cells.add(cell(run, r -> r.path("lagP50Ms").asDouble(), 0));
        cells.add(cell(run, r -> r.path("lagP99Ms").asDouble(), 0));
        cells.add(cell(run, r -> r.path("startP50Ms").asDouble(), 1));
        cells.add(cell(run, r -> r.path("killToFirstTakeOverMs").asDouble(), 0));
        cells.add(cell(run, r -> r.path("killToLastTakeOverMs").asDouble(), 0));
        cells.add("**" + cell(run, r -> r.path("killToFirstStepMs").asDouble(), 0) + "**");
        cells.add("**" + cell(run, r -> r.path("killToAllDoneMs").asDouble() / 1000, 1) + "**");
        cells.add(cell(run, r -> r.path("repeatedCalls").asDouble(), 0));
        cells.add(cell(run, r -> r.path("secondKeys").asDouble(), 0));
        int lost = 0;
        for (JsonNode rep : measuredOf(run)) {
          lost += rep.path("instances").asInt() - rep.path("completedAtStandby").asInt();
        }
        cells.add(String.valueOf(lost));
      }
      md.append("| ").append(String.join(" | ", cells)).append(" |\n");
    }
    md.append('\n');
  }

  private void failures() {
    List<Report.Run> failed = f.runs().stream().filter(r -> r.outcome().error() != null).toList();
    if (failed.isEmpty()) {
      return;
    }
    md.append("Failed runs:\n\n");
    for (Report.Run r : failed) {
      md.append("- ")
          .append(r.key().label())
          .append(": ")
          .append(r.outcome().error().replace("\n", " "))
          .append('\n');
    }
    md.append('\n');
  }

  private void method() {
    md.append(
        """
        How it is measured:

        - **Replication lag** is what cob exposes: `replication.lagMs` of the standby in the owner's
          `GET /api/v1/clouds` (the same value as the metric `cob_replication_lag_seconds{standby}`), the
          age of the oldest event the owner shipped to the standby and has not yet had acknowledged, 0 when
          none is pending. The harness samples it every 100 ms from the first start to the kill (starts and
          steps both replicate); p50 and p99 are over those samples. A sample is the longest wait of any
          event then in transit, so it bounds the per-event delay from above, and it includes the
          acknowledgement's way back: in `sync` the standby acknowledges each shipment at once, in `async`
          every 200 ms, so `async` samples carry up to 200 ms of waiting for the acknowledgement after the
          events were stored. The owner keeps, per instance, when the oldest of its unacknowledged events was
          committed, and an acknowledgement that covers only part of what was shipped for an instance leaves
          that time as it was, so under steady traffic a sample can overstate. cob records no receive time
          per event, so no per-event figure is available.
        - **Start answered**: how long the owner took to answer a start (`POST /api/v1/instances`); in `sync`
          only once the standby stored the instance's first events.
        - **Recovery** is read from the event timestamps in the standby's histories after the run (each event
          carries when it was committed, by whichever node committed it), against the harness's clock at
          the kill; all processes run on one machine, so one clock. Take-over: the standby's
          `OwnershipTaken` events. First step: the earliest `JobCompleted` the standby committed after
          taking an instance over. All done: the last `InstanceEnded`. The default ownership lease (the
          standby takes over once the owner's presence mark has been gone 3 s) is the floor under all of
          them.
        - **In flight at the kill**: the instances the standby took over (those not ended in its copy).
        - **Steps run again**: calls the step service received under an idempotency key it had already
          seen: a step the owner ran whose outcome was not in the standby's copy (async: not shipped yet;
          both: the call was under way at the kill). The service would absorb them as duplicates.
        - **Steps under a second key**: steps of an instance the service was called for under two different
          idempotency keys, an effect that would have happened twice.
        - **Lost**: every instance started at the owner must be completed at the standby, and every step of
          every instance called; a repetition where one is not fails the benchmark (exit code 1).

        """);
  }

  private List<JsonNode> measured() {
    List<JsonNode> out = new ArrayList<>();
    for (Report.Run r : f.runs()) {
      if (r.outcome().error() == null) {
        out.addAll(measuredOf(r));
      }
    }
    return out;
  }

  private static List<JsonNode> measuredOf(Report.Run r) {
    return r.outcome().measured();
  }

  private static String cell(Report.Run run, ToDoubleFunction<JsonNode> metric, int decimals) {
    List<Double> values = new ArrayList<>();
    for (JsonNode rep : measuredOf(run)) {
      values.add(metric.applyAsDouble(rep));
    }
    Stats.Summary s = Stats.Summary.of(values);
    String x = "%." + decimals + "f";
    if (s.count() == 1) {
      return String.format(Locale.ROOT, x, s.median());
    }
    return String.format(Locale.ROOT, x + " [" + x + "–" + x + "]", s.median(), s.min(), s.max());
  }
}
