package io.cob.bench.failover;

import com.fasterxml.jackson.databind.JsonNode;
import io.cob.bench.ReplicationMode;
import io.cob.bench.Stats;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One repetition of FAILOVER: three fresh clouds (a node JVM each, fresh stores, a fresh RabbitMQ
 * namespace); {@code instances} instances started at the owner and held at their first step until
 * every start is answered, then let go; once the step service has answered as many calls as there
 * are instances (about one step each, so that the instances are still in flight), the owner's JVM
 * is killed with SIGKILL. The repetition ends when the standby reports every instance completed. It
 * fails, loudly, when an instance is lost or does not complete within the timeout, or when a step
 * of an instance was never called.
 */
final class Repetition {
  static final Duration MIN_STEP = Duration.ofMillis(50);
  static final Duration MAX_STEP = Duration.ofMillis(150);
  static final int CLIENTS = 8;
  private static final Duration UP_LIMIT = Duration.ofSeconds(60);
  private static final Duration POLL = Duration.ofMillis(250);
  private static final Pattern AUTOMATIC_FAILOVER =
      Pattern.compile(
          "event=automatic_failover from="
              + CloudsConfig.OWNER
              + " to="
              + CloudsConfig.STANDBY
              + " .*absentMs=(\\d+) recoveryMs=(\\d+)");

  private final ReplicationMode mode;
  private final int instances;
  private final Broker broker;
  private final List<String> nodeJvmOptions;
  private final Path work;
  private final Path logs;
  private final Duration timeout;

  /**
   * @param work where the stores and files go; deleted afterwards
   * @param logs where the nodes' logs go; kept
   * @param timeout for each wait: the starts, the steps before the kill, the recovery
   */
  Repetition(
      ReplicationMode mode,
      int instances,
      Broker broker,
      List<String> nodeJvmOptions,
      Path work,
      Path logs,
      Duration timeout) {
    this.mode = mode;
    this.instances = instances;
    this.broker = broker;
    this.nodeJvmOptions = nodeJvmOptions;
    this.work = work;
    this.logs = logs;
    this.timeout = timeout;
  }

  /**
   * What one repetition measured; durations in ms.
   *
   * @param completedAtStandby instances started at the owner that the standby's histories show
   *     completed (a repetition where this falls short of {@code instances} fails)
   * @param takenOver instances the standby took over: those in flight at the kill
   * @param endedBeforeKill instances whose end reached the standby before the kill
   * @param startSeconds from the first start sent to the last answered
   * @param startP50Ms how long a start took to be answered (sync: once the standby stored it)
   * @param lagSamples samples of the owner's replication lag, from the first start to the kill
   * @param killToFirstStepMs kill to the first step the standby committed: the recovery time
   * @param killToAllDoneMs kill to the end of the last instance
   * @param guardAbsentMs the standby's own account: the owner's mark absent this long when it took
   *     over ({@code event=automatic_failover}), null when it did not log it
   * @param guardRecoveryMs the same: mark gone to instances taken over
   * @param stepCalls calls the step service received, repeats included
   * @param repeatedCalls calls with a key the service had seen for that step: steps run again
   * @param secondKeys steps of an instance called under two keys: effects that happened twice
   * @param seconds first start to all completed at the standby
   * @param oursCpuMs CPU time of the node JVMs and of this JVM over {@code seconds}
   * @param brokerCpuMs CPU time of the local RabbitMQ over {@code seconds} (0: not local)
   * @param machineCpuMs CPU time of the whole machine over {@code seconds} (-1: unknown)
   */
  record Result(
      int instances,
      int completedAtStandby,
      int takenOver,
      int endedBeforeKill,
      double startSeconds,
      double startP50Ms,
      double startP99Ms,
      int lagSamples,
      double lagP50Ms,
      double lagP99Ms,
      double lagMaxMs,
      Double killToFirstTakeOverMs,
      Double killToLastTakeOverMs,
      Double killToFirstStepMs,
      Double killToAllDoneMs,
      Long guardAbsentMs,
      Long guardRecoveryMs,
      int stepCalls,
      int repeatedCalls,
      int secondKeys,
      double seconds,
      double oursCpuMs,
      double brokerCpuMs,
      double machineCpuMs) {}

