package io.cob.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Runs the benchmarks: for every database, workload and client count, each engine in turn in a JVM
 * of its own on a fresh database; then writes the report (BENCHMARKS.md).
 */
@Command(
    name = "cob bench",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description =
        "Benchmarks cob side by side with Camunda 7 and Flowable and writes BENCHMARKS.md.")
public final class BenchMain implements Callable<Integer> {
  @Option(
      names = "--engines",
      split = ",",
      defaultValue = "cob,camunda,flowable",
      description = "engines to run (default: ${DEFAULT-VALUE})")
  List<String> engines;

  @Option(
      names = "--workloads",
      split = ",",
      defaultValue = "P1,P2,P3,LAT,HEAP",
      description =
          "P1, P2, P3, LAT (P2 latency at a fixed rate), HEAP (instances waiting on a message), "
              + "FAILOVER (cob only, on RabbitMQ: replication lag and recovery after the owner is "
              + "killed) (default: ${DEFAULT-VALUE})")
  List<String> workloads;

  @Option(
      names = "--dbs",
      split = ",",
      defaultValue = "h2,pg",
      description = "h2, pg (default: ${DEFAULT-VALUE})")
  List<String> dbs;

  @Option(
      names = "--instances",
      split = ",",
      defaultValue = "P1=5000,P2=1000,P3=2000,HEAP=100000,FAILOVER=1000",
      description =
          "instances per repetition: N for every workload, or WORKLOAD=N,... (default: ${DEFAULT-VALUE})")
  List<String> instances;

  @Option(
      names = "--p1-threads",
      split = ",",
      defaultValue = "1,4",
      description = "client threads of P1, one row each (default: ${DEFAULT-VALUE})")
  List<Integer> p1Threads;

  @Option(
      names = "--threads",
      defaultValue = "4",
      description = "client threads of P2 and P3 (default: ${DEFAULT-VALUE})")
  int threads;

  @Option(
      names = "--reps",
      defaultValue = "3",
      description = "measured repetitions (default: ${DEFAULT-VALUE})")
  int reps;

  @Option(
      names = "--warmup",
      defaultValue = "1",
      description = "warm-up repetitions, not counted (default: ${DEFAULT-VALUE})")
  int warmup;

  @Option(
      names = "--rate",
      defaultValue = "20",
      description = "LAT: arrivals per second (default: ${DEFAULT-VALUE})")
  double rate;

  @Option(
      names = "--latency-seconds",
      defaultValue = "20",
      description = "LAT: seconds per repetition (default: ${DEFAULT-VALUE})")
  int latencySeconds;

  @Option(
      names = "--failover-modes",
      split = ",",
      defaultValue = "async,sync",
      description = "FAILOVER: the replication modes, one run each (default: ${DEFAULT-VALUE})")
  List<String> failoverModes;

  @Option(
      names = "--amqp-url",
      defaultValue = "amqp://guest:guest@127.0.0.1:5672",
      description =
          "FAILOVER: the RabbitMQ of the clouds; each repetition uses a namespace of its own and "
              + "deletes it (default: ${DEFAULT-VALUE})")
  String amqpUrl;

  @Option(
      names = "--pool",
      defaultValue = "" + Pools.DEFAULT_SIZE,
      description = "connections of every engine's pool (default: ${DEFAULT-VALUE})")
  int pool;

  @Option(
      names = "--pg-url",
      defaultValue = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres",
      description =
          "administrative connection; each run gets a fresh database next to it (default: ${DEFAULT-VALUE})")
  String pgUrl;

  @Option(
      names = "--jvm-opts",
      defaultValue = "-Xms1g -Xmx1g -XX:+UseG1GC",
      description = "options of every engine's JVM (default: ${DEFAULT-VALUE})")
  String jvmOpts;

  @Option(
      names = "--jfr",
      description = "record each engine's JVM with Flight Recorder into this directory")
  Path jfr;

