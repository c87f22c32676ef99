package io.cob.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/** Writes BENCHMARKS.md from the runs of one invocation: nothing in it comes from elsewhere. */
final class Report {
  record Settings(
      Map<String, Integer> instances,
      int reps,
      int warmup,
      int threads,
      double rate,
      int latencyInstances,
      int pool,
      String jvmOpts) {}

  record Run(RunKey key, EngineProcess.Outcome outcome, String loadAtStart) {}

  /**
   * Everything the report is made of; saved as BENCHMARKS.json so that it can be written again. Two
   * parts, each from the run that measured it: the comparison with the peers (the fields up to
   * {@code settings}; {@code runs} holds no FAILOVER run) and the fail-over section ({@code
   * failover}, null when never measured).
   */
  record Input(
      String command,
      String startedAt,
      long tookMinutes,
      Map<String, String> machine,
      String cobRevision,
      Map<String, String> pg,
      PgBench.Result pgbench,
      String loadBefore,
      String loadAfter,
      List<Run> runs,
      List<Vendor> vendors,
      Settings settings,
      Failover failover) {

    /**
     * This run's input, with the part it did not measure taken from an earlier run's (null: none),
     * so that a run of FAILOVER alone does not wipe the comparison out, nor a comparison run the
     * fail-over figures.
     */
    Input keepingUnmeasured(Input earlier) {
      if (earlier == null) {
        return this;
      }
      Input base = runs.isEmpty() && !earlier.runs().isEmpty() ? earlier : this;
      Failover f = failover != null ? failover : earlier.failover();
      return new Input(
          base.command,
          base.startedAt,
          base.tookMinutes,
          base.machine,
          base.cobRevision,
          base.pg,
          base.pgbench,
          base.loadBefore,
          base.loadAfter,
          base.runs,
          base.vendors,
          base.settings,
          f);
    }
  }

  /**
   * The fail-over part: the FAILOVER runs (one per replication mode) and the run they came from.
   */
  record Failover(
      String command,
      String startedAt,
      long tookMinutes,
      Map<String, String> machine,
      String cobRevision,
      String loadBefore,
      String loadAfter,
      List<Run> runs,
      int instances,
      int reps,
      int warmup,
      String nodeJvmOpts) {}

  private static final Set<Workload> THROUGHPUT = Set.of(Workload.P1, Workload.P2, Workload.P3);

  private final Input in;
  private final StringBuilder md = new StringBuilder();

  Report(Input in) {
    this.in = in;
  }

  String markdown() {
    md.append("# Benchmarks: cob side by side with Camunda 7 and Flowable\n\n");
    boolean comparison = !in.runs().isEmpty();
    Failover f = in.failover();
    if (f != null && comparison && !f.startedAt().equals(in.startedAt())) {
      md.append(
              "Written by `cob bench` (module `cob-bench`) from two runs, each with its command, date and machine ")
          .append(
              "in its own section: the comparison with the peers from the run in [This run](#this-run), the ")
          .append(
              "fail-over figures from the run in [Replication and fail-over](#replication-and-fail-over); every ")
          .append("number below comes from one of them. See [How to run](#how-to-run).\n\n");
    } else {
      md.append(
              "Written by `cob bench` (module `cob-bench`) from one run on one machine; every number below comes ")
          .append(
              "from that run. Re-run it with the command below; see [How to run](#how-to-run).\n\n");
    }
    if (comparison) {
      thisRun();
      throughput();
      cpu();
      databaseWork();
      latency();
      startup();
      heap();
      pgbench();
      configuration();
      failures();
    } else {
      md.append("## This run\n\n")
          .append(
              "No comparison workload (P1, P2, P3, LAT, HEAP) has been measured into this file yet.\n\n");
    }
    new FailoverSection(f, md).write();
    method();
    howToRun();
    return md.toString();
  }