  private record Started(String id, double ms) {}

  Result run() throws Exception {
    String namespace = Broker.freshNamespace();
    Map<String, NodeJvm> nodes = new LinkedHashMap<>();
    try (StepService service = new StepService(MIN_STEP, MAX_STEP)) {
      CloudsConfig clouds = new CloudsConfig(work, broker.url(), namespace, mode);
      Map<String, NodeApi> apis = new LinkedHashMap<>();
      // The owner first, and answering (it claims its ownership lease as it starts) before the
      // standby starts: a standby that finds no owner's lease for 3 s takes the cloud over, a
      // JVM that is slow to start on a busy machine included, and the owner then stays fenced.
      NodeJvm first = launch(clouds, CloudsConfig.OWNER);
      nodes.put(CloudsConfig.OWNER, first);
      apis.put(CloudsConfig.OWNER, first.api());
      for (String cloud : CloudsConfig.CLOUDS) {
        if (!cloud.equals(CloudsConfig.OWNER)) {
          nodes.put(cloud, launch(clouds, cloud));
        }
      }
      for (NodeJvm n : nodes.values()) {
        apis.putIfAbsent(n.cloud(), n.api());
      }
      for (Map.Entry<String, NodeApi> a : apis.entrySet()) {
        await(
            a.getKey() + " sees every cloud UP",
            UP_LIMIT,
            nodes,
            () -> CloudsConfig.CLOUDS.stream().allMatch(c -> "UP".equals(a.getValue().health(c))));
      }
      NodeApi owner = apis.get(CloudsConfig.OWNER);
      NodeApi standby = apis.get(CloudsConfig.STANDBY);
      owner.deploy("failover.bpmn", Model.bpmn(service));

      CpuAccount cpu = new CpuAccount(nodes.values());
      double oursBefore = cpu.oursMs();
      double brokerBefore = cpu.brokerMs();
      double machineBefore = cpu.machineMs();
      long t0 = System.nanoTime();
      // The first step waits until every start is answered: all instances are in flight together.
      service.hold(Model.steps().getFirst());
      List<Started> started;
      List<Double> lags;
      double startSeconds;
      try (LagSampler sampler = new LagSampler(owner, CloudsConfig.STANDBY)) {
        started =
            inParallel(
                instances,
                n -> {
                  long s = System.nanoTime();
                  String id = owner.start(Model.PROCESS_ID, Map.of("n", n));
                  return new Started(id, (System.nanoTime() - s) / 1e6);
                });
        startSeconds = (System.nanoTime() - t0) / 1e9;
        service.release();
        await(
            "the step service answered " + instances + " calls",
            timeout,
            nodes,
            () -> service.answered() >= instances);
        lags = sampler.stop();
      }
      cpu.oursMs(); // the owner's CPU time, while it can still be read
      Instant killedAt = Instant.now();
      nodes.get(CloudsConfig.OWNER).kill();

      // Done when the standby holds no running instance; its histories then tell whether each
      // started instance completed (one that never reached it, or ended otherwise, is lost).
      await(
          "no instance running at the standby",
          timeout,
          nodes,
          () -> !standby.anyInState(Model.PROCESS_ID, "ACTIVE"));
      double seconds = (System.nanoTime() - t0) / 1e9;
      double ours = cpu.oursMs() - oursBefore;
      double brokerCpu = cpu.brokerMs() - brokerBefore;
      double machine = machineBefore < 0 ? -1 : cpu.machineMs() - machineBefore;

      List<String> ids = started.stream().map(Started::id).toList();
      List<List<JsonNode>> read = inParallel(ids.size(), n -> standby.history(ids.get(n)));
      Map<String, List<JsonNode>> histories = new LinkedHashMap<>();
      for (int i = 0; i < ids.size(); i++) {
        histories.put(ids.get(i), read.get(i));
      }
      Recovery r = Recovery.of(killedAt, CloudsConfig.STANDBY, histories);
      check(r, ids, service);

      Long absent = null;
      Long recovery = null;
      Matcher guard = AUTOMATIC_FAILOVER.matcher(nodes.get(CloudsConfig.STANDBY).log());
      while (guard.find()) {
        absent = Long.parseLong(guard.group(1));
        recovery = Long.parseLong(guard.group(2));
      }
      double[] startMs = started.stream().mapToDouble(Started::ms).sorted().toArray();
      double[] lag = lags.stream().mapToDouble(Double::doubleValue).sorted().toArray();
      if (lag.length == 0) {
        throw new IllegalStateException("no sample of the replication lag was taken");
      }
      return new Result(
          instances,
          ids.size() - r.notCompleted().size(),
          r.takenOver(),
          r.endedBeforeKill(),
          startSeconds,
          Stats.percentile(startMs, 50),
          Stats.percentile(startMs, 99),
          lag.length,
          Stats.percentile(lag, 50),
          Stats.percentile(lag, 99),
          lag[lag.length - 1],
          millis(r.firstTakeOver()),
          millis(r.lastTakeOver()),
          millis(r.firstStep()),
          millis(r.allDone()),
          absent,
          recovery,
          service.calls(),
          service.calls() - service.distinctKeys(),
          service.secondKeys(),
          seconds,
          ours,
          brokerCpu,
          machine);
    } finally {
      for (NodeJvm n : nodes.values()) {
        n.kill();
      }
      if (!nodes.isEmpty()) {
        try {
          broker.deleteNamespace(namespace, CloudsConfig.CLOUDS);
        } catch (RuntimeException e) {
          System.err.println("could not delete the RabbitMQ namespace " + namespace + ": " + e);
        }
      }
      deleteTree(work);
    }
  }

