package io.cob.cli;

import com.fasterxml.jackson.databind.SerializationFeature;
import io.cob.connectors.Connectors;
import io.cob.engine.Engine;
import io.cob.engine.port.Store;
import io.cob.engine.port.StoreException;
import io.cob.engine.runtime.BpmnResource;
import io.cob.engine.runtime.CommandRejectedException;
import io.cob.engine.state.InstanceState;
import io.cob.model.BpmnDocument;
import io.cob.model.Problem;
import io.cob.model.ProcessDefinition;
import io.cob.model.expr.StandardExpressionEvaluator;
import io.cob.model.parse.BpmnParser;
import io.cob.server.NodeConnectors;
import io.cob.server.config.ConfigException;
import io.cob.server.config.ConfigLoader;
import io.cob.server.config.NodeConfig;
import io.cob.store.jdbc.JdbcStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code cob run}: deploys the files to an embedded engine, starts one instance and drives it until
 * it ends, waits for outside input, hits an incident, or the timeout passes. Timers due within the
 * timeout fire in real time.
 */
@Command(
    name = "run",
    description = "Runs a process on an embedded engine until it ends, waits, fails or times out.")
final class RunCommand implements Callable<Integer> {

  @Parameters(arity = "1..*", paramLabel = "FILE", description = "BPMN files to deploy")
  List<Path> files = new ArrayList<>();

  @Option(
      names = "--process",
      paramLabel = "ID",
      description = "the process to start when several are executable")
  String processId;

  @Option(
      names = "--var",
      paramLabel = "NAME=VALUE",
      description = "a variable; VALUE is JSON when it parses as JSON, else a string")
  List<String> vars = new ArrayList<>();

  @Option(names = "--vars", paramLabel = "JSON", description = "variables as one JSON object")
  String varsJson;

