package io.cob.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cob.engine.TestModels;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cob server} with nothing but {@code --port 0}: no {@code cob.yaml}, no {@code --store}, no
 * {@code COB_…} variables. It must start on the embedded default store, an H2 file under {@code
 * ./.cob/} of its working directory, and that store must be durable: what the first run did is
 * still there when the server is started again in the same directory.
 */
class ServerDefaultsIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final String TINY =
      TestModels.process(
          "tiny",
          """
      <startEvent id="start"/>
      <userTask id="approve" name="Approve"/>
      <endEvent id="end"/>
      """,
          "start->approve",
          "approve->end");

  @TempDir Path dir;
  private Process server;

  @AfterEach
  void kill() {
    if (server != null) {
      server.destroyForcibly();
    }
  }

  @Test
  void shouldRunOnTheDefaultH2FileStoreUnderDotCobAndKeepInstancesAcrossRestarts()
      throws Exception {
    assertThat(dir.resolve("cob.yaml")).doesNotExist();

    URI first = startServer();
    assertThat(get(first, "/health").statusCode()).isEqualTo(200);
    HttpResponse<String> deployed =
        send(
            HttpRequest.newBuilder(first.resolve("/api/v1/deployments?name=tiny.bpmn"))
                .header("Content-Type", "application/xml")
                .POST(HttpRequest.BodyPublishers.ofString(TINY)));
    assertThat(deployed.statusCode()).as(deployed.body()).isEqualTo(201);
    String finished = startInstance(first, "first");
    String waiting = startInstance(first, "second");
    String firstTask = tasksOf(first, finished).get(0).get("id").asText();
    assertThat(post(first, "/api/v1/tasks/" + firstTask + "/complete", "{}").statusCode())
        .isEqualTo(204);
    assertThat(instance(first, finished).get("state").asText()).isEqualTo("COMPLETED");
    stopServer();

    assertThat(dir.resolve(".cob")).isDirectory();
    assertThat(dir.resolve(".cob/data.mv.db")).as("the default H2 file store").isRegularFile();

    URI second = startServer();
    JsonNode done = instance(second, finished);
    assertThat(done.get("state").asText()).isEqualTo("COMPLETED");
    assertThat(done.get("variables").get("name").asText()).isEqualTo("first");
    JsonNode stillWaiting = instance(second, waiting);
    assertThat(stillWaiting.get("state").asText()).isEqualTo("ACTIVE");
    assertThat(stillWaiting.get("activeElements").get(0).get("elementId").asText())
        .isEqualTo("approve");
    List<JsonNode> tasks = tasksOf(second, waiting);
    assertThat(tasks).hasSize(1);
    assertThat(
            post(second, "/api/v1/tasks/" + tasks.get(0).get("id").asText() + "/complete", "{}")
                .statusCode())
        .isEqualTo(204);
    assertThat(instance(second, waiting).get("state").asText()).isEqualTo("COMPLETED");
    assertThat(JSON.readTree(get(second, "/api/v1/processes").body()).findValuesAsText("processId"))
        .containsExactly("tiny");
    stopServer();
  }

  /**
   * Starts {@code cob server --port 0} in {@link #dir} without any {@code COB_} variable, and waits
   * (at most 60 s) for the line that names its address and then for {@code /health} 200.
   */
  private URI startServer() throws IOException, InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb =
        new ProcessBuilder(
                List.of(
                    java,
                    "-cp",
                    System.getProperty("java.class.path"),
                    "io.cob.cli.CobCommand",
                    "server",
                    "--port",
                    "0"))
            .directory(dir.toFile())
            .redirectError(ProcessBuilder.Redirect.DISCARD);
    pb.environment().keySet().removeIf(k -> k.startsWith("COB_"));
    server = pb.start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
    CompletableFuture<String> line =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return out.readLine();
              } catch (IOException e) {
                return null;
              }
            });
    String first;
    try {
      first = line.get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("cob server printed no address within 60 s", e);
    }
    Matcher m =
        Pattern.compile(
                "node node-1 of cloud local listening on (http://127\\.0\\.0\\.1:\\d+)/api/v1")
            .matcher(String.valueOf(first));
    assertThat(m.find()).as("first line: " + first).isTrue();
    URI base = URI.create(m.group(1));
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      try {
        if (get(base, "/health").statusCode() == 200) {
          return base;
        }
      } catch (IOException e) {
        // not answering yet
      }
      assertThat(System.nanoTime()).as("/health 200 within 30 s").isLessThan(deadline);
      LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
    }
  }

  /** SIGTERM, then waits (at most 20 s) for the process to end. */
  private void stopServer() throws InterruptedException {
    server.destroy();
    assertThat(server.waitFor(20, TimeUnit.SECONDS)).as("cob server stopped on SIGTERM").isTrue();
    server = null;
  }

  private String startInstance(URI base, String name) throws Exception {
    HttpResponse<String> r =
        post(
            base,
            "/api/v1/instances",
            JSON.writeValueAsString(
                Map.of("processId", "tiny", "variables", Map.of("name", name))));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return JSON.readTree(r.body()).get("id").asText();
  }

  private JsonNode instance(URI base, String id) throws Exception {
    HttpResponse<String> r = get(base, "/api/v1/instances/" + id);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  private List<JsonNode> tasksOf(URI base, String instanceId) throws Exception {
    HttpResponse<String> r = get(base, "/api/v1/tasks?instanceId=" + instanceId);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    List<JsonNode> out = new java.util.ArrayList<>();
    JSON.readTree(r.body()).forEach(out::add);
    return out;
  }

  private static HttpResponse<String> get(URI base, String path)
      throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(base.resolve(path)).GET());
  }

  private static HttpResponse<String> post(URI base, String path, String json)
      throws IOException, InterruptedException {
    return send(
        HttpRequest.newBuilder(base.resolve(path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json)));
  }

  private static HttpResponse<String> send(HttpRequest.Builder b)
      throws IOException, InterruptedException {
    return HTTP.send(
        b.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
