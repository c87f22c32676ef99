package io.cob.server.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cob.server.CobNode;
import io.cob.server.support.Api;
import io.cob.server.support.TestNode;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document and the server agree: every route the server serves is documented and every
 * documented operation is served; every documented example request succeeds against a live node
 * with the documented success status, and the answer has the documented required fields.
 */
class OpenApiConformanceTest {
  static CobNode node;
  static Api api;
  static JsonNode doc;

  @BeforeAll
  static void start() {
    // Two clouds, so that the fail-over example has another cloud to take over.
    node =
        TestNode.start(
            io.cob.server.config.NodeConfig.defaults()
                .withHttpPort(0)
                .withStoreUrl("jdbc:h2:mem:" + java.util.UUID.randomUUID())
                .withDevClock(true)
                .withClouds(io.cob.server.support.CloudNodes.clouds())
                .withCloud("public-a"));
    api = new Api(node.baseUri());
    Api.Res r = api.get("/api/v1/openapi.json");
    assertThat(r.status()).isEqualTo(200);
    doc = r.json();
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  record Operation(String method, String path, JsonNode op) {
    String id() {
      return op.get("operationId").asText();
    }
  }

  static List<Operation> operations() {
    List<Operation> out = new ArrayList<>();
    doc.get("paths")
        .fields()
        .forEachRemaining(
            p ->
                p.getValue()
                    .fields()
                    .forEachRemaining(
                        m ->
                            out.add(
                                new Operation(
                                    m.getKey().toUpperCase(java.util.Locale.ROOT),
                                    p.getKey(),
                                    m.getValue()))));
    return out;
  }

  @Test
  void everyServedRouteIsDocumentedAndEveryDocumentedOperationIsServed() {
    Set<String> served =
        node.router().routes().stream()
            .map(r -> r.method() + " " + r.path())
            .collect(Collectors.toCollection(TreeSet::new));
    Set<String> documented =
        operations().stream()
            .map(o -> o.method() + " " + o.path())
            .collect(Collectors.toCollection(TreeSet::new));

    assertThat(documented).isEqualTo(served);
  }

  @Test
  void theDocumentIsOpenApi31WithResolvableReferencesAndProblemAnswers() {
    assertThat(doc.get("openapi").asText()).isEqualTo("3.1.0");
    List<String> refs = new ArrayList<>();
    collectRefs(doc, refs);
    for (String ref : refs) {
      assertThat(ref).startsWith("#/components/schemas/");
      assertThat(doc.at(ref.substring(1)).isMissingNode()).as(ref).isFalse();
    }
    for (Operation o : operations()) {
      assertThat(o.op().has("operationId") && o.op().has("summary") && o.op().has("description"))
          .as(o.id())
          .isTrue();
      assertThat(successStatus(o)).as(o.method() + " " + o.path()).isBetween(200, 299);
      o.op()
          .get("responses")
          .fields()
          .forEachRemaining(
              r -> {
                if (r.getKey().startsWith("4") || r.getKey().startsWith("5")) {
                  assertThat(
                          r.getValue()
                              .at("/content/application~1problem+json/schema/$ref")
                              .asText())
                      .as(o.id() + " " + r.getKey())
                      .isEqualTo("#/components/schemas/Problem");
                }
              });
      for (String param : pathParams(o.path())) {
        assertThat(param(o, param, "path")).as(o.id() + " documents {" + param + "}").isNotNull();
      }
      if (o.op().has("requestBody")) {
        boolean hasExample = false;
        for (JsonNode media : o.op().at("/requestBody/content")) {
          hasExample |= media.has("example");
        }
        assertThat(hasExample).as(o.id() + " has an example request").isTrue();
      }
    }
  }

  @Test
  void everyDocumentedExampleRequestSucceedsWithTheDocumentedStatus() {
    List<Operation> ops = new ArrayList<>(operations());
    // Deploy first (the other examples use its process); cancel last.
    ops.sort(
        Comparator.comparingInt(
            o -> o.id().equals("deploy") ? 0 : o.method().equals("DELETE") ? 2 : 1));
    Fixtures fixtures = new Fixtures();
    List<String> failures = new ArrayList<>();
    for (Operation o : ops) {
      String path = o.path();
      for (String p : pathParams(path)) {
        path =
            path.replace(
                "{" + p + "}",
                URLEncoder.encode(
                        fixtures.value(o.id(), p, param(o, p, "path")), StandardCharsets.UTF_8)
                    .replace("%3A", ":"));
      }
      List<String> query = new ArrayList<>();
      for (JsonNode p : o.op().path("parameters")) {
        if (p.get("in").asText().equals("query") && p.has("example")) {
          query.add(
              p.get("name").asText()
                  + "="
                  + URLEncoder.encode(p.get("example").asText(), StandardCharsets.UTF_8));
        }
      }
      String uri = path + (query.isEmpty() ? "" : "?" + String.join("&", query));
      HttpRequest.Builder b = HttpRequest.newBuilder(api.base().resolve(uri));
      JsonNode content = o.op().at("/requestBody/content");
      if (content.isMissingNode()) {
        b.method(o.method(), HttpRequest.BodyPublishers.noBody());
      } else {
        Iterator<Map.Entry<String, JsonNode>> media = content.fields();
        Map.Entry<String, JsonNode> first = media.next();
        JsonNode example = first.getValue().get("example");
        String body = example.isTextual() ? example.asText() : example.toString();
        b.header("Content-Type", first.getKey())
            .method(o.method(), HttpRequest.BodyPublishers.ofString(body));
      }
      Api.Res r = api.send(b);
      int expected = successStatus(o);
      if (r.status() != expected) {
        failures.add(o.method() + " " + uri + ": expected " + expected + ", got " + r);
        continue;
      }
      JsonNode schema = o.op().at("/responses/" + expected + "/content/application~1json/schema");
      if (!schema.isMissingNode()) {
        checkRequired(schema, r.json(), o.id(), failures);
      }
    }
    assertThat(failures).isEmpty();
  }

  /**
   * Live values for path parameters: the example values where they exist, fresh objects otherwise.
   */
  private static final class Fixtures {
    private final Map<String, Supplier<String>> byOperation =
        Map.ofEntries(
            Map.entry("getInstance", this::instance),
            Map.entry("getInstanceHistory", this::instance),
            Map.entry("cancelInstance", this::instance),
            Map.entry("completeTask", this::task),
            Map.entry("completeJob", this::job),
            Map.entry("failJob", this::job),
            Map.entry("throwJobError", this::job),
            Map.entry("retryIncident", this::incident),
            Map.entry("downloadBlob", this::blob),
            Map.entry("getBlobMeta", this::blob),
            Map.entry("completeCallback", this::callbackToken));

    String value(String operationId, String param, JsonNode documented) {
      Supplier<String> s = byOperation.get(operationId);
      return s != null ? s.get() : documented.get("example").asText();
    }

    String instance() {
      return api.start("order", Map.of()).get("id").asText();
    }

    String job() {
      String id = instance();
      for (JsonNode j : api.activate("ship", 100, "PT10M")) {
        if (j.get("instanceId").asText().equals(id)) {
          return j.get("key").asText();
        }
      }
      throw new AssertionError("no ship job for " + id);
    }

    /** A token for a job waiting as an asynchronous http task's would, signed as the node signs. */
    String callbackToken() {
      return new io.cob.connectors.http.CallbackTokens(
              node.connectors().context().callbackKey(), node.engine().clock())
          .issue(job(), java.time.Duration.ofMinutes(5));
    }

    String task() {
      String key = job();
      api.post("/api/v1/jobs/" + key + "/complete", Map.of());
      return api.get("/api/v1/tasks?instanceId=" + key.substring(0, key.lastIndexOf(':')))
          .json()
          .get(0)
          .get("id")
          .asText();
    }

    String blob() {
      return api.post("/api/v1/blobs", "text/plain", "a blob".getBytes(StandardCharsets.UTF_8))
          .json()
          .get("blobId")
          .asText();
    }

    String incident() {
      String key = job();
      api.post("/api/v1/jobs/" + key + "/fail", Map.of("retries", 0, "errorMessage", "broken"));
      return api.get("/api/v1/incidents?instanceId=" + key.substring(0, key.lastIndexOf(':')))
          .json()
          .get(0)
          .get("id")
          .asText();
    }
  }

  private static void checkRequired(
      JsonNode schema, JsonNode value, String where, List<String> failures) {
    JsonNode s = resolve(schema);
    if (s.has("items") && value.isArray()) {
      for (JsonNode v : value) {
        checkRequired(s.get("items"), v, where + "[]", failures);
      }
      return;
    }
    for (JsonNode req : s.path("required")) {
      if (!value.has(req.asText())) {
        failures.add(where + ": answer lacks required field '" + req.asText() + "': " + value);
      }
    }
    s.path("properties")
        .fields()
        .forEachRemaining(
            p -> {
              if (value.has(p.getKey()) && !value.get(p.getKey()).isNull()) {
                checkRequired(
                    p.getValue(), value.get(p.getKey()), where + "." + p.getKey(), failures);
              }
            });
  }

  private static JsonNode resolve(JsonNode schema) {
    return schema.has("$ref") ? doc.at(schema.get("$ref").asText().substring(1)) : schema;
  }

  private static int successStatus(Operation o) {
    int best = Integer.MAX_VALUE;
    for (Iterator<String> it = o.op().get("responses").fieldNames(); it.hasNext(); ) {
      int code = Integer.parseInt(it.next());
      if (code >= 200 && code < 300) {
        best = Math.min(best, code);
      }
    }
    return best;
  }

  private static JsonNode param(Operation o, String name, String in) {
    for (JsonNode p : o.op().path("parameters")) {
      if (p.get("name").asText().equals(name) && p.get("in").asText().equals(in)) {
        return p;
      }
    }
    return null;
  }

  private static List<String> pathParams(String path) {
    List<String> out = new ArrayList<>();
    Matcher m = Pattern.compile("\\{(\\w+)}").matcher(path);
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  private static void collectRefs(JsonNode n, List<String> out) {
    if (n.isObject()) {
      n.fields()
          .forEachRemaining(
              e -> {
                if (e.getKey().equals("$ref")) {
                  out.add(e.getValue().asText());
                } else {
                  collectRefs(e.getValue(), out);
                }
              });
    } else if (n.isArray()) {
      n.forEach(c -> collectRefs(c, out));
    }
  }
}