  private void thisRun() {
    Settings s = in.settings();
    md.append("## This run\n\n");
    md.append("- Command: `").append(in.command()).append("`\n");
    md.append("- Date: ")
        .append(
            DateTimeFormatter.ISO_LOCAL_DATE_TIME
                .withZone(ZoneOffset.UTC)
                .format(
                    Instant.parse(in.startedAt())
                        .truncatedTo(java.time.temporal.ChronoUnit.SECONDS)))
        .append(" UTC, took ")
        .append(in.tookMinutes())
        .append(" min\n");
    in.machine().forEach((k, v) -> md.append("- ").append(k).append(": ").append(v).append('\n'));
    if (in.pg() != null) {
      md.append("- PostgreSQL: ")
          .append(in.pg().get("server_version"))
          .append(" on the same machine (");
      List<String> settings = new ArrayList<>();
      in.pg()
          .forEach(
              (k, v) -> {
                if (!k.equals("server_version")) {
                  settings.add(k + "=" + v);
                }
              });
      md.append(String.join(", ", settings))
          .append("), a fresh database per engine run, dropped afterwards\n");
    }
    md.append("- H2: file database in a fresh temporary directory per engine run (`")
        .append(Databases.H2_SETTINGS)
        .append("` for every engine)\n");
    md.append("- Engines: ").append(String.join(", ", versions())).append('\n');
    md.append("- cob source: ").append(in.cobRevision()).append('\n');
    md.append("- Repetitions: ")
        .append(s.reps())
        .append(" measured after ")
        .append(s.warmup())
        .append(" warm-up, in the same JVM; instances per repetition: ")
        .append(counts(s))
        .append(" (LAT: arrivals at ")
        .append(fmt(s.rate()))
        .append("/s); cells are median [min–max]")
        .append(s.reps() < 3 ? " — **fewer than 3 repetitions: a trial run, not a result**" : "")
        .append('\n');
    md.append("- Load average (1/5/15 min) before the run: ")
        .append(in.loadBefore())
        .append("; after: ")
        .append(in.loadAfter())
        .append("; 1-min load at the start of the engine runs: ")
        .append(loadRange())
        .append('\n');
    otherCpu().ifPresent(line -> md.append("- ").append(line).append('\n'));
    md.append('\n');
  }

  /** Instances per repetition of the workloads that ran. */
  private String counts(Settings s) {
    Set<String> ran = new LinkedHashSet<>();
    in.runs().forEach(r -> ran.add(r.key().workload().name()));
    List<String> parts = new ArrayList<>();
    s.instances()
        .forEach(
            (w, n) -> {
              if (ran.contains(w)) {
                parts.add(w + " " + n);
              }
            });
    return String.join(", ", parts);
  }

  private List<String> versions() {
    List<String> v = new ArrayList<>();
    for (Vendor vendor : in.vendors()) {
      v.add(info(vendor).map(i -> i.path("version").asText()).orElse(vendor.title()));
    }
    return v;
  }

  private String loadRange() {
    double min = Double.MAX_VALUE;
    double max = 0;
    for (Run r : in.runs()) {
      try {
        double l = Double.parseDouble(r.loadAtStart().split(" ")[0]);
        min = Math.min(min, l);
        max = Math.max(max, l);
      } catch (RuntimeException e) {
        // "?" where /proc/loadavg is missing
      }
    }
    return min == Double.MAX_VALUE ? "?" : fmt(min) + "–" + fmt(max);
  }

  /**
   * How busy the machine was apart from the engine: on H2 everything the engine does is in its JVM,
   * so the machine's CPU time beyond the JVM's during the measured repetitions is other processes'
   * (other people's builds on a shared machine).
   */
  private Optional<String> otherCpu() {
    double other = 0;
    double wall = 0;
    for (Run r : in.runs()) {
      if (r.key().db() != Db.H2) {
        continue;
      }
      for (JsonNode rep : r.outcome().measured()) {
        double machine = rep.path("machineCpuMs").asDouble(-1);
        if (machine < 0) {
          return Optional.empty();
        }
        other += machine - rep.path("jvmCpuMs").asDouble();
        wall += rep.path("seconds").asDouble() * 1000;
      }
    }
    if (wall == 0) {
      return Optional.empty();
    }
    double cpus = Math.max(0, other / wall);
    int n = Integer.parseInt(in.machine().getOrDefault("CPUs (nproc)", "0"));
    String verdict =
        cpus >= 0.25 * Math.max(1, n)
            ? " — **the machine was busy with other work during this run; its numbers are lower and noisier than on an idle machine**"
            : "";
    return Optional.of(
        String.format(
            Locale.ROOT,
            "Other processes during the measured H2 repetitions: %.2f of %d CPUs on average (machine CPU time minus the engine JVM's)%s",
            cpus,
            n,
            verdict));
  }

