package io.cob.server.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import com.sun.net.httpserver.HttpServer;
import io.cob.engine.TestModels;
import io.cob.engine.blob.BlobDigest;
import io.cob.server.CobNode;
import io.cob.server.config.NodeConfig;
import io.cob.server.support.Api;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The claim check end to end: a 20 MB file, served by an HTTP service, is fetched by a task in one
 * step and stored as a blob; a later step mails it as an attachment through a real SMTP server
 * (GreenMail). The bytes travel service → blob store → mail server as streams; the process only
 * ever carries the reference.
 *
 * <p>Step 1 is an external worker of the node's REST API (activate, download, {@code POST /blobs},
 * complete with the reference), as any worker that produces a file would be; step 2 is the node's
 * own {@code smtp} connector.
 */
class BlobToMailIT {
  private static final int SIZE = 20 * 1024 * 1024;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @RegisterExtension
  static final GreenMailExtension SMTP =
      new GreenMailExtension(
          new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());

  static final String PROCESS =
      TestModels.process(
          "report",
          """
          <startEvent id="start"/>
          <serviceTask id="fetch"><extensionElements>
            <zeebe:taskDefinition type="fetch-file"/>
          </extensionElements></serviceTask>
          <serviceTask id="send"><extensionElements>
            <zeebe:taskDefinition type="smtp"/>
            <zeebe:taskHeaders>
              <zeebe:header key="to" value="ada@example.org"/>
              <zeebe:header key="subject" value="Your report"/>
              <zeebe:header key="text" value="The report is attached."/>
              <zeebe:header key="attachments" value="=[file]"/>
            </zeebe:taskHeaders>
          </extensionElements></serviceTask>
          <endEvent id="end"/>
          """,
          "start->fetch",
          "fetch->send",
          "send->end");

  @TempDir Path dir;
  private final byte[] file = new byte[SIZE];
  private HttpServer files;
  private CobNode node;
  private Api api;

  @BeforeEach
  void start() throws Exception {
    new Random(20).nextBytes(file);
    files = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    files.createContext(
        "/files/data.bin",
        exchange -> {
          exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
          exchange.sendResponseHeaders(200, file.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(file);
          }
        });
    files.start();
    node =
        CobNode.start(
            NodeConfig.defaults()
                .withHttpPort(0)
                .withStoreUrl("jdbc:h2:file:" + dir.resolve("cob"))
                .withConnectors(
                    Map.of(
                        "smtp",
                        Map.of(
                            "host",
                            "127.0.0.1",
                            "port",
                            SMTP.getSmtp().getPort(),
                            "from",
                            "reports@example.org"))));
    api = new Api(node.baseUri());
  }

  @AfterEach
  void stop() {
    if (node != null) {
      node.close();
    }
    files.stop(0);
  }

