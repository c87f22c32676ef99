package io.cob.connectors.http;

import static io.cob.connectors.http.HttpHarness.outputs;
import static io.cob.connectors.http.HttpHarness.task;
import static io.cob.engine.TestModels.process;
import static org.assertj.core.api.Assertions.assertThat;

import io.cob.connectors.TraceParent;
import io.cob.connectors.http.TestServer.Response;
import io.cob.engine.EngineHarness.Instance;
import io.cob.engine.port.BlobRef;
import io.cob.engine.port.StoreRows.IncidentRow;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HttpConnectorTest {
  private final TestServer server;
  private HttpHarness h;

  HttpConnectorTest() throws Exception {
    server = TestServer.http();
  }

  @AfterEach
  void stop() {
    if (h != null) {
      h.close();
    }
    server.close();
  }

  private HttpHarness harness() {
    return harness(Map.of());
  }

  private HttpHarness harness(Map<String, String> secrets) {
    h = new HttpHarness(secrets, Map.of());
    return h;
  }

  /** start -> the given tasks in a row -> end. */
  private static String flow(String... tasks) {
    StringBuilder nodes = new StringBuilder("<startEvent id=\"s\"/>\n<endEvent id=\"e\"/>\n");
    List<String> flows = new java.util.ArrayList<>();
    String previous = "s";
    for (String t : tasks) {
      nodes.append(t);
      String id = t.substring(t.indexOf("id=\"") + 4, t.indexOf('"', t.indexOf("id=\"") + 4));
      flows.add(previous + "->" + id);
      previous = id;
    }
    flows.add(previous + "->e");
    return process("p", nodes.toString(), flows.toArray(String[]::new));
  }

  @Test
  void shouldRoundTripJsonThroughAnOutputMapping() {
    server.on(
        "/orders",
        req -> Response.json(201, "{\"id\": 42, \"price\": 9.95, \"echo\": " + req.text() + "}"));
    harness()
        .engine
        .deploy(
            flow(
                task(
                    "call",
                    3,
                    Map.of("url", server.url("/orders"), "body", "={\"item\": item, \"qty\": 2}"),
                    outputs(
                        "=body.id", "orderId",
                        "=body.price", "price",
                        "=status", "httpStatus",
                        "=body.echo.item", "echoed",
                        "=get value(headers, \"content-type\")", "contentType"))));

    Instance i = h.engine.start("p", Map.of("item", "book"));

    assertThat(i.status()).as(() -> i.incidents() + " " + i.history()).isEqualTo("COMPLETED");
    assertThat(i.variables())
        .containsEntry("orderId", 42L)
        .containsEntry("price", new java.math.BigDecimal("9.95"))
        .containsEntry("httpStatus", 201L)
        .containsEntry("echoed", "book")
        .containsEntry("contentType", "application/json");
    TestServer.Request req = server.requests("/orders").getFirst();
    assertThat(req.method()).isEqualTo("POST");
    assertThat(req.header("Content-Type")).isEqualTo("application/json");
    assertThat(req.text()).isEqualTo("{\"item\":\"book\",\"qty\":2}");
    assertThat(req.header("User-Agent")).startsWith("cob/");
  }

  @Test
  void shouldThrowHttp404ThatABoundaryErrorEventCatches() {
    String model =
        process(
                "p",
                "<startEvent id=\"s\"/>"
                    + task("call", 3, Map.of("url", server.url("/customers/7")), "")
                    + "<boundaryEvent id=\"notFound\" attachedToRef=\"call\">"
                    + "<errorEventDefinition errorRef=\"E404\"/></boundaryEvent>"
                    + "<endEvent id=\"found\"/><endEvent id=\"missing\"/>",
                "s->call",
                "call->found",
                "notFound->missing")
            .replace("</definitions>", "<error id=\"E404\" errorCode=\"HTTP_404\"/></definitions>");
    harness().engine.deploy(model);

    Instance i = h.engine.start("p");

    assertThat(i.status()).isEqualTo("COMPLETED");
    assertThat(i.completed()).contains("missing").doesNotContain("found");
    assertThat(server.requests("/customers/7")).hasSize(1);
  }

  @Test
  void shouldRetryOn503HonouringRetryAfterWithTheSameIdempotencyKey() {
    AtomicInteger calls = new AtomicInteger();
    server.on(
        "/pay",
        req ->
            calls.incrementAndGet() == 1
                ? new Response(503, Map.of("Retry-After", "1"), new byte[0])
                : Response.json(200, "{\"paid\": true}"));
    harness()
        .engine
        .deploy(
            flow(
                task(
                    "call",
                    3,
                    Map.of("url", server.url("/pay"), "method", "POST"),
                    outputs("=body.paid", "paid"))));

    Instance i = h.engine.start("p");
    assertThat(calls.get()).isEqualTo(1);
    assertThat(i.status()).isEqualTo("ACTIVE");
    assertThat(i.job("call").dueAt()).isEqualTo(h.engine.clock().instant().plusSeconds(1));
    assertThat(i.job("call").retries()).isEqualTo(2);

    h.engine.advance(Duration.ofSeconds(1));

    assertThat(calls.get()).isEqualTo(2);
    assertThat(i.status()).isEqualTo("COMPLETED");
    assertThat(i.variables()).containsEntry("paid", true);
    List<String> keys = server.headerValues("/pay", "Idempotency-Key");
    assertThat(keys).hasSize(2).doesNotContainNull();
    assertThat(keys.get(1)).isEqualTo(keys.get(0)).startsWith(i.id() + ":");
  }

  @Test
  void shouldSendTheInstancesTraceIdOnEveryCall() {
    server.on("/ping", req -> Response.json(200, "{}"));
    Map<String, String> ping = Map.of("url", server.url("/ping"));
    harness()
        .engine
        .deploy(
            flow(
                task("one", 3, ping, outputs("=status", "s1")),
                task("two", 3, ping, outputs("=status", "s2"))));

    Instance i = h.engine.start("p");

    assertThat(i.status()).isEqualTo("COMPLETED");
    List<String> parents = server.headerValues("/ping", "traceparent");
    assertThat(parents).hasSize(2).allMatch(p -> p.matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01"));
    assertThat(parents.get(0).substring(3, 35))
        .isEqualTo(parents.get(1).substring(3, 35))
        .isEqualTo(TraceParent.traceId(i.id()));
    assertThat(parents.get(0).substring(36, 52)).isNotEqualTo(parents.get(1).substring(36, 52));
  }

  @Test
  void shouldAuthenticateWithBasicAndBearerUsingSecrets() {
    server.on("/secure", req -> Response.json(200, "{}"));
    harness(Map.of("PW", "s3cr3t", "TOKEN", "tok-1"))
        .engine
        .deploy(
            flow(
                task(
                    "basic",
                    3,
                    Map.of(
                        "url", server.url("/secure"),
                        "authentication", "basic",
                        "username", "ada",
                        "password", "{{secrets.PW}}"),
                    outputs("=status", "s1")),
                task(
                    "bearer",
                    3,
                    Map.of(
                        "url", server.url("/secure"),
                        "authentication", "bearer",
                        "token", "{{secrets.TOKEN}}"),
                    outputs("=status", "s2"))));

    Instance i = h.engine.start("p");

    assertThat(i.status()).isEqualTo("COMPLETED");
    assertThat(server.headerValues("/secure", "Authorization"))
        .containsExactly(
            "Basic "
                + Base64.getEncoder().encodeToString("ada:s3cr3t".getBytes(StandardCharsets.UTF_8)),
            "Bearer tok-1");
  }

  @Test
  void shouldFetchAnOAuth2TokenOnceForTwoCallsAndAgainAfterItExpires() {
    AtomicInteger issued = new AtomicInteger();
    server.on(
        "/token",
        req ->
            Response.json(
                200,
                "{\"access_token\": \"t-"
                    + issued.incrementAndGet()
                    + "\", \"token_type\": \"Bearer\", \"expires_in\": 60}"));
    server.on(
        "/api",
        req ->
            ("Bearer t-" + issued.get()).equals(req.header("Authorization"))
                ? Response.json(200, "{}")
                : Response.json(401, "{}"));
    Map<String, String> oauth =
        Map.of(
            "url", server.url("/api"),
            "authentication", "oauth2-client-credentials",
            "tokenUrl", server.url("/token"),
            "clientId", "cob client",
            "clientSecret", "{{secrets.CLIENT_SECRET}}",
            "scope", "orders.read");
    harness(Map.of("CLIENT_SECRET", "p&ss"))
        .engine
        .deploy(
            flow(
                task("one", 3, oauth, outputs("=status", "s1")),
                task("two", 3, oauth, outputs("=status", "s2"))));

    assertThat(h.engine.start("p").status()).isEqualTo("COMPLETED");
    assertThat(server.requests("/token")).hasSize(1);
    assertThat(server.headerValues("/api", "Authorization"))
        .containsExactly("Bearer t-1", "Bearer t-1");
    TestServer.Request tokenRequest = server.requests("/token").getFirst();
    assertThat(tokenRequest.text()).isEqualTo("grant_type=client_credentials&scope=orders.read");
    assertThat(tokenRequest.header("Authorization"))
        .isEqualTo(
            "Basic "
                + Base64.getEncoder()
                    .encodeToString("cob+client:p%26ss".getBytes(StandardCharsets.UTF_8)));

    h.engine.advance(Duration.ofSeconds(60));
    assertThat(h.engine.start("p").status()).isEqualTo("COMPLETED");

    assertThat(server.requests("/token")).hasSize(2);
    assertThat(server.headerValues("/api", "Authorization")).endsWith("Bearer t-2", "Bearer t-2");
  }

  @Test
  void shouldFetchANewOAuth2TokenOnceWhenTheServiceRefusesTheCachedOne() {
    AtomicInteger issued = new AtomicInteger();
    server.on(
        "/token",
        req -> Response.json(200, "{\"access_token\": \"t-" + issued.incrementAndGet() + "\"}"));
    server.on(
        "/api",
        req ->
            "Bearer t-2".equals(req.header("Authorization"))
                ? Response.json(200, "{\"ok\": true}")
                : Response.json(401, "{\"error\": \"revoked\"}"));
    harness()
        .engine
        .deploy(
            flow(
                task(
                    "call",
                    3,
                    Map.of(
                        "url", server.url("/api"),
                        "authentication", "oauth2-client-credentials",
                        "clientAuthentication", "body",
                        "tokenUrl", server.url("/token"),
                        "clientId", "c",
                        "clientSecret", "s"),
                    outputs("=body.ok", "ok"))));

    Instance i = h.engine.start("p");

    assertThat(i.status()).isEqualTo("COMPLETED");
    assertThat(server.requests("/token")).hasSize(2);
    assertThat(server.requests("/token").getFirst().text())
        .isEqualTo("grant_type=client_credentials&client_id=c&client_secret=s");
    assertThat(server.headerValues("/api", "Authorization"))
        .containsExactly("Bearer t-1", "Bearer t-2");
  }

  @Test
  void shouldStreamABinaryResponseIntoTheBlobStoreAndKeepOnlyTheReference() throws Exception {
    byte[] bytes = new byte[2 * 1024 * 1024];
    new Random(7).nextBytes(bytes);
    server.on("/file", req -> Response.of(200, "application/octet-stream", bytes));
    harness()
        .engine
        .deploy(
            flow(task("call", 3, Map.of("url", server.url("/file")), outputs("=body", "file"))));

    Instance i = h.engine.start("p");

    assertThat(i.status()).isEqualTo("COMPLETED");
    BlobRef ref = BlobRef.fromVariable(i.variables().get("file")).orElseThrow();
    assertThat(ref.size()).isEqualTo(bytes.length);
    assertThat(ref.contentType()).isEqualTo("application/octet-stream");
    assertThat(ref.sha256())
        .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
    List<String> keys =
        ((Map<?, ?>) i.variables().get("file")).keySet().stream().map(String::valueOf).toList();
    assertThat(keys).containsExactlyInAnyOrder("blobId", "sha256", "size", "contentType");
    try (InputStream in = h.blobs.open(ref.blobId())) {
      assertThat(in.readAllBytes()).isEqualTo(bytes);
    }
  }

  @Test
  void shouldStreamABlobAsTheRequestBody() throws Exception {
    byte[] pdf = "%PDF-1.7 not really".getBytes(StandardCharsets.UTF_8);
    server.on("/upload", req -> Response.json(200, "{\"got\": " + req.body().length + "}"));
    HttpHarness harness = harness();
    BlobRef ref = harness.blobs.put(new ByteArrayInputStream(pdf), "application/pdf", 1 << 20);
    harness.engine.deploy(
        flow(
            task(
                "call",
                3,
                Map.of("url", server.url("/upload"), "body", "=document"),
                outputs("=body.got", "got"))));

    Instance i = h.engine.start("p", Map.of("document", ref.toVariable()));

    assertThat(i.status()).isEqualTo("COMPLETED");
    TestServer.Request req = server.requests("/upload").getFirst();
    assertThat(req.body()).isEqualTo(pdf);
    assertThat(req.header("Content-Type")).isEqualTo("application/pdf");
    assertThat(req.method()).isEqualTo("POST");
  }

  @Test
  void shouldSendQueryHeadersAndAFormBody() {
    server.on("/search", req -> Response.of(200, "text/plain; charset=utf-8", "found".getBytes()));
    harness()
        .engine
        .deploy(
            flow(
                task(
                    "call",
                    3,
                    Map.of(
                        "url", server.url("/search?fixed=1"),
                        "method", "put",
                        "query", "={q: \"a b&c\", page: 2, none: null}",
                        "headers", "={\"X-Tenant\": tenant}",
                        "bodyType", "form",
                        "body", "={name: \"Ada L\", tags: [\"x\", \"y\"]}"),
                    outputs("=body", "text"))));

    Instance i = h.engine.start("p", Map.of("tenant", "t1"));

    assertThat(i.status()).isEqualTo("COMPLETED");
    assertThat(i.variables()).containsEntry("text", "found");
    TestServer.Request req = server.requests("/search").getFirst();
    assertThat(req.method()).isEqualTo("PUT");
    assertThat(req.query()).isEqualTo("fixed=1&q=a+b%26c&page=2");
    assertThat(req.header("X-Tenant")).isEqualTo("t1");
    assertThat(req.header("Content-Type")).isEqualTo("application/x-www-form-urlencoded");
    assertThat(req.text()).isEqualTo("name=Ada+L&tags=x&tags=y");
  }

  @Test
  void shouldShapeTheResultWithResultExpressionOrResultVariable() {
    server.on("/c", req -> Response.json(200, "{\"name\": \"Ada\", \"id\": 3}"));
    harness()
        .engine
        .deploy(
            flow(
                task(
                    "expr",
                    3,
                    Map.of(
                        "url",
                        server.url("/c"),
                        "resultExpression",
                        "={customer: response.body.name, ok: response.status = 200}"),
                    ""),
                task("var", 3, Map.of("url", server.url("/c"), "resultVariable", "lookup"), "")));

    Instance i = h.engine.start("p");

    assertThat(i.status()).isEqualTo("COMPLETED");
    assertThat(i.variables()).containsEntry("customer", "Ada").containsEntry("ok", true);
    Map<String, Object> lookup = new LinkedHashMap<>();
    @SuppressWarnings("unchecked")
    Map<String, Object> got = (Map<String, Object>) i.variables().get("lookup");
    lookup.putAll(got);
    assertThat(lookup).containsEntry("status", 200L).containsKey("headers");
    assertThat(lookup.get("body")).isEqualTo(Map.of("name", "Ada", "id", 3L));
  }

  @Test
  void shouldRaiseAnIncidentNamingTheMissingUrl() {
    harness().engine.deploy(flow(task("call", 3, Map.of("method", "GET"), "")));

    Instance i = h.engine.start("p");

    assertThat(i.status()).isEqualTo("ACTIVE");
    assertThat(i.incidents()).hasSize(1);
    assertThat(i.incidents().getFirst().message())
        .contains("http task 'call'")
        .contains("setting 'url' is missing");
  }

  @Test
  void shouldRaiseAnIncidentWithStatusAndBodyExcerptWhenRetriesRunOut() {
    server.on("/boom", req -> Response.of(500, "text/plain", "database down".getBytes()));
    harness().engine.deploy(flow(task("call", 1, Map.of("url", server.url("/boom")), "")));

    Instance i = h.engine.start("p");

    IncidentRow incident = i.incidents().getFirst();
    assertThat(incident.message())
        .isEqualTo(
            "http task 'call': HTTP 500 from GET " + server.url("/boom") + ": database down");
  }

  @Test
  void shouldRefuseAJsonResponseLargerThanMaxResponseBytes() {
    server.on("/big", req -> Response.json(200, "{\"x\": \"" + "a".repeat(2000) + "\"}"));
    harness()
        .engine
        .deploy(
            flow(
                task(
                    "call", 3, Map.of("url", server.url("/big"), "maxResponseBytes", "1000"), "")));

    Instance i = h.engine.start("p");

    assertThat(i.incidents().getFirst().message())
        .contains("larger than maxResponseBytes (1000 bytes)")
        .contains("responseAsBlob=true");
  }

  @Test
  void shouldSendTheCallbackUrlAndWaitUntilTheCallbackCompletesTheJob() {
    server.on("/async", req -> new Response(202, Map.of(), new byte[0]));
    harness()
        .engine
        .deploy(
            flow(
                task(
                    "call",
                    3,
                    Map.of(
                        "url", server.url("/async"),
                        "callback", "true",
                        "callbackTimeout", "PT1H",
                        "body", "={\"replyTo\": callbackUrl}"),
                    outputs("=callbackResult.answer", "answer"))));

    Instance i = h.engine.start("p");

    assertThat(i.status()).isEqualTo("ACTIVE");
    TestServer.Request req = server.requests("/async").getFirst();
    String url = req.header("X-Callback-Url");
    assertThat(url).startsWith("http://127.0.0.1:9" + HttpConnector.CALLBACK_PATH);
    assertThat(req.text()).isEqualTo("{\"replyTo\":\"" + url + "\"}");
    String token = url.substring(url.lastIndexOf('/') + 1);
    CallbackTokens.Verification v =
        new CallbackTokens(HttpHarness.CALLBACK_KEY, h.engine.clock()).verify(token);
    assertThat(v).isInstanceOf(CallbackTokens.Verification.Valid.class);
    String jobKey = ((CallbackTokens.Verification.Valid) v).jobKey();
    assertThat(jobKey).isEqualTo(i.job("call").key());
    assertThat(i.job("call").lockExpiresAt())
        .isEqualTo(h.engine.clock().instant().plus(Duration.ofHours(1)));

    assertThat(
            h.context.outcomes().complete(jobKey, Map.of("callbackResult", Map.of("answer", 42))))
        .isTrue();
    h.engine.settle();

    assertThat(i.status()).isEqualTo("COMPLETED");
    assertThat(i.variables()).containsEntry("answer", 42L);
    assertThat(h.context.outcomes().complete(jobKey, Map.of())).as("a second answer").isFalse();
  }
}