  @Option(names = "--json", description = "print exactly one JSON document to standard output")
  boolean json;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      defaultValue = "PT30S",
      converter = Durations.class,
      description = "give up waiting after this long (default ${DEFAULT-VALUE})")
  Duration timeout;

  @Option(
      names = "--store",
      paramLabel = "JDBC_URL",
      description = "keep the run in this store instead of a temporary one")
  String storeUrl;

  @Override
  public Integer call() {
    Instant begin = Instant.now();
    BpmnParser parser = new BpmnParser(new StandardExpressionEvaluator());
    List<Problem> problems = new ArrayList<>();
    for (Path f : files) {
      problems.addAll(BpmnFiles.validate(parser, f));
    }
    if (!problems.isEmpty()) {
      return badInput(
          "the BPMN files are invalid", problems.stream().map(Problem::toString).toList());
    }
    List<BpmnResource> resources = new ArrayList<>();
    List<ProcessDefinition> executable = new ArrayList<>();
    try {
      for (Path f : files) {
        byte[] bytes = Files.readAllBytes(f);
        BpmnDocument doc = parser.parse(f.toString(), bytes);
        executable.addAll(doc.executableProcesses());
        resources.add(new BpmnResource(f.toString(), bytes));
      }
    } catch (IOException e) {
      return badInput("cannot read a file: " + e.getMessage(), List.of());
    }
    ProcessDefinition chosen;
    try {
      chosen = choose(executable);
    } catch (IllegalArgumentException e) {
      return badInput(e.getMessage(), List.of());
    }
    Map<String, Object> variables;
    try {
      variables = VariableArgs.parse(varsJson, vars);
    } catch (IllegalArgumentException e) {
      return badInput(e.getMessage(), List.of());
    }
    String url =
        storeUrl != null
            ? storeUrl
            : "jdbc:h2:mem:cob-run-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    Store store;
    try {
      store = JdbcStore.open(url);
    } catch (IllegalArgumentException e) {
      return badInput("--store: " + e.getMessage(), List.of());
    } catch (StoreException e) {
      System.err.println("cob: " + e.getMessage());
      return CobCommand.FAILED;
    }
    NodeConfig config;
    try {
      config = ConfigLoader.load(null, System.getenv());
    } catch (ConfigException e) {
      store.close();
      return badInput(e.getMessage(), List.of());
    }
    AtomicReference<Engine> engineRef = new AtomicReference<>();
    String nodeId = "cob-run-" + ProcessHandle.current().pid();
    try (store;
        Connectors connectors =
            Connectors.standard(
                NodeConnectors.context(
                    config.withNodeId(nodeId),
                    store,
                    Clock.systemUTC(),
                    engineRef::get,
                    () -> null));
        Engine engine = engine(store, nodeId, connectors, engineRef)) {
      engine.deploy(resources);
      String id;
      try {
        id = engine.startInstance(chosen.id(), 0, variables, null);
      } catch (CommandRejectedException | IllegalArgumentException e) {
        return badInput(e.getMessage(), List.of());
      }
      InstanceState state = drive(engine, id, begin.plus(timeout));
      Map<String, Object> report = RunReport.build(state, engine.history(id));
      print(report, Duration.between(begin, Instant.now()));
      return RunReport.exitCode(state);
    }
  }

  private static Engine engine(
      Store store, String nodeId, Connectors connectors, AtomicReference<Engine> ref) {
    Engine.Builder b = Engine.builder(store).nodeId(nodeId).cloud("local");
    connectors.handlers().forEach(b::jobHandler);
    Engine engine = b.build();
    ref.set(engine);
    return engine.start();
  }

  private ProcessDefinition choose(List<ProcessDefinition> executable) {
    if (processId != null) {
      return executable.stream()
          .filter(p -> p.id().equals(processId))
          .findFirst()
          .orElseThrow(
              () ->
                  new IllegalArgumentException(
                      "--process '"
                          + processId
                          + "' is not an executable process of "
                          + files
                          + "; executable: "
                          + ids(executable)));
    }
    if (executable.isEmpty()) {
      throw new IllegalArgumentException("no executable process in " + files);
    }
    if (executable.size() > 1) {
      throw new IllegalArgumentException(
          "several executable processes (" + ids(executable) + "); choose one with --process ID");
    }
    return executable.get(0);
  }

  private static List<String> ids(List<ProcessDefinition> defs) {
    return defs.stream().map(ProcessDefinition::id).toList();
  }

  /**
   * Lets the engine work until the instance ends, fails, or waits for something only the outside
   * can give; while it waits for a timer or a retry due before the deadline, keeps waiting.
   */
  static InstanceState drive(Engine engine, String id, Instant deadline) {
    while (true) {
      Duration left = Duration.between(Instant.now(), deadline);
      if (left.isNegative() || left.isZero()) {
        return engine.instance(id).orElseThrow();
      }
      engine.awaitIdle(left);
      InstanceState s = engine.instance(id).orElseThrow();
      if (!s.isActive() || !s.incidents().isEmpty()) {
        return s;
      }
      Instant nextDue = nextDue(engine, s);
      if (nextDue == null || nextDue.isAfter(deadline)) {
        return s;
      }
      engine.tick();
      long ms = Math.min(Duration.between(Instant.now(), nextDue).toMillis(), 200);
      if (ms > 0) {
        try {
          Thread.sleep(ms);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return s;
        }
      }
    }
  }

  /** The earliest timer or job retry of the instance that this node will act on by itself. */
  private static Instant nextDue(Engine engine, InstanceState s) {
    Instant next = null;
    for (var t : s.timers().values()) {
      next = next == null || t.dueAt().isBefore(next) ? t.dueAt() : next;
    }
    for (var j : engine.store().jobs(s.instanceId())) {
      if (!engine.runsLocally(j.type())) {
        continue;
      }
      // A job this node holds awaits an answer (a reply queue, a device): worth waiting for
      // until its lock lapses and it is sent again.
      Instant due =
          j.lockOwner() != null && j.lockExpiresAt() != null ? j.lockExpiresAt() : j.dueAt();
      if (next == null || due.isBefore(next)) {
        next = due;
      }
    }
    return next;
  }

  private void print(Map<String, Object> report, Duration took) {
    if (json) {
      try {
        System.out.println(
            VariableArgs.JSON
                .copy()
                .enable(SerializationFeature.INDENT_OUTPUT)
                .writeValueAsString(report));
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
      return;
    }
    System.out.println(
        "instance "
            + report.get("instanceId")
            + " of process '"
            + report.get("processId")
            + "': "
            + report.get("state")
            + " ("
            + took.toMillis()
            + " ms)");
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> path = (List<Map<String, Object>>) report.get("path");
    for (Map<String, Object> step : path) {
      if ("COMPLETED".equals(step.get("event")) || "TERMINATED".equals(step.get("event"))) {
        System.out.println(
            "  "
                + step.get("event").toString().toLowerCase()
                + " "
                + step.get("elementType")
                + " '"
                + step.get("elementId")
                + "'");
      }
    }
    System.out.println("variables: " + report.get("variables"));
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> waiting = (List<Map<String, Object>>) report.get("waitingAt");
    for (Map<String, Object> w : waiting) {
      System.out.println(
          "waiting at "
              + w.get("elementType")
              + " '"
              + w.get("elementId")
              + "' for "
              + w.get("kind"));
    }
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> incidents = (List<Map<String, Object>>) report.get("incidents");
    for (Map<String, Object> i : incidents) {
      System.out.println("incident at '" + i.get("elementId") + "': " + i.get("message"));
    }
  }

  private int badInput(String message, List<String> problems) {
    if (json) {
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("error", message);
      doc.put("problems", problems);
      try {
        System.out.println(VariableArgs.JSON.writeValueAsString(doc));
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
    problems.forEach(System.err::println);
    System.err.println("cob: " + message);
    return CobCommand.BAD_INPUT;
  }
}
