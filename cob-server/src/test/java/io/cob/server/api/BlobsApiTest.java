package io.cob.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cob.engine.blob.BlobDigest;
import io.cob.server.CobNode;
import io.cob.server.config.NodeConfig;
import io.cob.server.support.Api;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Upload and download of blobs over HTTP, on a node whose blobs live in its H2 store. */
class BlobsApiTest {
  private static final long LIMIT = 3L * 1024 * 1024;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static String storeUrl;
  private static CobNode node;
  private static Api api;

  @BeforeAll
  static void start() {
    storeUrl = "jdbc:h2:mem:" + UUID.randomUUID();
    node =
        CobNode.start(
            NodeConfig.defaults().withHttpPort(0).withStoreUrl(storeUrl).withBlobMaxBytes(LIMIT));
    api = new Api(node.baseUri());
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  @Test
  void shouldStoreAnUploadAndServeItBackWithItsHeaders() throws Exception {
    byte[] content = random(2_500_000, 1);
    HttpResponse<String> up =
        CLIENT.send(
            upload("/api/v1/blobs?filename=scan.pdf", "application/pdf", content),
            HttpResponse.BodyHandlers.ofString());

    assertThat(up.statusCode()).as(up.body()).isEqualTo(201);
    JsonNode ref = JSON.readTree(up.body());
    String id = ref.get("blobId").asText();
    assertThat(ref.get("sha256").asText()).isEqualTo(sha256Hex(content));
    assertThat(ref.get("size").asLong()).isEqualTo(content.length);
    assertThat(ref.get("contentType").asText()).isEqualTo("application/pdf");
    assertThat(ref.get("filename").asText()).isEqualTo("scan.pdf");
    assertThat(up.headers().firstValue("Location")).contains("/api/v1/blobs/" + id);

    HttpResponse<byte[]> down =
        CLIENT.send(get("/api/v1/blobs/" + id), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(down.statusCode()).isEqualTo(200);
    assertThat(down.body()).isEqualTo(content);
    assertThat(down.headers().firstValue("Content-Type")).contains("application/pdf");
    assertThat(down.headers().firstValueAsLong("Content-Length")).hasValue(content.length);
    assertThat(down.headers().firstValue("ETag")).contains("\"" + sha256Hex(content) + "\"");
    String b64 = Base64.getEncoder().encodeToString(BlobDigest.sha256().digest(content));
    assertThat(down.headers().firstValue("Repr-Digest")).contains("sha-256=:" + b64 + ":");
    assertThat(down.headers().firstValue("Digest")).contains("sha-256=" + b64);

    Api.Res meta = api.get("/api/v1/blobs/" + id + "/meta");
    assertThat(meta.status()).isEqualTo(200);
    assertThat(meta.json().get("sha256").asText()).isEqualTo(sha256Hex(content));
    assertThat(meta.json().has("filename")).isFalse();
  }

  @Test
  void shouldStreamAnUploadOfUnknownLengthAndKeepItsTextTypeAsSent() throws Exception {
    byte[] content = "hello, blob".getBytes(StandardCharsets.UTF_8);
    HttpRequest chunked =
        HttpRequest.newBuilder(node.baseUri().resolve("/api/v1/blobs"))
            .header("Content-Type", "text/plain; charset=iso-8859-1")
            .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(content)))
            .build();
    HttpResponse<String> up = CLIENT.send(chunked, HttpResponse.BodyHandlers.ofString());
    assertThat(up.statusCode()).as(up.body()).isEqualTo(201);
    String id = JSON.readTree(up.body()).get("blobId").asText();

    HttpResponse<byte[]> down =
        CLIENT.send(get("/api/v1/blobs/" + id), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(down.body()).isEqualTo(content);
    assertThat(down.headers().firstValue("Content-Type"))
        .contains("text/plain; charset=iso-8859-1");
  }

  @Test
  void shouldAnswerAHeadRequestWithTheHeadersAlone() throws Exception {
    String id = uploadSmall("twelve bytes");

    HttpResponse<byte[]> r =
        CLIENT.send(
            HttpRequest.newBuilder(node.baseUri().resolve("/api/v1/blobs/" + id))
                .method("HEAD", HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValueAsLong("Content-Length")).hasValue(12);
    assertThat(r.headers().firstValue("ETag")).isPresent();
    assertThat(r.body()).isEmpty();
  }

  @Test
  void shouldAnswer304WhenTheClientHasTheContentAlready() throws Exception {
    String id = uploadSmall("same");
    String etag = api.get("/api/v1/blobs/" + id + "/meta").json().get("sha256").asText();

    HttpResponse<String> r =
        CLIENT.send(
            HttpRequest.newBuilder(node.baseUri().resolve("/api/v1/blobs/" + id))
                .header("If-None-Match", "\"" + etag + "\"")
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(304);
  }

  @Test
  void shouldRefuseAnAnnouncedBodyOverTheLimitWith413NamingTheLimit() throws Exception {
    // Expect: 100-continue, as careful clients send large bodies: the refusal comes before the
    // body instead of racing a client that is still uploading when the server closes.
    HttpRequest announced =
        HttpRequest.newBuilder(node.baseUri().resolve("/api/v1/blobs"))
            .header("Content-Type", "application/octet-stream")
            .expectContinue(true)
            .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[(int) LIMIT + 1]))
            .timeout(Duration.ofSeconds(30))
            .build();
    HttpResponse<String> r = CLIENT.send(announced, HttpResponse.BodyHandlers.ofString());

    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(r.headers().firstValue("Content-Type")).contains("application/problem+json");
    assertThat(JSON.readTree(r.body()).get("detail").asText()).contains(String.valueOf(LIMIT));
  }

  @Test
  void shouldRefuseAStreamedBodyOverTheLimitAndKeepNothing() throws Exception {
    long before = count("blob_chunks");
    byte[] content = new byte[(int) LIMIT + 10];
    HttpRequest chunked =
        HttpRequest.newBuilder(node.baseUri().resolve("/api/v1/blobs"))
            .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(content)))
            .build();

