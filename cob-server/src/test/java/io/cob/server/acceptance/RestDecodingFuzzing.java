package io.cob.server.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import io.cob.server.CobNode;
import io.cob.server.config.NodeConfig;
import io.cob.server.support.Api;
import io.cob.server.support.InMemoryApi;
import io.cob.server.support.Models;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Fuzzes the node's request decoding: routing, content types, JSON bodies and BPMN uploads of the
 * endpoints that take a body, sent in memory through the node's own HTTP parser ({@link
 * InMemoryApi}). Whatever arrives, the answer is below 500 and a 4xx is a problem document: no
 * exception escapes a handler.
 *
 * <p>Bodies are random bytes, mutations of valid requests, and random JSON trees over the
 * endpoint's field names. {@code requestTimeout} is never generated, so that no activation long
 * polls. How many requests each property sends is the subclass's {@code @PropertyDefaults}.
 */
abstract class RestDecodingFuzzing {
  private static CobNode node;
  private static InMemoryApi api;

  /** Endpoint, and a valid body for it to mutate. */
  private static final Map<String, String> VALID =
      Map.of(
          "/api/v1/instances",
          "{\"processId\":\"fuzz\",\"variables\":{\"n\":1,\"s\":\"x\",\"l\":[1,2.5,true,null]},\"businessKey\":\"b\"}",
          "/api/v1/messages",
          "{\"name\":\"paid\",\"correlationKey\":\"k\",\"variables\":{\"a\":{\"b\":[]}},\"timeToLive\":\"PT1M\"}",
          "/api/v1/jobs/activate",
          "{\"type\":\"fuzz-work\",\"worker\":\"w\",\"maxJobs\":1,\"lockDuration\":\"PT1M\"}",
          "/api/v1/jobs/j:1/complete",
          "{\"variables\":{\"x\":1}}",
          "/api/v1/jobs/j:1/fail",
          "{\"retries\":0,\"errorMessage\":\"down\",\"retryBackoff\":\"PT1S\"}",
          "/api/v1/jobs/j:1/error",
          "{\"errorCode\":\"E\",\"errorMessage\":\"m\",\"variables\":{}}",
          "/api/v1/tasks/t:1/complete",
          "{\"variables\":{\"ok\":true}}",
          "/api/v1/incidents/i:1/retry",
          "{\"retries\":2}",
          "/api/v1/clouds/local/failover",
          "{\"to\":\"other\"}");

  private static final List<String> FIELDS =
      List.of(
          "processId",
          "version",
          "variables",
          "businessKey",
          "name",
          "correlationKey",
          "instanceId",
          "timeToLive",
          "type",
          "worker",
          "maxJobs",
          "lockDuration",
          "retries",
          "errorMessage",
          "retryBackoff",
          "errorCode",
          "to",
          "duration",
          "x",
          "");

  @BeforeContainer
  static void start() {
    node =
        CobNode.start(
            NodeConfig.defaults()
                .withHttpPort(0)
                .withStoreUrl("jdbc:h2:mem:fuzz-" + UUID.randomUUID()));
    new Api(node.baseUri()).deploy("fuzz.bpmn", Models.oneJob("fuzz", "fuzz-work"));
    api = new InMemoryApi(node);
  }

  @AfterContainer
  static void stop() {
    node.close();
  }

  private static void answersWithoutServerError(
      String method, String path, String contentType, byte[] body) {
    InMemoryApi.Res r = api.send(method, path, contentType, body);
    assertThat(r.status())
        .as(
            () ->
                method
                    + " "
                    + path
                    + " ["
                    + contentType
                    + "] "
                    + new String(body, StandardCharsets.UTF_8)
                    + " -> "
                    + r)
        .isLessThan(500);
    if (r.status() >= 400 && r.status() != 405) {
      assertThat(r.contentType()).as(r::toString).startsWith("application/problem+json");
    }
  }

  @Property
  void randomBytesToEveryEndpoint(
      @ForAll("endpoints") String path,
      @ForAll("contentTypes") String contentType,
      @ForAll("bytes") byte[] body) {
    answersWithoutServerError("POST", path, contentType, body);
  }

  @Property
  void mutatedValidRequests(@ForAll("mutatedRequests") Map.Entry<String, String> request) {
    answersWithoutServerError(
        "POST",
        request.getKey(),
        "application/json",
        request.getValue().getBytes(StandardCharsets.UTF_8));
  }

  @Property
  void randomJsonTrees(@ForAll("endpoints") String path, @ForAll("jsonObjects") String json) {
    answersWithoutServerError(
        "POST", path, "application/json", json.getBytes(StandardCharsets.UTF_8));
  }

  @Property
  void mutatedDeployments(@ForAll("deployments") byte[] xml, @ForAll boolean multipart) {
    if (multipart) {
      byte[] head =
          ("--b\r\nContent-Disposition: form-data; name=\"f\"; filename=\"f.bpmn\"\r\n\r\n")
              .getBytes(StandardCharsets.UTF_8);
      byte[] tail = "\r\n--b--\r\n".getBytes(StandardCharsets.UTF_8);
      byte[] body = new byte[head.length + xml.length + tail.length];
      System.arraycopy(head, 0, body, 0, head.length);
      System.arraycopy(xml, 0, body, head.length, xml.length);
      System.arraycopy(tail, 0, body, head.length + xml.length, tail.length);
      answersWithoutServerError(
          "POST", "/api/v1/deployments", "multipart/form-data; boundary=b", body);
    } else {
      answersWithoutServerError("POST", "/api/v1/deployments?name=f.bpmn", "application/xml", xml);
    }
  }