  private void throughput() {
    md.append("## Throughput: completed instances per second\n\n");
    md.append(
        "Higher is better. Ratios are cob's median over the peer's median, from the same run.\n\n");
    List<RunKey> rows = rows(THROUGHPUT);
    if (rows.isEmpty()) {
      md.append("(no throughput workload in this run)\n\n");
      return;
    }
    header("workload", "database", "clients");
    for (RunKey row : rows) {
      List<String> cells =
          new ArrayList<>(
              List.of(row.workload().name(), row.db().title(), String.valueOf(row.threads())));
      for (Vendor v : in.vendors()) {
        cells.add(cell(row, v, r -> r.path("perSecond").asDouble(), 0));
      }
      ratios(cells, row, r -> r.path("perSecond").asDouble());
      line(cells);
    }
    md.append('\n');
  }

  private void cpu() {
    List<RunKey> rows = rows(THROUGHPUT);
    if (rows.isEmpty()) {
      return;
    }
    md.append("## CPU time of the engine's JVM per instance (ms)\n\n");
    md.append(
            "Lower is better. Less sensitive than throughput to other load on a shared machine; it does not ")
        .append(
            "include PostgreSQL's own CPU time (on H2 the database runs inside the engine's JVM).\n\n");
    header("workload", "database", "clients");
    for (RunKey row : rows) {
      List<String> cells =
          new ArrayList<>(
              List.of(row.workload().name(), row.db().title(), String.valueOf(row.threads())));
      for (Vendor v : in.vendors()) {
        cells.add(
            cell(row, v, r -> r.path("jvmCpuMs").asDouble() / r.path("instances").asDouble(), 2));
      }
      ratios(cells, row, r -> r.path("jvmCpuMs").asDouble() / r.path("instances").asDouble());
      line(cells);
    }
    md.append('\n');
  }

  /**
   * Transactions and rows written per instance on PostgreSQL, where the statistics are per
   * database.
   */
  private void databaseWork() {
    List<RunKey> rows = new ArrayList<>();
    for (RunKey row : rows(THROUGHPUT)) {
      if (row.db() == Db.PG) {
        rows.add(row);
      }
    }
    if (rows.isEmpty()) {
      return;
    }
    md.append("## PostgreSQL work per instance\n\n");
    md.append(
            "From `pg_stat_database` of the engine's own database over the measured repetitions: transactions ")
        .append(
            "(read-only ones included) and rows inserted + updated + deleted, per completed instance. ")
        .append(
            "Independent of the machine's load; it shows where the time of a durable step goes.\n\n");
    header("workload", "database", "clients");
    for (RunKey row : rows) {
      List<String> cells =
          new ArrayList<>(
              List.of(row.workload().name(), row.db().title(), String.valueOf(row.threads())));
      for (Vendor v : in.vendors()) {
        cells.add(
            run(row, v)
                .map(Run::outcome)
                .map(EngineProcess.Outcome::db)
                .map(Report::dbWork)
                .orElse("–"));
      }
      for (Vendor v : in.vendors()) {
        if (v != Vendor.COB && in.vendors().contains(Vendor.COB)) {
          cells.add(dbRatio(row, v));
        }
      }
      line(cells);
    }
    md.append(
            "\nCells: transactions · rows written (inserted + updated + deleted); ratios compare transactions. ")
        .append(
            "Read-only transactions count too: cob reads an instance before it starts it, and in P3 looks up ")
        .append(
            "the subscriptions of a message before it correlates it, each in a transaction of its own.\n\n");
  }

