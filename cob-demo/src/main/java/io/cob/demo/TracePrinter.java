package io.cob.demo;

import io.cob.demo.TraceLine.Kind;
import java.io.Console;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Prints trace lines as aligned columns: time since start, cloud, node, element, what happened.
 * With colour (each cloud its own, retries yellow, incidents red, people magenta) only when
 * standard output is a terminal and {@code NO_COLOR} is not set. Thread-safe.
 */
final class TracePrinter {
  private static final String RESET = "\u001b[0m";
  private static final String DIM = "\u001b[2m";
  private static final String BOLD = "\u001b[1m";
  private static final List<String> CLOUD_COLOURS =
      List.of("\u001b[36m", "\u001b[34m", "\u001b[32m", "\u001b[33m", "\u001b[35m");

  private final PrintStream out;
  private final boolean colour;
  private final Map<String, String> cloudColours = new HashMap<>();

  TracePrinter(PrintStream out, boolean colour, List<String> clouds) {
    this.out = out;
    this.colour = colour;
    for (int i = 0; i < clouds.size(); i++) {
      cloudColours.put(clouds.get(i), CLOUD_COLOURS.get(i % CLOUD_COLOURS.size()));
    }
  }

  /** Whether standard output is a terminal that should get colour. */
  static boolean terminalWantsColour() {
    if (System.getenv("NO_COLOR") != null || "dumb".equals(System.getenv("TERM"))) {
      return false;
    }
    Console c = System.console();
    if (c == null) {
      return false;
    }
    try {
      // JDK 22+ returns a console even when output is redirected; isTerminal tells them apart.
      Method isTerminal = Console.class.getMethod("isTerminal");
      return (Boolean) isTerminal.invoke(c);
    } catch (ReflectiveOperationException e) {
      return true;
    }
  }

  synchronized void header(String text) {
    out.println(colour ? BOLD + text + RESET : text);
  }

  synchronized void plain(String text) {
    out.println(text);
  }

  synchronized void dim(String text) {
    out.println(colour ? DIM + text + RESET : text);
  }

  synchronized void print(TraceLine l) {
    String time = String.format("%+7.2fs", l.at().toMillis() / 1000.0);
    String cloud = String.format("%-9s", l.cloud() == null ? "-" : l.cloud());
    String node = String.format("%-10s", l.node() == null ? "" : l.node());
    String element = String.format("%-44s", ValueText.of(l.element(), 44));
    String what = l.what();
    String lane = l.modelCloud() == null ? "" : "  [lane: " + l.modelCloud() + "]";
    if (!colour) {
      out.println(" " + time + "  " + cloud + " " + node + " " + element + " " + what + lane);
      return;
    }
    String cc = cloudColours.getOrDefault(l.cloud(), "");
    String wc =
        switch (l.kind()) {
          case RETRY -> "\u001b[33m";
          case INCIDENT, OUTAGE -> "\u001b[31;1m";
          case PERSON -> "\u001b[35;1m";
          case INSTANCE -> BOLD;
          case NOTE, WAITING -> DIM;
          case STEP -> "";
        };
    out.println(
        " "
            + DIM
            + time
            + RESET
            + "  "
            + cc
            + cloud
            + RESET
            + " "
            + DIM
            + node
            + RESET
            + " "
            + (l.kind() == Kind.PERSON ? wc : "")
            + element
            + RESET
            + " "
            + wc
            + what
            + RESET
            + DIM
            + lane
            + RESET);
  }
}