  @Provide
  Arbitrary<String> endpoints() {
    return Arbitraries.oneOf(
        Arbitraries.of(VALID.keySet()),
        Arbitraries.of(
            "/api/v1/instances/x%2F",
            "/api/v1/jobs/%00/complete",
            "/api/v1/tasks/\u00e9/complete",
            "/api/v1/instances?limit=-1",
            "/api/v1//messages",
            "/api/v1/deployments"));
  }

  @Provide
  Arbitrary<String> contentTypes() {
    return Arbitraries.of(
        "application/json",
        "application/json; charset=utf-16",
        "application/problem+json",
        "text/plain",
        "multipart/form-data",
        "multipart/form-data; boundary=",
        "application/xml",
        "x/\u00ff");
  }

  @Provide
  Arbitrary<byte[]> bytes() {
    return Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
  }

  @Provide
  Arbitrary<Map.Entry<String, String>> mutatedRequests() {
    return Combinators.combine(
            Arbitraries.of(VALID.keySet()),
            Arbitraries.integers().between(0, 4),
            Arbitraries.doubles().between(0, 1),
            Arbitraries.integers().between(1, 12),
            Arbitraries.oneOf(
                Arbitraries.of(
                    "{",
                    "}",
                    "[",
                    "]",
                    ",",
                    ":",
                    "\"",
                    "\\",
                    "\\u",
                    "\\ud800",
                    "null",
                    "true",
                    "1e999999",
                    "-0",
                    "99999999999999999999999",
                    "1.0000000000000000000001",
                    "\u0000",
                    "\ufeff",
                    "[".repeat(200),
                    "\"variables\":",
                    "PT",
                    "P-1D"),
                Arbitraries.strings().ofMaxLength(5)))
        .as(
            (path, kind, at, len, splice) -> {
              String v = VALID.get(path);
              int a = (int) (at * v.length());
              int b = Math.min(v.length(), a + len);
              String mutated =
                  switch (kind) {
                    case 0 -> v.substring(0, a) + v.substring(b);
                    case 1 -> v.substring(0, a) + splice + v.substring(a);
                    case 2 -> v.substring(0, a) + splice + v.substring(b);
                    case 3 -> v.substring(0, a);
                    default -> v.substring(0, b) + v.substring(a, b) + v.substring(b);
                  };
              return Map.entry(path, mutated);
            });
  }

  @Provide
  Arbitrary<String> jsonObjects() {
    return jsonValue(3)
        .list()
        .ofMaxSize(5)
        .flatMap(
            values ->
                Arbitraries.of(FIELDS)
                    .list()
                    .ofSize(values.size())
                    .map(
                        names -> {
                          StringBuilder sb = new StringBuilder("{");
                          for (int i = 0; i < values.size(); i++) {
                            sb.append(i == 0 ? "" : ",")
                                .append('"')
                                .append(names.get(i))
                                .append("\":")
                                .append(values.get(i));
                          }
                          return sb.append('}').toString();
                        }));
  }

  private static Arbitrary<String> jsonValue(int depth) {
    Arbitrary<String> scalar =
        Arbitraries.oneOf(
            Arbitraries.of(
                "null",
                "true",
                "false",
                "0",
                "-1",
                "2147483648",
                "9223372036854775808",
                "1e400",
                "0.1",
                "\"\"",
                "\"PT1M\"",
                "\"fuzz\"",
                "\"fuzz-work\"",
                "\"\\u0000\"",
                "\"\\ud800\""),
            Arbitraries.longs().map(String::valueOf),
            Arbitraries.strings().ofMaxLength(8).map(s -> "\"" + escape(s) + "\""));
    if (depth == 0) {
      return scalar;
    }
    Arbitrary<String> array =
        Arbitraries.lazy(() -> jsonValue(depth - 1))
            .list()
            .ofMaxSize(3)
            .map(l -> "[" + String.join(",", l) + "]");
    Arbitrary<String> object =
        Arbitraries.lazy(() -> jsonValue(depth - 1))
            .list()
            .ofMaxSize(3)
            .map(
                l -> {
                  StringBuilder sb = new StringBuilder("{");
                  for (int i = 0; i < l.size(); i++) {
                    sb.append(i == 0 ? "" : ",")
                        .append("\"k")
                        .append(i)
                        .append("\":")
                        .append(l.get(i));
                  }
                  return sb.append('}').toString();
                });
    return Arbitraries.oneOf(scalar, array, object);
  }

  private static String escape(String s) {
    StringBuilder sb = new StringBuilder();
    for (char c : s.toCharArray()) {
      if (c == '"' || c == '\\' || c < 0x20) {
        sb.append(String.format("\\u%04x", (int) c));
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  @Provide
  Arbitrary<byte[]> deployments() {
    String valid = Models.oneJob("fuzz-deployed", "fuzz-work");
    return Combinators.combine(
            Arbitraries.integers().between(0, 3),
            Arbitraries.doubles().between(0, 1),
            Arbitraries.integers().between(1, 40),
            Arbitraries.of("<", ">", "&", "<!DOCTYPE x []>", "\u0000", "=", "]]>", "id=\"a\""))
        .as(
            (kind, at, len, splice) -> {
              int a = (int) (at * valid.length());
              int b = Math.min(valid.length(), a + len);
              String m =
                  switch (kind) {
                    case 0 -> valid.substring(0, a) + valid.substring(b);
                    case 1 -> valid.substring(0, a) + splice + valid.substring(a);
                    case 2 -> valid.substring(0, a) + splice + valid.substring(b);
                    default -> valid.substring(0, a);
                  };
              return m.getBytes(StandardCharsets.UTF_8);
            });
  }
}