  private static String dbWork(JsonNode db) {
    double rows =
        db.path("tup_inserted").asDouble()
            + db.path("tup_updated").asDouble()
            + db.path("tup_deleted").asDouble();
    return String.format(
        Locale.ROOT,
        "%.1f · %.0f (%.0f+%.0f+%.0f)",
        db.path("xact_commit").asDouble(),
        rows,
        db.path("tup_inserted").asDouble(),
        db.path("tup_updated").asDouble(),
        db.path("tup_deleted").asDouble());
  }

  private String dbRatio(RunKey row, Vendor v) {
    Optional<JsonNode> cob = run(row, Vendor.COB).map(r -> r.outcome().db());
    Optional<JsonNode> peer = run(row, v).map(r -> r.outcome().db());
    if (cob.isEmpty() || peer.isEmpty() || peer.get().path("xact_commit").asDouble() == 0) {
      return "–";
    }
    return String.format(
        Locale.ROOT,
        "%.2f×",
        cob.get().path("xact_commit").asDouble() / peer.get().path("xact_commit").asDouble());
  }

  private void latency() {
    List<RunKey> rows = rows(Set.of(Workload.LAT));
    if (rows.isEmpty()) {
      return;
    }
    Settings s = in.settings();
    md.append("## Latency: P2 start to end under ")
        .append(fmt(s.rate()))
        .append(" arrivals per second\n\n");
    md.append(
            "Milliseconds from the moment an instance was due to start (open loop: arrivals do not wait for ")
        .append("earlier starts) to the commit that ended it; each repetition ")
        .append(s.latencyInstances())
        .append(
            " instances. Lower is better; the ratio is cob's median over the peer's (below 1: cob is faster).\n\n");
    md.append(
        "| database | engine | p50 (ms) | p99 (ms) | achieved instances/s | cob/engine p50 | cob/engine p99 |\n");
    md.append("|---|---|---|---|---|---|---|\n");
    for (RunKey row : rows) {
      for (Vendor v : in.vendors()) {
        List<String> cells =
            new ArrayList<>(
                List.of(
                    row.db().title(),
                    v.title(),
                    cell(row, v, r -> r.path("p50Ms").asDouble(), 1),
                    cell(row, v, r -> r.path("p99Ms").asDouble(), 1),
                    cell(row, v, r -> r.path("perSecond").asDouble(), 1)));
        cells.add(ratio(row, v, r -> r.path("p50Ms").asDouble()));
        cells.add(ratio(row, v, r -> r.path("p99Ms").asDouble()));
        line(cells);
      }
    }
    md.append('\n');
  }

  private void startup() {
    md.append("## Start-up\n\n");
    md.append(
            "Milliseconds from the start of the engine's JVM until the engine was built on an empty database ")
        .append(
            "(schema created) and until its first P1 instance completed; median [min–max] over the engine runs ")
        .append("of this invocation (every run starts a JVM on an empty database).\n\n");
    md.append(
        "| database | engine | JVM start → engine ready | JVM start → first P1 instance completed |\n");
    md.append("|---|---|---|---|\n");
    Set<Db> dbs = new LinkedHashSet<>();
    in.runs().forEach(r -> dbs.add(r.key().db()));
    for (Db db : dbs) {
      for (Vendor v : in.vendors()) {
        List<Double> ready = new ArrayList<>();
        List<Double> first = new ArrayList<>();
        for (Run r : in.runs()) {
          JsonNode info = r.outcome().info();
          if (r.key().db() != db || r.key().vendor() != v || info == null) {
            continue;
          }
          ready.add(info.path("jvmToReadyMs").asDouble());
          if (r.key().workload() == Workload.P1) {
            first.add(info.path("jvmToFirstInstanceMs").asDouble());
          }
        }
        line(List.of(db.title(), v.title(), summary(ready, 0), summary(first, 0)));
      }
    }
    md.append('\n');
  }

