package io.cob.store.jdbc;

import io.cob.engine.Engine;
import io.cob.engine.port.JobResult;
import io.cob.engine.port.Store;
import io.cob.engine.port.StoreRows.InstanceQuery;
import io.cob.engine.runtime.BpmnResource;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Map;

/**
 * The separate JVM of {@link CrashRecoveryIT}. {@code start}: deploys a process of ten durable
 * steps, starts the instances, and works on them until killed. {@code resume}: opens the same store
 * and works until every instance has completed. Each step's effect is appended to a file as {@code
 * instanceId elementId idempotencyKey}: an append survives SIGKILL of this process.
 */
public final class CrashWorker {
  static final int STEPS = 10;

  public static void main(String[] args) throws Exception {
    String mode = args[0];
    String url = args[1];
    Path effects = Path.of(args[2]);
    int instances = Integer.parseInt(args[3]);
    try (FileChannel out =
            FileChannel.open(
                effects,
                StandardOpenOption.CREATE,
                StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
        Store store = JdbcStore.open(url);
        Engine engine =
            Engine.builder(store)
                .nodeId("crash-node")
                .maxConcurrentJobs(8)
                .pollInterval(Duration.ofMillis(100))
                .jobHandler(
                    "effect",
                    job -> {
                      // A little work per step, so that the kill lands mid-run.
                      Thread.sleep(15);
                      record(
                          out,
                          job.instanceId()
                              + " "
                              + job.elementId()
                              + " "
                              + job.idempotencyKey()
                              + "\n");
                      return JobResult.complete(Map.of(job.elementId() + "Done", true));
                    })
                .build()) {
      if (mode.equals("start")) {
        engine.deploy(
            java.util.List.of(
                new BpmnResource("steps.bpmn", model().getBytes(StandardCharsets.UTF_8))));
        engine.start();
        for (int i = 0; i < instances; i++) {
          engine.startInstance("steps", 0, Map.of("n", i), "order-" + i);
        }
        System.out.println("STARTED");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
      } else {
        engine.start();
        while (true) {
          int completed =
              store
                  .instances(
                      new InstanceQuery("COMPLETED", "steps", null, null, null, 10_000, null))
                  .size();
          if (completed == instances) {
            break;
          }
          Thread.sleep(100);
        }
        System.out.println("DONE");
      }
    }
  }

  private static synchronized void record(FileChannel out, String line) throws IOException {
    out.write(ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8)));
  }

  static String model() {
    StringBuilder nodes = new StringBuilder("<startEvent id=\"start\"/>");
    StringBuilder flows = new StringBuilder();
    String previous = "start";
    for (int i = 1; i <= STEPS; i++) {
      nodes
          .append("<serviceTask id=\"step")
          .append(i)
          .append("\"><extensionElements>")
          .append(
              "<zeebe:taskDefinition type=\"effect\" retries=\"5\"/></extensionElements></serviceTask>");
      flows
          .append("<sequenceFlow id=\"f")
          .append(i)
          .append("\" sourceRef=\"")
          .append(previous)
          .append("\" targetRef=\"step")
          .append(i)
          .append("\"/>");
      previous = "step" + i;
    }
    nodes.append("<endEvent id=\"end\"/>");
    flows
        .append("<sequenceFlow id=\"fEnd\" sourceRef=\"")
        .append(previous)
        .append("\" targetRef=\"end\"/>");
    return """
        <definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"
            xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d" targetNamespace="urn:test">
        <process id="steps" isExecutable="true">"""
        + nodes
        + flows
        + "</process></definitions>";
  }

  static long lines(Path effects) throws IOException {
    if (!Files.exists(effects)) {
      return 0;
    }
    try (var s = Files.lines(effects)) {
      return s.count();
    }
  }
}
