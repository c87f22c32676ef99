package io.cob.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.cob.server.CobNode;
import io.cob.server.support.Api;
import io.cob.server.support.TestNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The node serves the console's files at / with content types, caching headers and gzip. */
class ConsoleAssetsTest {
  static CobNode node;
  static Api api;
  static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() {
    node = TestNode.start();
    api = new Api(node.baseUri());
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  private static HttpResponse<byte[]> get(String path, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(node.baseUri().resolve(path));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static String header(HttpResponse<?> r, String name) {
    return r.headers().firstValue(name).orElse(null);
  }

  private static String indexHtml() throws Exception {
    return new String(get("/").body(), StandardCharsets.UTF_8);
  }

  private static String scriptOf(String html) {
    Matcher m = Pattern.compile("src=\"(assets/main-[A-Z0-9]+\\.js)\"").matcher(html);
    assertThat(m.find()).as("index.html names a hashed bundle: " + html).isTrue();
    return m.group(1);
  }

  @Test
  void shouldServeIndexHtmlAtRootRevalidatedOnEveryLoad() throws Exception {
    HttpResponse<byte[]> r = get("/");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(header(r, "Content-Type")).isEqualTo("text/html; charset=utf-8");
    assertThat(header(r, "Cache-Control")).isEqualTo("no-cache");
    assertThat(header(r, "Content-Security-Policy")).contains("default-src 'self'");
    assertThat(header(r, "X-Content-Type-Options")).isEqualTo("nosniff");
    assertThat(new String(r.body(), StandardCharsets.UTF_8)).contains("<title>cob console</title>");
    assertThat(get("/index.html").body()).isEqualTo(r.body());
  }

  @Test
  void shouldLetBrowsersKeepHashedBundlesForAYear() throws Exception {
    String html = indexHtml();
    HttpResponse<byte[]> js = get("/" + scriptOf(html));
    Matcher css = Pattern.compile("href=\"(assets/main-[A-Z0-9]+\\.css)\"").matcher(html);
    assertThat(css.find()).isTrue();
    HttpResponse<byte[]> style = get("/" + css.group(1));

    assertThat(js.statusCode()).isEqualTo(200);
    assertThat(header(js, "Content-Type")).isEqualTo("text/javascript; charset=utf-8");
    assertThat(header(js, "Cache-Control")).isEqualTo("public, max-age=31536000, immutable");
    assertThat(header(js, "ETag")).matches("\"[0-9a-f]{24}\"");
    assertThat(style.statusCode()).isEqualTo(200);
    assertThat(header(style, "Content-Type")).isEqualTo("text/css; charset=utf-8");
    assertThat(get("/favicon.svg").headers().firstValue("Content-Type")).hasValue("image/svg+xml");
  }

  @Test
  void shouldSendGzipWhenAcceptedAndNotModifiedForAKnownTag() throws Exception {
    String script = "/" + scriptOf(indexHtml());
    HttpResponse<byte[]> plain = get(script);
    HttpResponse<byte[]> zipped = get(script, "Accept-Encoding", "gzip, deflate");

    assertThat(header(zipped, "Content-Encoding")).isEqualTo("gzip");
    assertThat(header(zipped, "Vary")).isEqualTo("Accept-Encoding");
    assertThat(zipped.body().length).isLessThan(plain.body().length / 2);
    assertThat(gunzip(zipped.body())).isEqualTo(plain.body());

    HttpResponse<byte[]> again = get(script, "If-None-Match", header(plain, "ETag"));
    assertThat(again.statusCode()).isEqualTo(304);
    assertThat(again.body()).isEmpty();
    HttpResponse<byte[]> again2 =
        get(script, "If-None-Match", header(zipped, "ETag"), "Accept-Encoding", "gzip");
    assertThat(again2.statusCode()).isEqualTo(304);
  }

  @Test
  void shouldAnswerAProblemForUnknownFilesAndLeaveTheApiAlone() throws Exception {
    Api.Res missing = api.get("/assets/nothing-here.js");
    Api.Res traversal = api.get("/assets/../../io/cob/server/openapi.json");
    Api.Res apiPath = api.get("/api/v1/nothing");
    Api.Res post = api.post("/", java.util.Map.of());

    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.contentType()).startsWith("application/problem+json");
    assertThat(traversal.status()).isIn(400, 404);
    assertThat(apiPath.status()).isEqualTo(404);
    assertThat(apiPath.json().get("detail").asText()).contains("/api/v1/nothing");
    assertThat(post.status()).isEqualTo(404);
    assertThat(api.get("/api/v1/processes").status()).isEqualTo(200);
  }

  @Test
  void shouldParseAcceptEncodingAndIfNoneMatchAsHttpSays() {
    assertThat(ConsoleAssets.acceptsGzip("gzip")).isTrue();
    assertThat(ConsoleAssets.acceptsGzip("br;q=1.0, gzip;q=0.8")).isTrue();
    assertThat(ConsoleAssets.acceptsGzip("*")).isTrue();
    assertThat(ConsoleAssets.acceptsGzip("gzip;q=0")).isFalse();
    assertThat(ConsoleAssets.acceptsGzip("identity")).isFalse();
    assertThat(ConsoleAssets.acceptsGzip(null)).isFalse();
    assertThat(ConsoleAssets.matches("W/\"abc\", \"def\"", "\"abc\"")).isTrue();
    assertThat(ConsoleAssets.matches("*", "\"abc\"")).isTrue();
    assertThat(ConsoleAssets.matches("\"abd\"", "\"abc\"")).isFalse();
  }

  private static byte[] gunzip(byte[] data) throws IOException {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(data))) {
      return in.readAllBytes();
    }
  }
}