  private void heap() {
    List<RunKey> rows = rows(Set.of(Workload.HEAP));
    if (rows.isEmpty()) {
      md.append(
              "## Heap\n\nHeap after 100,000 instances waiting on a message: not measured in this run ")
          .append("(workload HEAP).\n\n");
      return;
    }
    md.append("## Heap: instances waiting on a message\n\n");
    md.append(
            "Live heap of the engine's JVM (after full collections) before and after starting the instances of ")
        .append(
            "HEAP, all of which then wait for their message; one fill per engine run, no warm-up. On H2 the ")
        .append(
            "heap includes H2's own page cache, since the database runs inside the engine's JVM.\n\n");
    md.append(
            "| database | instances | engine | heap before (MiB) | heap after (MiB) | bytes per waiting instance | ")
        .append("started per second |\n|---|---|---|---|---|---|---|\n");
    for (RunKey row : rows) {
      for (Vendor v : in.vendors()) {
        Optional<JsonNode> rep =
            run(row, v)
                .filter(r -> r.outcome().error() == null)
                .flatMap(r -> r.outcome().measured().stream().findFirst());
        if (rep.isEmpty()) {
          line(
              List.of(
                  row.db().title(),
                  "–",
                  v.title(),
                  run(row, v).isPresent() ? "failed" : "–",
                  "",
                  "",
                  ""));
          continue;
        }
        JsonNode r = rep.get();
        double before = r.path("heapBeforeBytes").asDouble();
        double after = r.path("heapAfterBytes").asDouble();
        int n = r.path("instances").asInt();
        line(
            List.of(
                row.db().title(),
                String.valueOf(n),
                v.title(),
                String.format(Locale.ROOT, "%.0f", before / (1 << 20)),
                String.format(Locale.ROOT, "%.0f", after / (1 << 20)),
                String.format(Locale.ROOT, "%.0f", (after - before) / n),
                String.format(Locale.ROOT, "%.0f", r.path("perSecond").asDouble())));
      }
    }
    md.append('\n');
  }

  private void pgbench() {
    md.append("## Physical reference: this machine's PostgreSQL\n\n");
    PgBench.Result p = in.pgbench();
    if (p == null) {
      md.append("Not measured in this run (no PostgreSQL run, or `--pgbench-seconds 0`).\n\n");
      return;
    }
    if (p.note() != null) {
      md.append(p.note()).append("\n\n");
      return;
    }
    md.append("`")
        .append(p.command())
        .append("`, on a fresh database initialised with `pgbench -i`:\n\n");
    md.append("| script | transactions/s | ms each |\n|---|---|---|\n");
    md.append("| one-row INSERT, committed on its own | ")
        .append(fmt(p.insertCommitTps()))
        .append(" | ")
        .append(String.format(Locale.ROOT, "%.3f", 1000 / p.insertCommitTps()))
        .append(" |\n");
    md.append("| SELECT 1 (a round trip) | ")
        .append(fmt(p.selectTps()))
        .append(" | ")
        .append(String.format(Locale.ROOT, "%.3f", 1000 / p.selectTps()))
        .append(" |\n\n");
  }

  private void configuration() {
    md.append("## How each engine was configured\n\n");
    md.append("Every engine: embedded, in a JVM of its own (`")
        .append(in.settings().jvmOpts())
        .append(
            "`), on its own class path (its module's resolved dependencies), on a fresh database, with a ")
        .append("HikariCP pool of ")
        .append(in.settings().pool())
        .append(" connections at READ COMMITTED.\n\n");
    for (Vendor v : in.vendors()) {
      Optional<JsonNode> info = info(v);
      md.append("- **")
          .append(info.map(i -> i.path("version").asText()).orElse(v.title()))
          .append("**");
      info.ifPresent(
          i ->
              i.path("settings")
                  .properties()
                  .forEach(
                      e ->
                          md.append("\n  - ")
                              .append(e.getKey())
                              .append(": ")
                              .append(e.getValue().asText())));
      md.append('\n');
    }
    md.append('\n');
  }

