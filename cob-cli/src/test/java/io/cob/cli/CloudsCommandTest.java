package io.cob.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.cob.bus.topology.CloudHealth;
import io.cob.server.CobNode;
import io.cob.server.config.CloudConfig;
import io.cob.server.config.NodeConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code cob clouds} against running nodes of two clouds (one in-memory broker in this JVM). */
class CloudsCommandTest {
  static CobNode privateNode;
  static CobNode publicNode;

  record Run(int exitCode, String out, String err) {}

  @BeforeAll
  static void startTwoClouds() {
    String bus = "memory:cli-" + UUID.randomUUID().toString().substring(0, 8);
    privateNode = CobNode.start(config(bus, "private", "node-p"));
    publicNode = CobNode.start(config(bus, "public-a", "node-a"));
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (privateNode.bus().topology().health("public-a") != CloudHealth.UP) {
      if (System.nanoTime() > deadline) {
        fail("node-p never saw public-a UP");
      }
      LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
    }
  }

  @AfterAll
  static void stop() {
    publicNode.close();
    privateNode.close();
  }

  static NodeConfig config(String bus, String cloud, String nodeId) {
    Map<String, CloudConfig> clouds = new LinkedHashMap<>();
    clouds.put(
        "private",
        new CloudConfig(
            "onprem",
            "eu-west",
            List.of("eu", "gdpr"),
            new BigDecimal("0.004"),
            null,
            new BigDecimal("99.9")));
    clouds.put(
        "public-a",
        new CloudConfig(
            "gcp",
            "us-east",
            List.of("us"),
            new BigDecimal("0.001"),
            null,
            new BigDecimal("99.95")));
    NodeConfig base = NodeConfig.defaults();
    return base.withHttpPort(0)
        .withStoreUrl("jdbc:h2:mem:" + UUID.randomUUID())
        .withCloud(cloud)
        .withNodeId(nodeId)
        .withClouds(clouds)
        .withBus(base.bus().withUrl(bus).withHeartbeat(Duration.ofMillis(100), 3, 50));
  }

  static Run clouds(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = new CommandLine(new CloudsCommand());
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void shouldPrintEveryCloudAsATable() {
    Run run = clouds("--server", "http://127.0.0.1:" + privateNode.port());

    assertThat(run.exitCode()).as(run.err()).isEqualTo(CobCommand.DONE);
    List<String> lines = run.out().lines().toList();
    assertThat(lines).hasSize(3);
    assertThat(lines.get(0))
        .startsWith("CLOUD")
        .contains(
            "PROVIDER",
            "REGION",
            "JURISDICTION",
            "COST/STEP",
            "AVAILABILITY",
            "HEALTH",
            "LAST SEEN",
            "NODES");
    assertThat(lines.get(1))
        .startsWith("private ")
        .contains("onprem", "eu-west", "eu,gdpr", "0.004", "99.9%", "UP", "node-p (this node)");
    assertThat(lines.get(2))
        .startsWith("public-a ")
        .contains("gcp", "us-east", " us ", "0.001", "99.95%", "UP", "node-a")
        .containsPattern("just now|\\ds ago");
    assertThat(lines.get(0).indexOf("HEALTH"))
        .as("columns line up")
        .isEqualTo(lines.get(2).indexOf("UP"));
  }

  @Test
  void shouldPrintTheNodesJsonWithTheJsonOption() throws IOException {
    Run run = clouds("--server", "http://127.0.0.1:" + publicNode.port() + "/api/v1", "--json");

    assertThat(run.exitCode()).as(run.err()).isEqualTo(CobCommand.DONE);
    JsonNode clouds = new ObjectMapper().readTree(run.out());
    assertThat(clouds)
        .extracting(c -> c.get("name").asText())
        .containsExactly("private", "public-a");
    assertThat(clouds.get(0).get("health").asText()).isIn("UP", "SUSPECT");
    assertThat(clouds.get(1).get("nodes").get(0).get("id").asText()).isEqualTo("node-a");
  }

  @Test
  void shouldSayClearlyThatNoNodeRunsAtTheUrl() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }

