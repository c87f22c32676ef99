package io.cob.server.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** A node running in a separate JVM ({@link NodeMain}), killed on {@link #close()}. */
public final class NodeProcess implements AutoCloseable {
  private final String nodeId;
  private final Process process;
  private final Api api;
  private final StringBuffer log = new StringBuffer();
  private final java.util.concurrent.CountDownLatch logEnded =
      new java.util.concurrent.CountDownLatch(1);

  private NodeProcess(String nodeId, Process process, int port) {
    this.nodeId = nodeId;
    this.process = process;
    this.api = new Api(URI.create("http://127.0.0.1:" + port));
  }

  /** Starts a node and waits until it answers (at most 60 s). */
  public static NodeProcess start(String nodeId, String storeUrl) throws IOException {
    return start(nodeId, NodeMain.class, nodeId, storeUrl);
  }

  /** Starts a node configured by a {@code cob.yaml} ({@link ConfiguredNodeMain}). */
  public static NodeProcess startConfigured(String nodeId, Path config, String... jvmOptions)
      throws IOException {
    return start(nodeId, ConfiguredNodeMain.class, List.of(jvmOptions), config.toString());
  }

  private static NodeProcess start(String nodeId, Class<?> main, String... args)
      throws IOException {
    return start(nodeId, main, List.of(), args);
  }

  private static NodeProcess start(
      String nodeId, Class<?> main, List<String> jvmOptions, String... args) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new java.util.ArrayList<>();
    command.addAll(List.of(java, "-Xmx256m", "-XX:TieredStopAtLevel=1"));
    command.addAll(jvmOptions);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    StringBuilder early = new StringBuilder();
    CompletableFuture<Integer> port =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                String line;
                while ((line = out.readLine()) != null) {
                  if (line.startsWith("PORT=")) {
                    return Integer.parseInt(line.substring(5).trim());
                  }
                  early.append(line).append('\n');
                }
              } catch (IOException e) {
                // the process died; reported below
              }
              return -1;
            });
    int n;
    try {
      n = port.get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      p.destroyForcibly();
      throw new IllegalStateException("node " + nodeId + " did not start:\n" + early, e);
    }
    if (n < 0) {
      throw new IllegalStateException("node " + nodeId + " died at start:\n" + early);
    }
    NodeProcess node = new NodeProcess(nodeId, p, n);
    Thread.ofVirtual()
        .start(
            () -> {
              try {
                String line;
                while ((line = out.readLine()) != null) {
                  node.log.append(line).append('\n');
                }
              } catch (IOException e) {
                // gone
              } finally {
                node.logEnded.countDown();
              }
            });
    return node;
  }

  public Api api() {
    return api;
  }

  public String nodeId() {
    return nodeId;
  }

  /** What the node printed after it started. */
  public String log() {
    return log.toString();
  }

  /**
   * Everything the node printed, once it has exited (after {@link #kill()}): what it printed last
   * may still be in the pipe when the process is gone.
   */
  public String logAfterExit() throws InterruptedException {
    if (!logEnded.await(10, TimeUnit.SECONDS)) {
      throw new IllegalStateException("node " + nodeId + " still writes its log");
    }
    return log.toString();
  }

  /** Writes what the node printed to {@code dir/NODE.log}, for a look after the test. */
  public void keepLog(Path dir) throws IOException {
    java.nio.file.Files.createDirectories(dir);
    java.nio.file.Files.writeString(dir.resolve(nodeId + ".log"), log);
  }

  /** SIGKILL: the node gets no chance to release or finish anything. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    kill();
  }
}