  @Test
  void shouldMailA20MbFileFetchedInAnEarlierStepCarryingOnlyItsReference() throws Exception {
    api.deploy("report.bpmn", PROCESS);
    String id = api.start("report", Map.of()).get("id").asText();

    JsonNode job = await("the fetch job", () -> fetchJobOf(id));
    JsonNode ref = fetchAsBlob(URI.create("http://127.0.0.1:" + files.getAddress().getPort()));
    Api.Res done =
        api.post(
            "/api/v1/jobs/" + job.get("key").asText() + "/complete",
            Map.of("variables", Map.of("file", JSON.convertValue(ref, Map.class))));
    assertThat(done.status()).as(done.toString()).isBetween(200, 204);

    JsonNode instance =
        await(
            "the instance to complete",
            () -> {
              JsonNode i = api.instance(id);
              assertThat(i.get("state").asText()).as(i.toString()).isNotEqualTo("INCIDENT");
              return i.get("state").asText().equals("COMPLETED") ? i : null;
            });

    String fileSha = sha256(file);
    assertThat(ref.get("sha256").asText()).isEqualTo(fileSha);
    MimeMessage mail = SMTP.getReceivedMessages()[0];
    MimeMultipart mixed = (MimeMultipart) mail.getContent();
    assertThat(mixed.getBodyPart(1).getFileName()).isEqualTo("data.bin");
    try (InputStream attachment = mixed.getBodyPart(1).getInputStream()) {
      assertThat(sha256(attachment)).isEqualTo(fileSha);
    }

    JsonNode variables = instance.get("variables");
    assertThat(JSON.writeValueAsString(variables.get("file"))).hasSizeLessThan(1024);
    assertThat(variables.get("file").get("size").asLong()).isEqualTo(SIZE);
    assertThat(variables.get("mail").get("messageId").asText()).endsWith("@cob>");
    String history = api.get("/api/v1/instances/" + id + "/history").body();
    String head = Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(file, 48));
    for (String recorded : new String[] {instance.toString(), history}) {
      assertThat(recorded).hasSizeLessThan(64 * 1024).doesNotContain(head);
    }
  }

  @Test
  void shouldMailA20MbFileThatTheHttpConnectorFetchedIntoTheBlobStore() throws Exception {
    String url = "http://127.0.0.1:" + files.getAddress().getPort() + "/files/data.bin";
    String model =
        PROCESS
            .replace("report\"", "report-http\"")
            .replace(
                "<zeebe:taskDefinition type=\"fetch-file\"/>",
                "<zeebe:taskDefinition type=\"http\"/><zeebe:taskHeaders><zeebe:header key=\"url\""
                    + " value=\""
                    + url
                    + "\"/></zeebe:taskHeaders><zeebe:ioMapping><zeebe:output source=\"=body\""
                    + " target=\"file\"/></zeebe:ioMapping>");
    api.deploy("report-http.bpmn", model);
    String id = api.start("report-http", Map.of()).get("id").asText();

    JsonNode instance =
        await(
            "the instance to complete",
            () -> {
              JsonNode i = api.instance(id);
              assertThat(i.get("state").asText()).as(i.toString()).isNotEqualTo("INCIDENT");
              return i.get("state").asText().equals("COMPLETED") ? i : null;
            });

    String fileSha = sha256(file);
    JsonNode ref = instance.get("variables").get("file");
    assertThat(ref.get("sha256").asText()).isEqualTo(fileSha);
    assertThat(ref.get("size").asLong()).isEqualTo(SIZE);
    assertThat(JSON.writeValueAsString(ref)).hasSizeLessThan(1024);
    MimeMultipart mixed = (MimeMultipart) SMTP.getReceivedMessages()[0].getContent();
    try (InputStream attachment = mixed.getBodyPart(1).getInputStream()) {
      assertThat(sha256(attachment)).isEqualTo(fileSha);
    }
    String history = api.get("/api/v1/instances/" + id + "/history").body();
    assertThat(history).hasSizeLessThan(64 * 1024);
  }

  /** Step 1, as a worker does it: download the file and stream it into the node's blob store. */
  private JsonNode fetchAsBlob(URI service) throws Exception {
    HttpResponse<InputStream> download =
        CLIENT.send(
            HttpRequest.newBuilder(service.resolve("/files/data.bin")).build(),
            HttpResponse.BodyHandlers.ofInputStream());
    assertThat(download.statusCode()).isEqualTo(200);
    HttpResponse<String> upload =
        CLIENT.send(
            HttpRequest.newBuilder(node.baseUri().resolve("/api/v1/blobs?filename=data.bin"))
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofInputStream(download::body))
                .timeout(Duration.ofSeconds(60))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(upload.statusCode()).as(upload.body()).isEqualTo(201);
    return JSON.readTree(upload.body());
  }

  private JsonNode fetchJobOf(String instanceId) {
    for (JsonNode j : api.activate("fetch-file", 10, "PT10M")) {
      if (j.get("instanceId").asText().equals(instanceId)) {
        return j;
      }
    }
    return null;
  }

  private static <T> T await(String what, Supplier<T> probe) {
    Instant deadline = Instant.now().plusSeconds(60);
    while (Instant.now().isBefore(deadline)) {
      T value = probe.get();
      if (value != null) {
        return value;
      }
      LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
    }
    throw new AssertionError("timed out waiting for " + what);
  }

  private static String sha256(byte[] bytes) {
    return HexFormat.of().formatHex(BlobDigest.sha256().digest(bytes));
  }

  private static String sha256(InputStream in) throws Exception {
    MessageDigest d = BlobDigest.sha256();
    try (DigestInputStream din = new DigestInputStream(in, d)) {
      din.transferTo(OutputStream.nullOutputStream());
    }
    return HexFormat.of().formatHex(d.digest());
  }
}