    Run run = clouds("--server", "http://127.0.0.1:" + closedPort);

    assertThat(run.exitCode()).isEqualTo(CobCommand.FAILED);
    assertThat(run.out()).isEmpty();
    assertThat(run.err())
        .startsWith("cob: no cob node answers at http://127.0.0.1:" + closedPort)
        .contains("cob server", "--server");
  }

  @Test
  void shouldExitWith1AndShowTheProblemWhenTheNodeAnswersWithAnError() throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          byte[] body =
              "{\"type\":\"about:blank\",\"title\":\"Node unhealthy\",\"status\":503,\"detail\":\"the store does not answer\"}"
                  .getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/problem+json");
          exchange.sendResponseHeaders(503, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
    try {
      Run run = clouds("--server", "http://127.0.0.1:" + server.getAddress().getPort());

      assertThat(run.exitCode()).isEqualTo(CobCommand.FAILED);
      assertThat(run.err())
          .contains("/api/v1/clouds answered 503: Node unhealthy: the store does not answer");
    } finally {
      server.stop(0);
    }
  }

  @Test
  void shouldExitWith2OnAServerThatIsNotAnHttpUrl() {
    for (String bad : List.of("ftp://127.0.0.1", "127.0.0.1:8080", "http://", "http://h?x=1")) {
      Run run = clouds("--server", bad);
      assertThat(run.exitCode()).as(bad).isEqualTo(CobCommand.BAD_INPUT);
      assertThat(run.err()).as(bad).contains("--server '" + bad + "' is not the http://");
    }
  }

  static Run failover(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = new CommandLine(new FailoverCommand());
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void shouldFailACloudOverThroughANodeOfAnother() {
    Run run = failover("private", "--server", "http://127.0.0.1:" + publicNode.port());

    assertThat(run.exitCode()).as(run.err()).isEqualTo(CobCommand.DONE);
    assertThat(run.out())
        .contains("cloud private failed over to public-a: 0 running instance(s) taken over");
  }

  @Test
  void shouldReportTheNodesRefusalOfAFailover() {
    Run own = failover("public-a", "--server", "http://127.0.0.1:" + publicNode.port());
    Run elsewhere =
        failover("private", "--to", "private", "--server", "http://127.0.0.1:" + publicNode.port());

    assertThat(own.exitCode()).isEqualTo(CobCommand.FAILED);
    assertThat(own.err())
        .contains("/api/v1/clouds/public-a/failover answered 409")
        .contains("is this node's own cloud");
    assertThat(elsewhere.exitCode()).isEqualTo(CobCommand.FAILED);
    assertThat(elsewhere.err()).contains("send the fail-over to a node of 'private'");
    assertThat(CliRun.of("failover", "--help").out()).contains("--to", "--server", "CLOUD");
  }

  @Test
  void shouldBeASubcommandOfCob() {
    CliRun run = CliRun.of("clouds", "--help");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("--server", "--json", "http://127.0.0.1:8080");
  }

  @Test
  void shouldTellAgesReadably() {
    Instant now = Instant.parse("2026-01-01T10:00:00Z");
    ObjectMapper json = new ObjectMapper();

    assertThat(CloudsCommand.CloudTable.age(json.getNodeFactory().nullNode(), now))
        .isEqualTo("never");
    assertThat(
            CloudsCommand.CloudTable.age(
                json.getNodeFactory().textNode("2026-01-01T09:59:59.5Z"), now))
        .isEqualTo("just now");
    assertThat(
            CloudsCommand.CloudTable.age(
                json.getNodeFactory().textNode("2026-01-01T09:59:48Z"), now))
        .isEqualTo("12s ago");
    assertThat(
            CloudsCommand.CloudTable.age(
                json.getNodeFactory().textNode("2026-01-01T09:57:30Z"), now))
        .isEqualTo("2m 30s ago");
    assertThat(
            CloudsCommand.CloudTable.age(
                json.getNodeFactory().textNode("2026-01-01T08:00:00Z"), now))
        .isEqualTo("2026-01-01T08:00:00Z");
  }
}
