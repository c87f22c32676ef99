package io.cob.server.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.cob.engine.TestModels;
import io.cob.server.CobNode;
import io.cob.server.config.NodeConfig;
import io.cob.server.support.Api;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Connectors in a node, driven only through the REST API: a process deployed over HTTP calls a REST
 * service with a secret from the node's configuration, and ends with its PDF completion report,
 * which is then downloaded from the node's blob endpoint and read.
 */
class ConnectorsOverHttpIT {
  private static final String PROCESS =
      TestModels.process(
          "order",
          """
          <startEvent id="start" name="Order placed"/>
          <serviceTask id="catalog" name="Price from the catalog"><extensionElements>
            <zeebe:taskDefinition type="http"/>
            <zeebe:taskHeaders>
              <zeebe:header key="authentication" value="bearer"/>
              <zeebe:header key="token" value="{{secrets.CATALOG_TOKEN}}"/>
            </zeebe:taskHeaders>
            <zeebe:ioMapping>
              <zeebe:input source="=catalogUrl + &quot;/items/&quot; + sku" target="url"/>
              <zeebe:output source="=body.price" target="price"/>
            </zeebe:ioMapping>
          </extensionElements></serviceTask>
          <serviceTask id="report" name="Completion report"><extensionElements>
            <zeebe:taskDefinition type="pdf"/>
          </extensionElements></serviceTask>
          <endEvent id="end" name="Done"/>
          """,
          "start->catalog",
          "catalog->report",
          "report->end");

  @TempDir Path dir;
  private final List<String> authorizations = new CopyOnWriteArrayList<>();
  private HttpServer catalog;
  private CobNode node;
  private Api api;

  @BeforeEach
  void start() throws Exception {
    catalog = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    catalog.createContext(
        "/items/",
        exchange -> {
          authorizations.add(exchange.getRequestHeaders().getFirst("Authorization"));
          byte[] body = "{\"sku\": \"A-1\", \"price\": 12.5}".getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().set("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    catalog.start();
    node =
        CobNode.start(
            NodeConfig.defaults()
                .withHttpPort(0)
                .withStoreUrl("jdbc:h2:file:" + dir.resolve("cob"))
                .withSecrets(Map.of("CATALOG_TOKEN", "t0ken-from-config")));
    api = new Api(node.baseUri());
  }

  @AfterEach
  void stop() {
    if (node != null) {
      node.close();
    }
    catalog.stop(0);
  }

  @Test
  void shouldCallTheServiceWithTheSecretAndServeTheCompletionReport() throws Exception {
    api.deploy("order.bpmn", PROCESS);
    String catalogUrl = "http://127.0.0.1:" + catalog.getAddress().getPort();
    String id =
        api.start("order", Map.of("catalogUrl", catalogUrl, "sku", "A-1")).get("id").asText();

    JsonNode instance = awaitCompleted(id);

    assertThat(authorizations).containsExactly("Bearer t0ken-from-config");
    assertThat(instance.get("variables").get("price").decimalValue()).isEqualByComparingTo("12.5");
    String everything = instance + api.get("/api/v1/instances/" + id + "/history").body();
    assertThat(everything).doesNotContain("t0ken-from-config");

    String blobId = instance.get("variables").get("report").get("blobId").asText();
    HttpResponse<byte[]> pdf =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(node.baseUri() + "/api/v1/blobs/" + blobId))
                    .build(),
                HttpResponse.BodyHandlers.ofByteArray());
    assertThat(pdf.statusCode()).isEqualTo(200);
    assertThat(pdf.headers().firstValue("Content-Type")).contains("application/pdf");
    try (PDDocument doc = Loader.loadPDF(pdf.body())) {
      String text = new PDFTextStripper().getText(doc);
      assertThat(text)
          .contains("order")
          .contains("Price from the catalog")
          .contains(node.config().cloud())
          .doesNotContain("t0ken-from-config");
    }
  }

  private JsonNode awaitCompleted(String id) throws InterruptedException {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
    while (true) {
      JsonNode i = api.instance(id);
      String state = i.get("state").asText();
      assertThat(state).as(i.toString()).isNotEqualTo("INCIDENT");
      if (state.equals("COMPLETED")) {
        return i;
      }
      assertThat(Instant.now()).as("completed in time: " + i).isBefore(deadline);
      Thread.sleep(50);
    }
  }
}
