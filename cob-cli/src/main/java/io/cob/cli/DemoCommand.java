package io.cob.cli;

import com.fasterxml.jackson.databind.SerializationFeature;
import io.cob.demo.DemoResult;
import io.cob.demo.DemoRunner;
import io.cob.demo.DemoScenario;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code cob demo [order|claim]}: the showcase. Starts the services a reference process calls and
 * the cob nodes in this JVM, runs one instance with a live trace of which cloud does what, and
 * prints where its completion report (PDF) is. Exit codes: 0 completed with every effect once, 1
 * failed (the reason is printed), 2 bad input.
 */
@Command(
    name = "demo",
    description = {
      "Runs the showcase with no set-up: 'order' (default) the order-management process across"
          + " three clouds, 'claim' the disability-benefit claim across four.",
      "The services it calls are started on loopback; the report PDF is written to --report-dir."
    })
final class DemoCommand implements Callable<Integer> {

  @Parameters(
      arity = "0..1",
      paramLabel = "SCENARIO",
      defaultValue = "order",
      description = "order (default) or claim")
  String scenario;

  @Option(names = "--json", description = "print exactly one JSON document instead of the trace")
  boolean json;

  @Option(names = "--no-color", description = "no colour even on a terminal")
  boolean noColor;

  @Option(
      names = "--report-dir",
      paramLabel = "DIR",
      defaultValue = ".cob/demo",
      description = "where the report PDF is written (default ${DEFAULT-VALUE})")
  Path reportDir;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      defaultValue = "PT45S",
      converter = Durations.class,
      description =
          "give up when the instance has not ended after this long (default ${DEFAULT-VALUE})")
  Duration timeout;

  @Override
  public Integer call() throws IOException {
    DemoScenario chosen;
    try {
      chosen = DemoScenario.named(scenario);
    } catch (IllegalArgumentException e) {
      System.err.println("cob: " + e.getMessage());
      return CobCommand.BAD_INPUT;
    }
    DemoRunner runner =
        new DemoRunner(
            new DemoRunner.Options(
                reportDir, System.out, !noColor && !json && terminal(), json, timeout));
    DemoResult result = runner.run(chosen);
    if (json) {
      System.out.println(
          VariableArgs.JSON
              .copy()
              .enable(SerializationFeature.INDENT_OUTPUT)
              .writeValueAsString(result.toJson()));
    }
    if (!result.succeeded()) {
      System.err.println("cob: demo " + chosen.name() + " failed: " + result.failure());
      return CobCommand.FAILED;
    }
    return CobCommand.DONE;
  }

  private static boolean terminal() {
    return io.cob.demo.DemoRunner.terminalWantsColour();
  }
}