  private void failures() {
    List<Run> failed = in.runs().stream().filter(r -> r.outcome().error() != null).toList();
    if (failed.isEmpty()) {
      return;
    }
    md.append("## Failed runs\n\n");
    for (Run r : failed) {
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
        ## Workloads

        """);
    for (Workload w : Workload.values()) {
      md.append("- **").append(w).append("**: ").append(w.description()).append('\n');
    }
    md.append(
        """

        The models are generated for each engine from one outline (`Models` in `cob-bench/harness`): same
        elements, ids and flows; only the vendor's extension attributes differ.

        ## Method

        - **Synchronous steps.** Camunda and Flowable run P1's and P3's service tasks as `JavaDelegate`s inside
          the transaction of the start (or of the message). cob runs no code inside a transaction: a service
          task is always a job, committed before its handler runs. cob's nearest equivalent of a synchronous
          no-op step is a plain `<task>`, which it passes through in memory up to the next wait state, so
          P1 and P3 use plain tasks in cob's model; the peers additionally call an empty delegate per step.
          "cob with every step a committed job" is P2.
        - **Durable steps (P2, LAT).** Camunda: `camunda:asyncBefore` on each service task; Flowable:
          `flowable:async`; cob: a service task whose job type has a handler on the node. Each step is then
          one job committed and executed by the engine's own executor: Camunda's job executor and Flowable's
          async executor (both on, default settings); cob hands a job of a type it handles to its local
          executor right after the commit. 10 steps + the start = 11 units of durable work per instance in
          every engine; how many transactions each engine needs for them is in the PostgreSQL table
          (Flowable, for one, locks the instance in a transaction of its own before each exclusive job).
        - **Completion** is observed after the commit that ends an instance: a process-level `end` execution
          listener in the peers' models registers a post-commit callback; cob's store is wrapped so that each
          group commit reports the instances it completed once it has returned. The clock stops when the last
          instance of a repetition has ended; the throughput is instances / (last end − first start).
        - **Correctness.** After each repetition the harness asks the engine itself (Camunda and Flowable:
          finished historic process instances and running process instances; cob: its store's instance
          summaries) whether every instance started so far has completed and none is left, and whether
          every no-op step ran; a run that fails this check fails the benchmark.
        - **Fresh state.** Each engine run starts a new JVM on a new database (PostgreSQL: `CREATE
          DATABASE`, dropped afterwards; H2: a new file). The repetitions of a run share that JVM and
          database (warm-up first), so later repetitions see the history of earlier ones, in every engine.
        - **History.** Each engine keeps its default history: Camunda and Flowable at their default level
          (`audit` in both); cob's history is its event log, written in the same commit. Camunda's check that
          every model sets a history time to live is switched off rather than setting one, since a TTL would
          also make Camunda write removal times at every process end; no engine cleans up history.
        - **Fairness of the pools.** Every engine gets the same pool size. Flowable needs more than 10: each
          of its job threads can hold two connections (the job's transaction and a nested one its
          after-commit listeners run in), and with 10 connections it starves under 4 clients.
        - **Spread.** Cells show the median and the range over the measured repetitions. On a shared
          machine, look at the CPU-per-instance table and the other-processes line before the throughput.

        """);
  }

  private void howToRun() {
    md.append(
        """
        ## How to run

        ```
        ./cob bench                                   # the comparison: P1, P2, P3, LAT, HEAP on H2 and PostgreSQL, 3 reps after 1 warm-up
        ./cob bench --dbs h2 --workloads P1,P2 --instances 200 --reps 1 --warmup 0   # a quick trial
        ./cob bench --workloads=FAILOVER --dbs=h2 --reps=5 --warmup=0             # replication and fail-over (RabbitMQ)
        ./cob bench --help                            # all options
        ```

        `./cob bench` builds the benchmark modules (`mvn -B -Pbench -pl cob-bench/cob,cob-bench/camunda,cob-bench/flowable,cob-bench/failover
        -am package -DskipTests`; the default build never compiles them) and runs `io.cob.bench.BenchMain`, which
        starts one JVM per engine, database and workload (`io.cob.bench.EngineRun`) and writes this file
        (`--out`). PostgreSQL is reached through `--pg-url` (default `jdbc:postgresql://127.0.0.1:5432/test?user=postgres`);
        each run creates and drops its own database there, so the user needs `CREATEDB`. `--jfr DIR` records
        each engine's JVM with Flight Recorder. The engines' logs go to `cob-bench/target/logs/`.
        FAILOVER runs one JVM per replication mode (`--failover-modes`, default `async,sync`;
        `io.cob.bench.failover.FailoverRun`), which starts three cob node JVMs per repetition on the RabbitMQ of
        `--amqp-url` (default `amqp://guest:guest@127.0.0.1:5672`); it runs with cob on H2 only.
        Every repetition's raw numbers are saved next to this file (`BENCHMARKS.json`);
        `./cob bench --render BENCHMARKS.json` writes this file again from them. A run keeps the part it does
        not measure from the raw results already there: FAILOVER alone replaces only the fail-over section, a
        run without FAILOVER keeps it.
        """);
  }

  // ---- helpers

  /** The rows of these workloads, in run order. */
  private List<RunKey> rows(Set<Workload> workloads) {
    Set<RunKey> rows = new LinkedHashSet<>();
    for (Run r : in.runs()) {
      if (workloads.contains(r.key().workload())) {
        rows.add(r.key().row());
      }
    }
    return new ArrayList<>(rows);
  }

  private Optional<Run> run(RunKey row, Vendor v) {
    return in.runs().stream()
        .filter(r -> r.key().row().equals(row) && r.key().vendor() == v)
        .findFirst();
  }

  private Optional<Stats.Summary> summary(RunKey row, Vendor v, ToDoubleFunction<JsonNode> metric) {
    return run(row, v)
        .filter(r -> r.outcome().error() == null && !r.outcome().measured().isEmpty())
        .map(
            r ->
                Stats.Summary.of(
                    r.outcome().measured().stream().map(metric::applyAsDouble).toList()));
  }

  private String cell(RunKey row, Vendor v, ToDoubleFunction<JsonNode> metric, int decimals) {
    if (run(row, v).isEmpty()) {
      return "–";
    }
    return summary(row, v, metric).map(s -> format(s, decimals)).orElse("failed");
  }

  private void ratios(List<String> cells, RunKey row, ToDoubleFunction<JsonNode> metric) {
    if (!in.vendors().contains(Vendor.COB)) {
      return;
    }
    for (Vendor v : in.vendors()) {
      if (v != Vendor.COB) {
        cells.add(ratio(row, v, metric));
      }
    }
  }

  private String ratio(RunKey row, Vendor v, ToDoubleFunction<JsonNode> metric) {
    if (v == Vendor.COB) {
      return "";
    }
    Optional<Stats.Summary> cob = summary(row, Vendor.COB, metric);
    Optional<Stats.Summary> peer = summary(row, v, metric);
    if (cob.isEmpty() || peer.isEmpty() || peer.get().median() == 0) {
      return "–";
    }
    return String.format(Locale.ROOT, "%.2f×", cob.get().median() / peer.get().median());
  }

  private void header(String... first) {
    List<String> cells = new ArrayList<>(List.of(first));
    for (Vendor v : in.vendors()) {
      cells.add(v.title());
    }
    if (in.vendors().contains(Vendor.COB)) {
      for (Vendor v : in.vendors()) {
        if (v != Vendor.COB) {
          cells.add("cob / " + v.title());
        }
      }
    }
    line(cells);
    md.append("|---".repeat(cells.size())).append("|\n");
  }

  private void line(List<String> cells) {
    md.append("| ").append(String.join(" | ", cells)).append(" |\n");
  }

  private Optional<JsonNode> info(Vendor v) {
    return in.runs().stream()
        .filter(r -> r.key().vendor() == v && r.outcome().info() != null)
        .map(r -> r.outcome().info())
        .findFirst();
  }

  private static String summary(List<Double> values, int decimals) {
    return values.isEmpty() ? "–" : format(Stats.Summary.of(values), decimals);
  }

  private static String format(Stats.Summary s, int decimals) {
    String f = "%." + decimals + "f";
    if (s.count() == 1) {
      return String.format(Locale.ROOT, f, s.median());
    }
    return String.format(Locale.ROOT, f + " [" + f + "–" + f + "]", s.median(), s.min(), s.max());
  }

  private static String fmt(double v) {
    return v == Math.rint(v) ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.2f", v);
  }
}