  private NodeJvm launch(CloudsConfig clouds, String cloud) throws IOException {
    return NodeJvm.launch(cloud, clouds.write(cloud), nodeJvmOptions, logs.resolve(cloud + ".log"));
  }

  /**
   * None lost: every instance started at the owner completed at the standby, the standby took
   * instances over, and every step of every instance was called.
   */
  private void check(Recovery r, List<String> ids, StepService service) {
    List<String> problems = new ArrayList<>();
    if (ids.size() != instances || ids.stream().distinct().count() != instances) {
      problems.add(ids.size() + " start answers with distinct ids, expected " + instances);
    }
    if (!r.notCompleted().isEmpty()) {
      problems.add(
          r.notCompleted().size()
              + " instances LOST: not completed at the standby, e.g. "
              + r.notCompleted().subList(0, Math.min(5, r.notCompleted().size())));
    }
    if (r.takenOver() == 0) {
      problems.add("the standby took no instance over");
    }
    if (r.firstStep() == null) {
      problems.add("the standby committed no step after the take-over");
    }
    int uncalled = 0;
    for (String id : ids) {
      for (String step : Model.steps()) {
        if (!service.called(id, step)) {
          uncalled++;
        }
      }
    }
    if (uncalled > 0) {
      problems.add(uncalled + " steps of completed instances were never called");
    }
    if (!problems.isEmpty()) {
      throw new IllegalStateException("FAILOVER " + mode.id() + ": " + String.join("; ", problems));
    }
  }

  private static Double millis(Duration d) {
    return d == null ? null : d.toNanos() / 1e6;
  }

  /** Polls until the condition holds; on timeout fails with the end of every node's log. */
  private static void await(
      String what, Duration limit, Map<String, NodeJvm> nodes, BooleanSupplier condition) {
    long end = System.nanoTime() + limit.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        StringBuilder tails = new StringBuilder();
        nodes
            .values()
            .forEach(n -> tails.append("\n--- ").append(n.cloud()).append('\n').append(n.tail()));
        throw new IllegalStateException(
            "timed out after " + limit + " waiting for: " + what + tails);
      }
      LockSupport.parkNanos(POLL.toNanos());
    }
  }

  @FunctionalInterface
  private interface Task<T> {
    T run(int n) throws Exception;
  }

  /** Runs {@code count} calls on {@value #CLIENTS} threads; answers their results in order. */
  private static <T> List<T> inParallel(int count, Task<T> task) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
    try {
      List<Future<T>> futures = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        int n = i;
        futures.add(pool.submit(() -> task.run(n)));
      }
      List<T> out = new ArrayList<>();
      for (Future<T> f : futures) {
        out.add(f.get());
      }
      return out;
    } finally {
      pool.shutdownNow();
    }
  }

  private static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
