package io.cob.bench.failover;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cob.bench.EngineRun;
import io.cob.bench.ReplicationMode;
import io.cob.bus.amqp.AmqpAddress;
import io.cob.server.CobNode;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The FAILOVER workload in one mode, in a JVM of its own (started by {@code BenchMain}, like an
 * engine run): runs the warm-up and measured {@link Repetition}s and reports each as a JSON line
 * starting with {@value EngineRun#PREFIX} on standard output, as {@link EngineRun} does. Exits 1
 * after an {@code error} line when a repetition fails, an instance lost included.
 */
@Command(name = "failover-run", mixinStandardHelpOptions = true)
public final class FailoverRun implements Callable<Integer> {
  @Option(names = "--mode", required = true, converter = ModeConverter.class)
  ReplicationMode mode;

  @Option(names = "--instances", defaultValue = "1000")
  int instances;

  @Option(names = "--reps", defaultValue = "5")
  int reps;

  @Option(names = "--warmup", defaultValue = "0")
  int warmup;

  @Option(names = "--amqp-url", defaultValue = "amqp://guest:guest@127.0.0.1:5672")
  String amqpUrl;

  @Option(
      names = "--node-jvm-opts",
      defaultValue = "-Xms512m -Xmx512m -XX:+UseG1GC",
      description = "options of each node's JVM")
  String nodeJvmOpts;

  @Option(names = "--logs", required = true, description = "the nodes' logs go below it")
  Path logs;

  @Option(names = "--timeout", defaultValue = "PT5M", description = "for each wait of a repetition")
  Duration timeout;

  static final class ModeConverter implements CommandLine.ITypeConverter<ReplicationMode> {
    @Override
    public ReplicationMode convert(String value) {
      return ReplicationMode.parse(value);
    }
  }

  private final ObjectMapper json = new ObjectMapper();
  private final PrintStream out;

  private FailoverRun(PrintStream out) {
    this.out = out;
  }

  public static void main(String[] args) {
    // Results go to the original standard output; anything else printed goes to standard error.
    PrintStream results = System.out;
    System.setOut(System.err);
    System.exit(new CommandLine(new FailoverRun(results)).execute(args));
  }

  @Override
  public Integer call() {
    Broker broker = new Broker(amqpUrl);
    List<String> jvm =
        Arrays.stream(nodeJvmOpts.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList();
    try {
      broker.requireReachable();
      emit(info(jvm));
      for (int r = 0; r < warmup + reps; r++) {
        boolean isWarmup = r < warmup;
        Path work = Files.createTempDirectory("cob-bench-failover-");
        Path repLogs = logs.resolve((isWarmup ? "warmup-" : "rep-") + (isWarmup ? r : r - warmup));
        Repetition.Result result =
            new Repetition(mode, instances, broker, jvm, work, repLogs, timeout).run();
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("type", "rep");
        line.put("rep", isWarmup ? r : r - warmup);
        line.put("warmup", isWarmup);
        line.putAll(json.convertValue(result, new TypeReference<Map<String, Object>>() {}));
        emit(line);
      }
      return 0;
    } catch (Exception e) {
      e.printStackTrace();
      Map<String, Object> line = new LinkedHashMap<>();
      line.put("type", "error");
      line.put("message", "FAILOVER " + mode.id() + " failed: " + e.getMessage());
      emit(line);
      return 1;
    }
  }

  private Map<String, Object> info(List<String> jvm) {
    String v = CobNode.class.getPackage().getImplementationVersion();
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("replication", mode.id());
    settings.put("clouds", CloudsConfig.DESCRIPTION);
    settings.put(
        "process",
        "start → "
            + Model.STEPS
            + " HTTP steps on the owner's cloud → end; each step calls a service in the harness's JVM"
            + " that answers after "
            + Repetition.MIN_STEP.toMillis()
            + "–"
            + Repetition.MAX_STEP.toMillis()
            + " ms (uniform)");
    settings.put(
        "load",
        instances
            + " instances started at the owner by "
            + Repetition.CLIENTS
            + " client threads, held at their first step until every start is answered; the owner's"
            + " JVM is killed (SIGKILL) once the service has answered "
            + instances
            + " calls");
    settings.put(
        "replication lag",
        "replication.lagMs of the standby in the owner's GET /api/v1/clouds, sampled every "
            + LagSampler.INTERVAL.toMillis()
            + " ms from the first start to the kill");
    settings.put(
        "broker", AmqpAddress.parse(amqpUrl).toString() + ", a fresh namespace per repetition");
    settings.put("node JVMs", String.join(" ", jvm));
    Map<String, Object> info = new LinkedHashMap<>();
    info.put("type", "info");
    info.put("version", "cob " + (v == null ? "(built from source)" : v));
    info.put("settings", settings);
    info.put(
        "jvm",
        System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
    info.put("jvmArgs", ManagementFactory.getRuntimeMXBean().getInputArguments());
    return info;
  }

  private void emit(Map<String, Object> line) {
    try {
      out.println(EngineRun.PREFIX + json.writeValueAsString(line));
      out.flush();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
