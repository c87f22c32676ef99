package io.cob.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * One engine, one database, one workload, in a JVM of its own (started by {@link BenchMain}):
 * builds the engine on a fresh database, deploys the model, runs one probe instance, then the
 * warm-up and measured repetitions, and reports each as a JSON line starting with {@value #PREFIX}
 * on standard output. Exits 1 after an {@code error} line when anything fails, including the
 * correctness check after a repetition.
 */
@Command(name = "engine-run", mixinStandardHelpOptions = true)
public final class EngineRun implements Callable<Integer> {
  public static final String PREFIX = "BENCH ";

  @Option(names = "--engine", required = true)
  Vendor vendor;

  @Option(names = "--workload", required = true)
  Workload workload;

  @Option(names = "--url", required = true, description = "JDBC URL of the fresh database")
  String url;

  @Option(names = "--threads", defaultValue = "1")
  int threads;

  @Option(names = "--instances", defaultValue = "1000")
  int instances;

  @Option(names = "--reps", defaultValue = "3")
  int reps;

  @Option(names = "--warmup", defaultValue = "1")
  int warmup;

  @Option(names = "--rate", defaultValue = "20", description = "arrivals per second (LAT)")
  double rate;

  @Option(names = "--pool", defaultValue = "" + Pools.DEFAULT_SIZE, description = "connections")
  int pool;

  @Option(names = "--timeout", defaultValue = "PT10M", description = "per repetition")
  Duration timeout;

  private final ObjectMapper json = new ObjectMapper();
  private final PrintStream out;

  private EngineRun(PrintStream out) {
    this.out = out;
  }

  public static void main(String[] args) {
    // Libraries may print to standard output; the results go to the original stream, and
    // everything else is sent to standard error so that a result line is never interleaved.
    PrintStream results = System.out;
    System.setOut(System.err);
    int code =
        new CommandLine(new EngineRun(results))
            .setCaseInsensitiveEnumValuesAllowed(true)
            .execute(args);
    System.exit(code);
  }

  @Override
  public Integer call() throws Exception {
    long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
    BenchEngine engine;
    try {
      engine = open();
    } catch (RuntimeException e) {
      return fail("cannot start the engine", e);
    }
    Optional<PgCounters> counters = PgCounters.forUrl(url);
    Map<String, Long> before = null;
    try (engine) {
      long ready = System.currentTimeMillis() - jvmStart;
      engine.deploy(workload.processId(), Models.bpmn(workload, vendor));
      Driver driver = new Driver(engine, vendor, workload, threads, timeout);
      driver.probe();
      long firstInstance = System.currentTimeMillis() - jvmStart;
      Map<String, Object> info = new LinkedHashMap<>();
      info.put("type", "info");
      info.put("version", engine.version());
      info.put("settings", engine.settings());
      info.put("jvmToReadyMs", ready);
      info.put("jvmToFirstInstanceMs", firstInstance);
      info.put(
          "jvm",
          System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
      info.put("jvmArgs", ManagementFactory.getRuntimeMXBean().getInputArguments());
      emit(info);
      if (workload == Workload.HEAP) {
        emit(repLine(driver.fill(instances)));
      }
      for (int r = 0; workload != Workload.HEAP && r < warmup + reps; r++) {
        if (r == warmup && counters.isPresent()) {
          before = counters.get().sampleWhileRunning();
        }
        System.gc();
        emit(repLine(driver.run(r, r < warmup, instances, rate)));
      }
    } catch (Exception e) {
      return fail("the run failed", e);
    }
    if (before != null) {
      // After the engine has closed its pool: every backend has exited and published its counts.
      try {
        Map<String, Object> db = new LinkedHashMap<>();
        db.put("type", "db");
        db.put(
            "perInstance",
            PgCounters.perInstance(
                before, counters.get().sampleAfterClose(), (long) reps * instances));
        emit(db);
      } catch (Exception e) {
        return fail("reading the PostgreSQL statistics failed", e);
      }
    }
    return 0;
  }

  private static Map<String, Object> repLine(Driver.Rep rep) {
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("type", "rep");
    line.put("rep", rep.rep());
    line.put("warmup", rep.warmup());
    line.put("instances", rep.instances());
    line.put("seconds", rep.seconds());
    line.put("perSecond", rep.perSecond());
    line.put("p50Ms", rep.p50Ms());
    line.put("p99Ms", rep.p99Ms());
    line.put("extraHandlerCalls", rep.extraHandlerCalls());
    line.put("jvmCpuMs", rep.jvmCpuMs());
    line.put("machineCpuMs", rep.machineCpuMs());
    line.put("heapBeforeBytes", rep.heapBeforeBytes());
    line.put("heapAfterBytes", rep.heapAfterBytes());
    return line;
  }

  private BenchEngine open() {
    for (BenchEngineFactory f : ServiceLoader.load(BenchEngineFactory.class)) {
      if (f.vendor() == vendor) {
        return f.open(url, pool);
      }
    }
    throw new IllegalStateException("no engine module for " + vendor + " on the class path");
  }

  private int fail(String what, Exception e) {
    e.printStackTrace();
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("type", "error");
    line.put("message", what + ": " + e);
    emit(line);
    return 1;
  }

  private void emit(Map<String, Object> line) {
    try {
      out.println(PREFIX + json.writeValueAsString(line));
      out.flush();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