  @Option(
      names = "--pgbench-seconds",
      defaultValue = "10",
      description = "0 skips pgbench (default: ${DEFAULT-VALUE})")
  int pgbenchSeconds;

  @Option(
      names = "--timeout",
      defaultValue = "PT30M",
      description = "per engine run; FAILOVER: per repetition (default: ${DEFAULT-VALUE})")
  Duration timeout;

  @Option(
      names = "--out",
      defaultValue = "BENCHMARKS.md",
      description =
          "the report; the raw results go next to it as .json (default: ${DEFAULT-VALUE})")
  Path out;

  @Option(
      names = "--logs",
      description = "the engines' logs (default: cob-bench/target/logs/<time>)")
  Path logs;

  @Option(
      names = "--render",
      description = "only write the report again from the raw results (.json) of an earlier run")
  Path render;

  private static final ObjectMapper JSON = new ObjectMapper();
  private Map<Workload, Integer> counts;

  private final String[] args;

  private BenchMain(String[] args) {
    this.args = args;
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new BenchMain(args)).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    if (render != null) {
      writeReport(JSON.readValue(render.toFile(), Report.Input.class));
      return 0;
    }
    counts = instanceCounts();
    List<Vendor> vendors = engines.stream().map(Vendor::parse).distinct().toList();
    List<Workload> loads = workloads.stream().map(Workload::parse).distinct().toList();
    List<Db> databases = dbs.stream().map(Db::parse).distinct().toList();
    List<ReplicationMode> modes =
        failoverModes.stream().map(ReplicationMode::parse).distinct().toList();
    Path home = benchHome();
    List<RunKey> plan = plan(databases, loads, vendors, modes);
    if (plan.isEmpty()) {
      log("cob bench: nothing to run for these workloads, databases and engines");
      return 2;
    }
    for (Path jar : plan.stream().map(k -> jarOf(home, k)).distinct().toList()) {
      if (!Files.isRegularFile(jar)) {
        System.err.println(
            "cob bench: "
                + jar
                + " is missing; build with: mvn -B -Pbench -pl "
                + MODULES
                + " -am package -DskipTests");
        return 2;
      }
    }
    // What is measured is the source as it is now, not as it may be when the run ends.
    String revision = Machine.sourceRevision(home.getParent());
    Instant startedAt = Instant.now();
    String stamp =
        DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss").withZone(ZoneOffset.UTC).format(startedAt);
    Path logDir = logs != null ? logs : home.resolve("target/logs/" + stamp);
    String loadBefore = Machine.loadAverage();
    List<Report.Run> runs = new ArrayList<>();
    Map<String, String> pgSettings = null;
    PgBench.Result pgbench = null;
    try (Databases fresh = new Databases(pgUrl, stamp)) {
      if (plan.stream().anyMatch(k -> k.db() == Db.PG)) {
        pgSettings = fresh.pgSettings();
        pgbench = pgbench(fresh);
      }
      for (int i = 0; i < plan.size(); i++) {
        log("[" + (i + 1) + "/" + plan.size() + "] " + plan.get(i).label() + " ...");
        runs.add(runOne(home, fresh, plan.get(i), logDir));
      }
    }
    String command = command();
    long took = Duration.between(startedAt, Instant.now()).toMinutes();
    Map<String, String> machine = Machine.describe();
    String loadAfter = Machine.loadAverage();
    List<Report.Run> failover =
        runs.stream().filter(r -> r.key().workload() == Workload.FAILOVER).toList();
    Report.Input measured =
        new Report.Input(
            command,
            startedAt.toString(),
            took,
            machine,
            revision,
            pgSettings,
            pgbench,
            loadBefore,
            loadAfter,
            runs.stream().filter(r -> r.key().workload() != Workload.FAILOVER).toList(),
            vendors,
            new Report.Settings(
                settingsCounts(), reps, warmup, threads, rate, latencyInstances(), pool, jvmOpts),
            failover.isEmpty()
                ? null
                : new Report.Failover(
                    command,
                    startedAt.toString(),
                    took,
                    machine,
                    revision,
                    loadBefore,
                    loadAfter,
                    failover,
                    counts.get(Workload.FAILOVER),
                    reps,
                    warmup,
                    jvmOpts));
    writeReport(measured.keepingUnmeasured(earlier()));
    long failed = runs.stream().filter(r -> r.outcome().error() != null).count();
    if (failed > 0) {
      log(failed + " engine run(s) failed; see the report and " + logDir);
      return 1;
    }
    return 0;
  }

  /**
   * The raw results an earlier run left next to the report, if any: the parts of the report this
   * run does not measure (the comparison, or the fail-over section) are kept from them.
   */
  private Report.Input earlier() {
    Path raw = rawResults();
    if (!Files.isRegularFile(raw)) {
      return null;
    }
    try {
      Report.Input earlier = JSON.readValue(raw.toFile(), Report.Input.class);
      log("parts of the report this run does not measure are kept from " + raw);
      return earlier;
    } catch (IOException e) {
      log("cannot read the earlier raw results " + raw + " (" + e.getMessage() + "): not kept");
      return null;
    }
  }

  private Path rawResults() {
    return out.resolveSibling(out.getFileName().toString().replaceFirst("\\.md$", "") + ".json");
  }

  private PgBench.Result pgbench(Databases fresh) {
    if (pgbenchSeconds <= 0) {
      return null;
    }
    log("pgbench: one-row INSERT + commit and SELECT 1, 1 client, " + pgbenchSeconds + " s each");
    PgBench.Result result = PgBench.run(fresh, pgbenchSeconds);
    log(
        "pgbench: "
            + (result.note() != null
                ? result.note()
                : String.format(
                    "%.0f commits/s, %.0f round trips/s",
                    result.insertCommitTps(), result.selectTps())));
    return result;
  }

  /** The report, and next to it (same name, .json) the raw results it was written from. */
  private void writeReport(Report.Input input) throws IOException {
    if (render == null) {
      Path raw = rawResults();
      JSON.writerWithDefaultPrettyPrinter().writeValue(raw.toFile(), input);
      log("raw results: " + raw.toAbsolutePath());
    }
    Files.writeString(out, new Report(input).markdown());
    log("wrote " + out.toAbsolutePath());
  }

  /**
   * The engines of one row run back to back, so the ratios of a row compare runs made minutes apart
   * on the same machine state; their order rotates from row to row so that no engine always runs
   * first (right after a PostgreSQL checkpoint, say) or last. FAILOVER is cob's alone, on H2 file
   * stores (one per node): one run per replication mode.
   */
  static List<RunKey> plan(
      List<Db> databases,
      List<Workload> loads,
      List<Vendor> vendors,
      List<ReplicationMode> modes,
      List<Integer> p1Threads,
      int threads) {
    List<RunKey> plan = new ArrayList<>();
    int row = 0;
    for (Db db : databases) {
      for (Workload w : loads) {
        if (w == Workload.FAILOVER) {
          if (db == Db.H2 && vendors.contains(Vendor.COB)) {
            modes.forEach(m -> plan.add(new RunKey(db, w, 0, Vendor.COB, m.id())));
          }
          continue;
        }
        List<Integer> counts =
            switch (w) {
              case P1 -> p1Threads;
              case LAT -> List.of(0);
              default -> List.of(threads);
            };
        for (int t : counts) {
          for (int i = 0; i < vendors.size(); i++) {
            plan.add(new RunKey(db, w, t, vendors.get((i + row) % vendors.size())));
          }
          row++;
        }
      }
    }
    return plan;
  }

  private List<RunKey> plan(
      List<Db> databases, List<Workload> loads, List<Vendor> vendors, List<ReplicationMode> modes) {
    if (loads.contains(Workload.FAILOVER)) {
      if (!databases.contains(Db.H2) || !vendors.contains(Vendor.COB)) {
        log("FAILOVER runs only with cob on H2 (--engines cob, --dbs h2): not run");
      } else if (databases.contains(Db.PG)) {
        log("FAILOVER runs on H2 file stores only (a store per node); not on PostgreSQL");
      }
    }
    return plan(databases, loads, vendors, modes, p1Threads, threads);
  }

  private Report.Run runOne(Path home, Databases fresh, RunKey key, Path logDir) throws Exception {
    if (key.workload() == Workload.FAILOVER) {
      return runFailover(home, key, logDir);
    }
    String load = Machine.loadAverage();
    try (Databases.Fresh db = fresh.create(key.db(), key.vendor().id())) {
      List<String> cmd = new ArrayList<>();
      cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      cmd.addAll(Arrays.stream(jvmOpts.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList());
      cmd.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
      if (jfr != null) {
        Files.createDirectories(jfr);
        cmd.add(
            "-XX:StartFlightRecording=settings=profile,filename="
                + jfr.resolve(key.label() + ".jfr").toAbsolutePath());
      }
      cmd.addAll(
          List.of(
              "-cp",
              jarOf(home, key).toString(),
              EngineRun.class.getName(),
              "--engine",
              key.vendor().name(),
              "--workload",
              key.workload().name(),
              "--url",
              db.url(),
              "--threads",
              String.valueOf(Math.max(1, key.threads())),
              "--instances",
              String.valueOf(
                  key.workload() == Workload.LAT ? latencyInstances() : counts.get(key.workload())),
              "--reps",
              String.valueOf(reps),
              "--warmup",
              String.valueOf(warmup),
              "--rate",
              String.valueOf(rate),
              "--pool",
              String.valueOf(pool)));
      Path log = logDir.resolve(key.label() + ".log");
      EngineProcess.Outcome outcome =
          EngineProcess.run(cmd, log, timeout, node -> progress(key, node));
      if (outcome.error() != null) {
        log("    FAILED: " + outcome.error() + " (log: " + log + ")");
      }
      return new Report.Run(key, outcome, load);
    }
  }

  /**
   * FAILOVER in one replication mode: {@code io.cob.bench.failover.FailoverRun} in a JVM of its own
   * on the failover module's class path, which starts the three node JVMs of each repetition (with
   * {@code --jvm-opts}, as every engine's JVM) on that class path too.
   */
  private Report.Run runFailover(Path home, RunKey key, Path logDir) throws Exception {
    String load = Machine.loadAverage();
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(
        List.of(
            "-Xmx512m",
            "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
            "-cp",
            jarOf(home, key).toString(),
            "io.cob.bench.failover.FailoverRun",
            "--mode",
            key.variant(),
            "--instances",
            String.valueOf(counts.get(Workload.FAILOVER)),
            "--reps",
            String.valueOf(reps),
            "--warmup",
            String.valueOf(warmup),
            "--amqp-url",
            amqpUrl,
            "--node-jvm-opts",
            jvmOpts,
            "--logs",
            logDir.resolve(key.label()).toString()));
    Path log = logDir.resolve(key.label() + ".log");
    // Each repetition starts three JVMs and waits for a recovery: the limit is per repetition.
    EngineProcess.Outcome outcome =
        EngineProcess.run(
            cmd,
            log,
            timeout.multipliedBy(Math.max(1, reps + warmup)),
            node -> progress(key, node));
    if (outcome.error() != null) {
      log("    FAILED: " + outcome.error() + " (log: " + log + ")");
    }
    return new Report.Run(key, outcome, load);
  }

  private void progress(RunKey key, JsonNode node) {
    if ("rep".equals(node.path("type").asText()) && key.workload() == Workload.FAILOVER) {
      log(
          String.format(
              java.util.Locale.ROOT,
              "    %s %d: %d in flight at the kill; lag p50 %.0f ms, p99 %.0f ms; kill → first step"
                  + " by the standby %.0f ms, → all done %.1f s",
              node.path("warmup").asBoolean() ? "warm-up" : "rep",
              node.path("rep").asInt(),
              node.path("takenOver").asInt(),
              node.path("lagP50Ms").asDouble(),
              node.path("lagP99Ms").asDouble(),
              node.path("killToFirstStepMs").asDouble(),
              node.path("killToAllDoneMs").asDouble() / 1000));
      return;
    }
    if ("rep".equals(node.path("type").asText())) {
      String what = node.path("warmup").asBoolean() ? "warm-up" : "rep";
      String latency =
          node.hasNonNull("p50Ms")
              ? String.format(
                  ", p50 %.1f ms, p99 %.1f ms",
                  node.path("p50Ms").asDouble(), node.path("p99Ms").asDouble())
              : "";
      log(
          String.format(
              "    %s %d: %.1f instances/s%s",
              what, node.path("rep").asInt(), node.path("perSecond").asDouble(), latency));
    }
  }

  /**
   * "1000" for every workload, or "P1=5000,P2=1000": the workloads not named keep their default.
   */
  private Map<Workload, Integer> instanceCounts() {
    Map<Workload, Integer> m = new java.util.EnumMap<>(Workload.class);
    m.put(Workload.P1, 5000);
    m.put(Workload.P2, 1000);
    m.put(Workload.P3, 2000);
    m.put(Workload.HEAP, 100_000);
    m.put(Workload.FAILOVER, 1000);
    for (String entry : instances) {
      int eq = entry.indexOf('=');
      if (eq < 0) {
        int n = Integer.parseInt(entry.trim());
        m.replaceAll((w, old) -> n);
      } else {
        m.put(
            Workload.parse(entry.substring(0, eq)),
            Integer.parseInt(entry.substring(eq + 1).trim()));
      }
    }
    return m;
  }

  private Map<String, Integer> settingsCounts() {
    Map<String, Integer> m = new java.util.LinkedHashMap<>();
    counts.forEach((w, n) -> m.put(w.name(), n));
    m.put(Workload.LAT.name(), latencyInstances());
    return m;
  }

  private int latencyInstances() {
    return (int) Math.max(1, Math.round(rate * latencySeconds));
  }

  /** The command as typed: the launcher passes it in; otherwise the java command. */
  private String command() {
    String shown = Arrays.stream(args).map(BenchMain::quote).collect(Collectors.joining(" "));
    String prefix =
        System.getProperty(
            "cob.bench.command", "java -jar cob-bench/harness/target/cob-bench-harness.jar");
    return (prefix + " " + shown).trim();
  }

  private static String quote(String arg) {
    return arg.matches("[A-Za-z0-9_./:=,@%+-]+") ? arg : "'" + arg.replace("'", "'\\''") + "'";
  }

  /**
   * cob-bench/: from -Dcob.bench.home, or from where this class was loaded (harness/target/*.jar).
   */
  private static Path benchHome() throws Exception {
    String home = System.getProperty("cob.bench.home");
    if (home != null) {
      return Path.of(home).toAbsolutePath();
    }
    Path jar = Path.of(BenchMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    return jar.getParent().getParent().getParent();
  }

  /** The modules `./cob bench` builds, whose jars the runs need. */
  static final String MODULES =
      "cob-bench/cob,cob-bench/camunda,cob-bench/flowable,cob-bench/failover";

  /** The jar whose class path a run's JVM gets: its engine's module, or the failover module. */
  private static Path jarOf(Path home, RunKey key) {
    String module = key.workload() == Workload.FAILOVER ? "failover" : key.vendor().id();
    return home.resolve(module).resolve("target").resolve("cob-bench-" + module + ".jar");
  }

  private static void log(String message) {
    System.err.println(message);
  }
}
