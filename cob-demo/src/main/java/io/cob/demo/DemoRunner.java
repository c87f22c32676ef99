package io.cob.demo;

import io.cob.demo.services.IdempotencyLedger;
import io.cob.demo.services.IdempotencyLedger.Tally;
import io.cob.engine.Engine;
import io.cob.engine.port.BlobRef;
import io.cob.engine.runtime.BpmnResource;
import io.cob.engine.state.InstanceState;
import io.cob.model.ProcessDefinition;
import io.cob.model.expr.StandardExpressionEvaluator;
import io.cob.model.parse.BpmnParser;
import io.cob.server.CobNode;
import io.cob.server.config.CloudConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Runs a {@link DemoScenario} end to end: starts its services and the nodes, deploys its process,
 * starts one instance, follows it with a live trace (playing the people at user tasks and staging
 * the outage), downloads the completion report and prints a summary. Everything it started is
 * stopped before {@link #run} returns.
 *
 * <p>Output goes to {@code out} as it happens, unless the options say quiet (for {@code --json},
 * where only the result is printed). Not thread-safe: one run at a time per runner.
 */
public final class DemoRunner {

  /**
   * How to run.
   *
   * @param reportDir where the report PDF is written (created when missing)
   * @param out where the trace and summary go
   * @param colour whether to colour the trace
   * @param quiet print nothing (the caller prints the result)
   * @param timeout how long the instance may take
   */
  public record Options(
      Path reportDir, PrintStream out, boolean colour, boolean quiet, Duration timeout) {
    public Options {
      Objects.requireNonNull(reportDir, "reportDir");
      Objects.requireNonNull(out, "out");
      Objects.requireNonNull(timeout, "timeout");
    }
  }

  private final Options options;

  public DemoRunner(Options options) {
    this.options = options;
  }

  /** Whether standard output is a terminal that should get colour (and NO_COLOR is unset). */
  public static boolean terminalWantsColour() {
    return TracePrinter.terminalWantsColour();
  }

  /** Runs the scenario; never throws for a failed run: the result says why. */
  public DemoResult run(DemoScenario scenario) {
    Instant begin = Instant.now();
    List<String> clouds = List.copyOf(scenario.clouds().keySet());
    TracePrinter printer =
        new TracePrinter(
            options.quiet() ? new PrintStream(PrintStream.nullOutputStream()) : options.out(),
            options.colour(),
            clouds);
    List<TraceLine> trace = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    byte[] bpmn;
    ProcessDefinition process;
    try {
      bpmn = bpmn(scenario);
      process = parse(scenario, bpmn);
    } catch (IOException | RuntimeException e) {
      return failed(
          scenario,
          begin,
          "cannot read the example " + scenario.bpmnFile() + ": " + e.getMessage(),
          trace,
          notes);
    }
    printer.header(
        "cob demo "
            + scenario.name()
            + ": "
            + process.name()
            + " across "
            + clouds.size()
            + " clouds");
    describeClouds(printer, scenario.clouds());
    try (RunningServices services = scenario.startServices();
        DemoNodes nodes = DemoNodes.start(scenario, services)) {
      printer.plain("services (started by the demo, loopback, random ports):");
      services.endpoints().forEach(e -> printer.plain("  " + e));
      describeNodes(printer, nodes, scenario, notes);
      CobNode owner = nodes.owner();
      Engine engine = owner.engine();
      engine.deploy(List.of(new BpmnResource(scenario.bpmnFile(), bpmn)));
      Duration setup = Duration.between(begin, Instant.now());
      printer.dim(
          String.format(
              "ready in %.1f s; the trace: time, cloud, node, step, what happened",
              setup.toMillis() / 1000.0));
      return follow(scenario, process, services, nodes, setup, printer, trace, notes);
    } catch (Exception e) {
      return failed(
          scenario, begin, e.getMessage() == null ? e.toString() : e.getMessage(), trace, notes);
    }
  }

  private DemoResult follow(
      DemoScenario scenario,
      ProcessDefinition process,
      RunningServices services,
      DemoNodes nodes,
      Duration setup,
      TracePrinter printer,
      List<TraceLine> trace,
      List<String> notes)
      throws IOException {
    CobNode owner = nodes.owner();
    Engine engine = owner.engine();
    Instant origin = Instant.now();
    HistoryTrace history = new HistoryTrace(process, owner.config().nodeId(), origin);
    InstanceDriver driver =
        new InstanceDriver(
            engine,
            owner.config().nodeId(),
            history,
            scenario,
            nodes.outage(),
            l -> {
              trace.add(l);
              printer.print(l);
            },
            notes);
    String id = engine.startInstance(scenario.processId(), 0, services.variables, null);
    InstanceState state = driver.drive(id, origin, origin.plus(options.timeout()));
    Duration run = Duration.between(origin, Instant.now());
    Map<String, Map<String, Tally>> effects = effects(services);
    laneNote(trace, notes);
    String failure = failure(state, effects);
    Path report = null;
    if (failure == null) {
      report = download(owner, state, scenario);
    }
    DemoResult result =
        new DemoResult(
            scenario.name(),
            id,
            state.status(),
            setup,
            run,
            history.stepsPerCloud(),
            effects,
            report,
            List.copyOf(trace),
            List.copyOf(notes),
            failure);
    new DemoSummary(printer).print(result);
    return result;
  }

  /** Why the run failed, or {@code null}: not completed, or an effect applied other than once. */
  private static String failure(InstanceState state, Map<String, Map<String, Tally>> effects) {
    if (!"COMPLETED".equals(state.status())) {
      String why =
          state.incidents().isEmpty()
              ? (state.isActive() ? "it did not end in time" : "it ended " + state.status())
              : "incident at '"
                  + state.incidents().values().iterator().next().elementId()
                  + "': "
                  + state.incidents().values().iterator().next().message();
      return "the instance did not complete: " + why;
    }
    for (var e : effects.entrySet()) {
      for (var k : e.getValue().entrySet()) {
        if (k.getValue().effects() != 1) {
          return e.getKey()
              + ": key "
              + k.getKey()
              + " applied "
              + k.getValue().effects()
              + " times";
        }
      }
    }
    return null;
  }

  private static Map<String, Map<String, Tally>> effects(RunningServices services) {
    Map<String, Map<String, Tally>> out = new LinkedHashMap<>();
    for (Map.Entry<String, IdempotencyLedger> e : services.ledgers().entrySet()) {
      out.put(e.getKey(), e.getValue().tallies());
    }
    return out;
  }

  /** Writes the report blob the instance produced to the report directory. */
  private Path download(CobNode owner, InstanceState state, DemoScenario scenario)
      throws IOException {
    Map<String, Object> vars = state.visibleVariables(InstanceState.ROOT_KEY);
    BlobRef ref =
        BlobRef.fromVariable(vars.get("report"))
            .orElseThrow(() -> new IOException("the instance completed without a 'report' blob"));
    Object name = vars.get("reportFileName");
    String file =
        name instanceof String s && s.matches("[A-Za-z0-9._-]+")
            ? s
            : scenario.reportPrefix() + "-" + state.instanceId() + ".pdf";
    Files.createDirectories(options.reportDir());
    Path target = options.reportDir().resolve(file).toAbsolutePath();
    try (InputStream in = owner.connectors().context().blobs().open(ref.blobId())) {
      Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
    }
    return target;
  }

  private static void laneNote(List<TraceLine> trace, List<String> notes) {
    if (trace.stream().anyMatch(l -> l.modelCloud() != null)) {
      notes.add(
          "Steps marked [lane: X] are drawn in cloud X's lane but ran elsewhere: their placement"
              + " line says why (here: a policy chose another cloud, or X was DOWN).");
    }
  }

  private static void describeClouds(TracePrinter p, Map<String, CloudConfig> clouds) {
    p.plain("clouds:");
    clouds.forEach(
        (name, c) ->
            p.plain(
                String.format(
                    "  %-9s %-9s %-13s jurisdiction %-8s cost/step %s  availability %s%%",
                    name,
                    c.provider(),
                    c.region(),
                    String.join(",", c.jurisdiction()),
                    c.costPerStep(),
                    c.availability())));
  }

  private static void describeNodes(
      TracePrinter p, DemoNodes nodes, DemoScenario scenario, List<String> notes) {
    p.plain("nodes (in this JVM, in-memory H2 stores):");
    for (CobNode n : nodes.all()) {
      p.plain(
          "  "
              + n.config().nodeId()
              + "  cloud "
              + n.config().cloud()
              + "  REST API "
              + n.baseUri()
              + "/api/v1");
    }
    if (!nodes.everyCloudHasANode(scenario)) {
      String msg =
          "one node, in the owner cloud '"
              + nodes.owner().config().cloud()
              + "': the other clouds get nodes once steps can be sent to them over the bus";
      p.dim("  (" + msg + ")");
      notes.add("This build runs " + msg + ".");
    }
  }

  private static byte[] bpmn(DemoScenario scenario) throws IOException {
    try (InputStream in =
        DemoRunner.class.getResourceAsStream("/io/cob/demo/examples/" + scenario.bpmnFile())) {
      if (in == null) {
        throw new IOException("examples/" + scenario.bpmnFile() + " is not in the distribution");
      }
      return in.readAllBytes();
    }
  }

  private static ProcessDefinition parse(DemoScenario scenario, byte[] bpmn) {
    return new BpmnParser(new StandardExpressionEvaluator())
        .parse(scenario.bpmnFile(), bpmn)
        .process(scenario.processId())
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "no process '" + scenario.processId() + "' in " + scenario.bpmnFile()));
  }

  private DemoResult failed(
      DemoScenario scenario, Instant begin, String why, List<TraceLine> trace, List<String> notes) {
    Duration d = Duration.between(begin, Instant.now());
    DemoResult r =
        new DemoResult(
            scenario.name(),
            null,
            "NOT_STARTED",
            d,
            Duration.ZERO,
            Map.of(),
            Map.of(),
            null,
            List.copyOf(trace),
            List.copyOf(notes),
            why);
    if (!options.quiet()) {
      options.out().println("cob demo " + scenario.name() + " failed: " + why);
    }
    return r;
  }
}
