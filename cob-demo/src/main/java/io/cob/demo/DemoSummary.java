package io.cob.demo;

import io.cob.demo.services.IdempotencyLedger.Tally;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;

/** Prints the end of a demo run: outcome, timings, steps per cloud, effects per key, the report. */
final class DemoSummary {
  private final TracePrinter out;

  DemoSummary(TracePrinter out) {
    this.out = out;
  }

  void print(DemoResult r) {
    out.header("");
    out.header(
        "summary: instance "
            + r.instanceId()
            + " "
            + r.state()
            + String.format(
                " in %.2f s (set-up %.2f s: services, nodes, deployment)",
                r.run().toMillis() / 1000.0, r.setup().toMillis() / 1000.0));
    out.plain(
        "  steps per cloud:  "
            + r.stepsPerCloud().entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue())
                .collect(Collectors.joining(", ")));
    for (Map.Entry<String, Map<String, Tally>> e : r.effects().entrySet()) {
      for (Map.Entry<String, Tally> k : e.getValue().entrySet()) {
        Tally t = k.getValue();
        out.plain(
            "  "
                + e.getKey()
                + ": key "
                + k.getKey()
                + "  requests "
                + t.requests()
                + ", applied "
                + t.effects()
                + (t.effects() == 1 ? "  -> exactly once" : "  -> NOT exactly once"));
      }
      if (e.getValue().isEmpty()) {
        out.plain("  " + e.getKey() + ": none");
      }
    }
    Path report = r.report();
    if (report != null) {
      out.plain("  report:  " + report + "  (" + ValueText.kilobytes(size(report)) + ")");
    }
    for (String n : r.notes()) {
      out.dim("  note: " + n);
    }
    if (!r.succeeded()) {
      out.header("FAILED: " + r.failure());
    }
  }

  private static long size(Path p) {
    try {
      return Files.size(p);
    } catch (java.io.IOException e) {
      return -1;
    }
  }
}
