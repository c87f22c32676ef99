package io.cob.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs one {@link EngineRun} in a JVM of its own and collects its result lines; the JVM's standard
 * error goes to a log file.
 */
final class EngineProcess {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What one engine run reported. {@code error} is null when it succeeded. */
  record Outcome(JsonNode info, List<JsonNode> reps, JsonNode db, String error) {
    List<JsonNode> measured() {
      return reps.stream().filter(r -> !r.path("warmup").asBoolean()).toList();
    }
  }

  private EngineProcess() {}

  static Outcome run(List<String> command, Path log, Duration timeout, Consumer<JsonNode> progress)
      throws IOException, InterruptedException {
    Files.createDirectories(log.getParent());
    Process p = new ProcessBuilder(command).redirectError(log.toFile()).start();
    Thread watchdog =
        Thread.ofPlatform()
            .daemon()
            .start(
                () -> {
                  try {
                    if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                      p.destroyForcibly();
                    }
                  } catch (InterruptedException e) {
                    p.destroyForcibly();
                  }
                });
    JsonNode info = null;
    List<JsonNode> reps = new ArrayList<>();
    JsonNode db = null;
    String error = null;
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        if (!line.startsWith(EngineRun.PREFIX)) {
          continue;
        }
        JsonNode node = JSON.readTree(line.substring(EngineRun.PREFIX.length()));
        switch (node.path("type").asText()) {
          case "info" -> info = node;
          case "rep" -> reps.add(node);
          case "db" -> db = node.path("perInstance");
          case "error" -> error = node.path("message").asText();
          default -> {}
        }
        progress.accept(node);
      }
    }
    int code = p.waitFor();
    watchdog.interrupt();
    if (error == null && code != 0) {
      error =
          "the engine's JVM exited with "
              + code
              + (code == 137 ? " (killed after " + timeout + ")" : "");
    }
    return new Outcome(info, reps, db, error);
  }
}
