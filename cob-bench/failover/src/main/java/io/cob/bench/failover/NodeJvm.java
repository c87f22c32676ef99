package io.cob.bench.failover;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A node in a JVM of its own ({@link NodeMain}) on this JVM's class path. Everything it prints goes
 * to a log file; {@link #kill()} is SIGKILL.
 */
final class NodeJvm implements AutoCloseable {
  private static final Duration START_LIMIT = Duration.ofSeconds(120);

  private final String cloud;
  private final Process process;
  private final CompletableFuture<Integer> port = new CompletableFuture<>();
  private final Path log;

  private NodeJvm(String cloud, Process process, Path log) {
    this.cloud = cloud;
    this.process = process;
    this.log = log;
  }

  /** Launches the node; {@link #api()} waits until it answers. */
  static NodeJvm launch(String cloud, Path config, List<String> jvmOptions, Path log)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    // The node logs warnings (the automatic fail-over among them), not every step.
    command.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
    command.addAll(
        List.of(
            "-cp",
            System.getProperty("java.class.path"),
            NodeMain.class.getName(),
            config.toString()));
    Files.createDirectories(log.getParent());
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    NodeJvm node = new NodeJvm(cloud, p, log);
    Thread.ofPlatform().daemon().name("log-" + cloud).start(node::copyOutput);
    return node;
  }

  private void copyOutput() {
    try (BufferedReader in =
            new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        BufferedWriter out = Files.newBufferedWriter(log)) {
      String line;
      while ((line = in.readLine()) != null) {
        if (!port.isDone() && line.startsWith(NodeMain.PORT_LINE)) {
          port.complete(Integer.parseInt(line.substring(NodeMain.PORT_LINE.length()).trim()));
        }
        out.write(line);
        out.newLine();
        out.flush();
      }
    } catch (IOException | RuntimeException e) {
      port.completeExceptionally(e);
    } finally {
      port.completeExceptionally(new IllegalStateException("the node exited at start"));
    }
  }

  String cloud() {
    return cloud;
  }

  /** The node's API, once it printed its port (at most {@link #START_LIMIT}). */
  NodeApi api() throws InterruptedException {
    try {
      return new NodeApi(
          URI.create(
              "http://127.0.0.1:" + port.get(START_LIMIT.toSeconds(), TimeUnit.SECONDS) + "/"));
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException(
          "node of cloud " + cloud + " did not start within " + START_LIMIT + ":\n" + tail(), e);
    }
  }

  /** CPU time the node's JVM has used so far, in ms; -1 when unknown (or the JVM is gone). */
  double cpuMs() {
    return process.toHandle().info().totalCpuDuration().map(d -> d.toNanos() / 1e6).orElse(-1.0);
  }

  /** SIGKILL: the node gets no chance to release or finish anything. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  /** Everything the node printed so far. */
  String log() {
    try {
      return Files.exists(log) ? Files.readString(log) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The last lines of the log, for a failure message. */
  String tail() {
    try {
      String text = Files.exists(log) ? Files.readString(log) : "";
      return text.substring(Math.max(0, text.length() - 3000));
    } catch (IOException e) {
      return "(log unreadable: " + e + ")";
    }
  }

  @Override
  public void close() throws InterruptedException {
    kill();
  }
}