    HttpResponse<String> r = CLIENT.send(chunked, HttpResponse.BodyHandlers.ofString());

    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(JSON.readTree(r.body()).get("detail").asText())
        .isEqualTo("the blob is larger than the limit of " + LIMIT + " bytes (blobs.maxBytes)");
    assertThat(count("blob_chunks")).isEqualTo(before);
  }

  @Test
  void shouldAnswer404ForAnUnknownBlob() {
    Api.Res content = api.get("/api/v1/blobs/no-such-blob");
    Api.Res meta = api.get("/api/v1/blobs/no-such-blob/meta");

    assertThat(content.status()).isEqualTo(404);
    assertThat(content.contentType()).isEqualTo("application/problem+json");
    assertThat(content.json().get("detail").asText()).isEqualTo("no blob no-such-blob");
    assertThat(meta.status()).isEqualTo(404);
  }

  @Test
  void shouldRefuseAMalformedContentTypeOrFilename() {
    Api.Res type = api.post("/api/v1/blobs", "nonsense", new byte[3]);
    Api.Res name = api.post("/api/v1/blobs?filename=..%2Fetc%2Fpasswd", "text/plain", new byte[3]);

    assertThat(type.status()).isEqualTo(400);
    assertThat(type.json().get("detail").asText()).contains("'nonsense' is not a media type");
    assertThat(name.status()).isEqualTo(400);
    assertThat(name.json().get("detail").asText()).contains("'filename'");
  }

  @Test
  void shouldNotServeDamagedContentAsGood() throws Exception {
    byte[] content = random(1_500_000, 2);
    HttpResponse<String> up =
        CLIENT.send(
            upload("/api/v1/blobs", "application/octet-stream", content),
            HttpResponse.BodyHandlers.ofString());
    String id = JSON.readTree(up.body()).get("blobId").asText();
    try (Connection c = DriverManager.getConnection(storeUrl);
        PreparedStatement ps =
            c.prepareStatement("UPDATE blob_chunks SET bytes = ? WHERE blob_id = ? AND seq = 1")) {
      byte[] damaged = java.util.Arrays.copyOfRange(content, 1 << 20, content.length);
      damaged[damaged.length - 1] ^= 1;
      ps.setBytes(1, damaged);
      ps.setString(2, id);
      assertThat(ps.executeUpdate()).isEqualTo(1);
    }

    // The headers arrive (200, the length of the good content), the body never completes.
    assertThatThrownBy(
            () -> CLIENT.send(get("/api/v1/blobs/" + id), HttpResponse.BodyHandlers.ofByteArray()))
        .isInstanceOf(IOException.class);
  }

  // ---------------------------------------------------------------- helpers

  private static String uploadSmall(String text) throws Exception {
    HttpResponse<String> up =
        CLIENT.send(
            upload("/api/v1/blobs", "text/plain", text.getBytes(StandardCharsets.UTF_8)),
            HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(up.body()).get("blobId").asText();
  }

  private static HttpRequest upload(String path, String type, byte[] content) {
    return HttpRequest.newBuilder(node.baseUri().resolve(path))
        .header("Content-Type", type)
        .POST(HttpRequest.BodyPublishers.ofByteArray(content))
        .timeout(Duration.ofSeconds(30))
        .build();
  }

  private static HttpRequest get(String path) {
    return HttpRequest.newBuilder(URI.create(node.baseUri() + path))
        .timeout(Duration.ofSeconds(30))
        .build();
  }

  private static long count(String table) throws Exception {
    try (Connection c = DriverManager.getConnection(storeUrl);
        var s = c.createStatement();
        var rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static byte[] random(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  private static String sha256Hex(byte[] content) {
    return HexFormat.of().formatHex(BlobDigest.sha256().digest(content));
  }
}
