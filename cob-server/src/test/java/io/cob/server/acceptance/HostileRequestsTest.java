package io.cob.server.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cob.server.CobNode;
import io.cob.server.config.NodeConfig;
import io.cob.server.support.Api;
import io.cob.server.support.Models;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Thirty malformed or hostile requests against one node. Each is answered with the right 4xx status
 * as an {@code application/problem+json} document whose {@code detail} says precisely what was
 * wrong, and each changes nothing: the deployed processes, instances (with their variables and
 * active elements), open tasks, open incidents, every instance's history and the row count of every
 * store table read the same before and after.
 *
 * <p>Filters holding SQL metacharacters are not errors: they are answered 200 and match only values
 * that really hold those characters.
 */
class HostileRequestsTest {
  private static final String DB = "jdbc:h2:mem:hostile-" + UUID.randomUUID();
  static CobNode node;
  static Api api;
  static Fixture fx;

  /** The ids the cases aim at. */
  record Fixture(
      String openTask,
      String doneTask,
      String doneInstance,
      String openJob,
      String doneJob,
      String freeJobInstance,
      String obrienInstance) {}

  @BeforeAll
  static void start() {
    node = CobNode.start(NodeConfig.defaults().withHttpPort(0).withStoreUrl(DB).withDevClock(true));
    api = new Api(node.baseUri());
    api.deploy("probe.bpmn", Models.oneJob("probe", "probe-work"));
    api.deploy("review.bpmn", Models.userTask("review", "ada", "clerks"));
    api.deploy("waiter.bpmn", Models.waitsForMessage("waiter", "paid"));

    String open = api.start("review", Map.of("orderId", "O-1")).get("id").asText();
    String openTask = onlyTask(open);
    String done = api.start("review", Map.of("orderId", "O-2")).get("id").asText();
    String doneTask = onlyTask(done);
    assertThat(api.post("/api/v1/tasks/" + doneTask + "/complete", Map.of()).status())
        .isEqualTo(204);

    // One job locked by a worker, one completed, one failed for good (an incident), one free.
    api.start("probe", Map.of("n", 1));
    String openJob = api.activate("probe-work", 1, "PT1H").get(0).get("key").asText();
    api.start("probe", Map.of("n", 2));
    String doneJob = api.activate("probe-work", 1, "PT1H").get(0).get("key").asText();
    assertThat(api.post("/api/v1/jobs/" + doneJob + "/complete", Map.of()).status()).isEqualTo(204);
    api.start("probe", Map.of("n", 3));
    String failedJob = api.activate("probe-work", 1, "PT1H").get(0).get("key").asText();
    assertThat(
            api.post(
                    "/api/v1/jobs/" + failedJob + "/fail",
                    Map.of("retries", 0, "errorMessage", "gone"))
                .status())
        .isEqualTo(204);
    String free = api.start("probe", Map.of("n", 4)).get("id").asText();

    Api.Res obrien =
        api.post(
            "/api/v1/instances",
            Map.of(
                "processId",
                "waiter",
                "businessKey",
                "O'Brien; --",
                "variables",
                Map.of("key", "K-1")));
    assertThat(obrien.status()).isEqualTo(201);
    fx =
        new Fixture(
            openTask, doneTask, done, openJob, doneJob, free, obrien.json().get("id").asText());
    assertThat(api.get("/api/v1/incidents").json()).hasSize(1);
  }

  @AfterAll
  static void stop() {
    try {
      // Nothing above locked, failed or completed a job: the free one is still there to take, and
      // the locked one still takes its completion.
      JsonNode free = api.activate("probe-work", 10, "PT1M");
      assertThat(free.findValuesAsText("instanceId")).containsExactly(fx.freeJobInstance());
      assertThat(api.post("/api/v1/jobs/" + fx.openJob() + "/complete", Map.of()).status())
          .isEqualTo(204);
    } finally {
      node.close();
    }
  }

  /** One hostile request and what it must be answered with. */
  record Case(
      Function<Fixture, Api.Res> send,
      int status,
      String type,
      String field,
      Function<Fixture, String> detail) {}

  /**
   * @param detail the exact detail; {@code …} stands for any text (a parser's column, say)
   * @param field the {@code errors[0].field} expected, or {@code null} when the problem names none
   */
  private static Arguments named(
      String name,
      Function<Fixture, Api.Res> send,
      int status,
      String type,
      String field,
      Function<Fixture, String> detail) {
    return Arguments.of(Named.of(name, new Case(send, status, type, field, detail)));
  }

  static final String INVALID = "urn:cob:problem:invalid-request";
  static final String NOT_FOUND = "urn:cob:problem:not-found";

  static Stream<Arguments> hostileRequests() {
    String bigJson =
        "{\"name\":\"paid\",\"variables\":{\"blob\":\"" + "x".repeat((1 << 20) + 1) + "\"}}";
    String bigBpmn =
        Models.oneJob("huge", "w")
            .replace("</definitions>", "<!--" + "x".repeat(10 << 20) + "--></definitions>");
    String valid = Models.oneJob("never-deployed", "w");
    String broken =
        Models.oneJob("broken", "w")
            .replace("<endEvent id=\"end\"/>", "<endEvent id=\"end\"/><weirdTask id=\"w1\"/>");
    String xxe =
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <!DOCTYPE definitions [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
        <definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" targetNamespace="urn:x">
          <process id="xxe" isExecutable="true"><startEvent id="s" name="&secret;"/></process>
        </definitions>
        """;
    String unicodeId = "\uD83D\uDCA5é\u202E:1";
    return Stream.of(
        named(
            "malformed JSON syntax",
            f -> api.post("/api/v1/instances", "{\"processId\": \"probe\", \"variables\": {"),
            400,
            INVALID,
            "",
            f -> "the body is not valid JSON (line 1, column 38): Unexpected end-of-input…"),
        named(
            "wrong type for a field",
            f -> api.post("/api/v1/instances", "{\"processId\":\"probe\",\"version\":\"2\"}"),
            400,
            INVALID,
            "version",
            f -> "field 'version' (line 1, column 32) must be a whole number"),
        named(
            "unknown field",
            f -> api.post("/api/v1/instances", "{\"processId\":\"probe\",\"varaibles\":{}}"),
            400,
            INVALID,
            "varaibles",
            f ->
                "unknown field 'varaibles' (line 1, column 37); known fields: businessKey,"
                    + " processId, variables, version"),
        named(
            "unknown process id",
            f -> api.post("/api/v1/instances", Map.of("processId", "no-such-process")),
            404,
            NOT_FOUND,
            null,
            f -> "process 'no-such-process' is not deployed"),
        named(
            "JSON body over 1 MiB",
            f -> postLarge("/api/v1/messages", "application/json", bigJson),
            413,
            "urn:cob:problem:payload-too-large",
            null,
            f -> "the body is larger than the 1048576 bytes this endpoint accepts"),
        named(
            "deployment over 10 MiB",
            f -> postLarge("/api/v1/deployments?name=huge.bpmn", "application/xml", bigBpmn),
            413,
            "urn:cob:problem:payload-too-large",
            null,
            f -> "the body is larger than the 10485760 bytes this endpoint accepts"),
        named(
            "invalid BPMN next to a valid file",
            f -> api.deployMultipart(files("good.bpmn", valid, "broken.bpmn", broken)),
            400,
            "urn:cob:problem:invalid-bpmn",
            null,
            f ->
                "the BPMN is invalid: broken.bpmn:9:21: element 'w1' (<weirdTask>): unsupported element <weirdTask>"),
        named(
            "BPMN with a DTD and an external entity (XXE)",
            f ->
                api.post(
                    "/api/v1/deployments?name=xxe.bpmn",
                    "application/xml",
                    xxe.getBytes(StandardCharsets.UTF_8)),
            400,
            "urn:cob:problem:invalid-bpmn",
            null,
            f -> "the BPMN is invalid: xxe.bpmn:2:…: DTDs and external entities are not allowed"),
        named(
            "encoded path traversal in an instance id",
            f -> api.get("/api/v1/instances/..%2F..%2Fetc%2Fpasswd"),
            400,
            INVALID,
            null,
            f -> "the request was refused before it reached the API: Ambiguous URI path separator"),
        named(
            "path traversal in a process id",
            f -> api.post("/api/v1/instances", Map.of("processId", "../../etc/passwd")),
            404,
            NOT_FOUND,
            null,
            f -> "process '../../etc/passwd' is not deployed"),
        named(
            "encoded dot segment as a process id",
            f -> api.get("/api/v1/processes/%2E%2E/xml"),
            400,
            INVALID,
            null,
            f -> "the request was refused before it reached the API: Ambiguous URI path segment"),
        named(
            "unknown task id",
            f -> api.post("/api/v1/tasks/no-such-task:1/complete", Map.of()),
            404,
            NOT_FOUND,
            null,
            f -> "user task no-such-task:1 is not open (unknown, completed or canceled)"),
        named(
            "completing a task twice",
            f -> api.post("/api/v1/tasks/" + f.doneTask() + "/complete", Map.of()),
            404,
            NOT_FOUND,
            null,
            f -> "user task " + f.doneTask() + " is not open (unknown, completed or canceled)"),
        named(
            "completing a job twice",
            f -> api.post("/api/v1/jobs/" + f.doneJob() + "/complete", Map.of()),
            404,
            NOT_FOUND,
            null,
            f ->
                "job "
                    + f.doneJob()
                    + " is not open (unknown, or already completed, failed for"
                    + " good or canceled)"),
        named(
            "failing a job with negative retries",
            f ->
                api.post(
                    "/api/v1/jobs/" + f.openJob() + "/fail",
                    Map.of("retries", -1, "errorMessage", "down")),
            400,
            INVALID,
            "retries",
            f -> "field 'retries' must be between 0 and 2147483647, not -1"),
        named(
            "unknown query parameter",
            f -> api.get("/api/v1/instances?colour=red"),
            400,
            INVALID,
            "colour",
            f ->
                "unknown query parameter 'colour'; known: state, processId, businessKey, cloud,"
                    + " limit, after"),
        named(
            "limit out of range",
            f -> api.get("/api/v1/instances?limit=1001"),
            400,
            INVALID,
            "limit",
            f -> "query parameter 'limit' must be between 1 and 1000, not 1001"),
        named(
            "invalid duration",
            f ->
                api.post(
                    "/api/v1/jobs/activate",
                    Map.of(
                        "type",
                        "probe-work",
                        "worker",
                        "w",
                        "maxJobs",
                        1,
                        "lockDuration",
                        "ten minutes")),
            400,
            INVALID,
            "lockDuration",
            f ->
                "field 'lockDuration' (line 1, column …): 'ten minutes' is not an ISO-8601"
                    + " duration (\"PT30S\") or a whole number of milliseconds…"),
        named(
            "message without name",
            f -> api.post("/api/v1/messages", Map.of("correlationKey", "K-1")),
            400,
            INVALID,
            "name",
            f -> "field 'name' is required and must not be empty"),
        named(
            "content type that is not JSON",
            f ->
                api.post(
                    "/api/v1/instances",
                    "text/plain",
                    "processId=probe".getBytes(StandardCharsets.UTF_8)),
            415,
            "urn:cob:problem:unsupported-media-type",
            null,
            f -> "the body must be application/json, not text/plain"),
        named(
            "method not allowed",
            f ->
                api.send(
                    HttpRequest.newBuilder(api.base().resolve("/api/v1/instances"))
                        .header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofString("{}"))),
            405,
            "urn:cob:problem:method-not-allowed",
            null,
            f -> "PUT is not allowed on /api/v1/instances; allowed: POST, GET"),
        named(
            "very long id",
            f -> api.get("/api/v1/instances/" + "a".repeat(20_000)),
            414,
            "urn:cob:problem:uri-too-long",
            null,
            f -> "the request URI is longer than this node accepts: URI Too Long"),
        named(
            "control characters in an id",
            f -> api.get("/api/v1/instances/a%00b%1Fc"),
            400,
            INVALID,
            null,
            f ->
                "the request was refused before it reached the API: the request URI is malformed or"
                    + " holds control characters"),
        named(
            "emoji and a right-to-left override in an id",
            f ->
                api.post(
                    "/api/v1/tasks/"
                        + URLEncoder.encode(unicodeId, StandardCharsets.UTF_8)
                        + "/complete",
                    Map.of()),
            404,
            NOT_FOUND,
            null,
            f -> "user task " + unicodeId + " is not open (unknown, completed or canceled)"),
        named(
            "empty body where one is required",
            f -> api.post("/api/v1/jobs/activate", "application/json", new byte[0]),
            400,
            INVALID,
            "",
            f -> "a JSON body is required"),
        named(
            "JSON array instead of an object",
            f -> api.post("/api/v1/instances", "[{\"processId\":\"probe\"}]"),
            400,
            INVALID,
            "",
            f -> "the body must be a JSON object (line 1, column 1)"),
        named(
            "number out of range for its field",
            f ->
                api.post(
                    "/api/v1/jobs/activate",
                    "{\"type\":\"probe-work\",\"worker\":\"w\",\"maxJobs\":99999999999,\"lockDuration\":\"PT1M\"}"),
            400,
            INVALID,
            "maxJobs",
            f ->
                "field 'maxJobs' (line 1, column …): Numeric value (99999999999) out of range of"
                    + " int (-2147483648 - 2147483647)"),
        named(
            "number no variable can hold",
            f ->
                api.post(
                    "/api/v1/instances",
                    "{\"processId\":\"probe\",\"variables\":{\"n\":1e999999}}"),
            400,
            INVALID,
            "variables.n",
            f ->
                "field 'variables.n' (line 1, column …): 1e999999 cannot be stored: numbers"
                    + " must lie between -9223372036854775807 and 9223372036854775807 with at most 100 decimal places"),
        named(
            "null for a required field",
            f -> api.post("/api/v1/instances", "{\"processId\":null}"),
            400,
            INVALID,
            "processId",
            f -> "field 'processId' is required and must not be empty"),
        named(
            "cancelling an instance that has ended",
            f -> api.delete("/api/v1/instances/" + f.doneInstance()),
            409,
            "urn:cob:problem:conflict",
            null,
            f -> "instance " + f.doneInstance() + " has ended (COMPLETED) and cannot be canceled"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hostileRequests")
  void shouldRefuseTheRequestWithAPreciseProblemAndChangeNothing(Case c) throws SQLException {
    State before = State.read();

    Api.Res r = c.send().apply(fx);

    assertThat(r.status()).as(r.toString()).isEqualTo(c.status());
    assertThat(r.contentType()).as(r.toString()).startsWith("application/problem+json");
    JsonNode p = r.json();
    assertThat(p.get("type").asText()).isEqualTo(c.type());
    assertThat(p.get("status").asInt()).isEqualTo(c.status());
    assertThat(p.get("title").asText()).isNotBlank();
    assertThat(p.get("detail").asText()).matches(glob(c.detail().apply(fx)));
    if (c.field() != null) {
      assertThat(p.get("errors").get(0).get("field").asText()).isEqualTo(c.field());
    }
    assertThat(State.read()).isEqualTo(before);
  }

  static Stream<Named<String[]>> sqlFilters() {
    return Stream.of(
        Named.of(
            "OR 1=1 in processId",
            new String[] {
              "/api/v1/instances?processId="
                  + URLEncoder.encode("' OR 1=1 --", StandardCharsets.UTF_8),
              ""
            }),
        Named.of(
            "DROP TABLE in businessKey",
            new String[] {
              "/api/v1/instances?businessKey=%27%3B%20DROP%20TABLE%20instances;--", ""
            }),
        Named.of(
            "OR '1'='1 in assignee",
            new String[] {
              "/api/v1/tasks?assignee=" + URLEncoder.encode("x' OR '1'='1", StandardCharsets.UTF_8),
              ""
            }),
        Named.of(
            "quote and comment that a business key really holds",
            new String[] {
              "/api/v1/instances?businessKey="
                  + URLEncoder.encode("O'Brien; --", StandardCharsets.UTF_8),
              "obrien"
            }));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("sqlFilters")
  void shouldTreatSqlMetacharactersInFiltersAsPlainText(String[] request) throws SQLException {
    State before = State.read();

    Api.Res r = api.get(request[0]);

    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    JsonNode items = r.json().isArray() ? r.json() : r.json().get("items");
    if (request[1].isEmpty()) {
      assertThat(items).as("nothing matches").isEmpty();
    } else {
      assertThat(items.findValuesAsText("id")).containsExactly(fx.obrienInstance());
    }
    assertThat(State.read()).isEqualTo(before);
    assertThat(before.tableRows()).containsKeys("INSTANCES", "EVENTS", "JOBS", "USER_TASKS");
  }

  /**
   * What the API shows, plus the rows of every store table: equal before and after a refused
   * request.
   */
  record State(
      String processes,
      String instances,
      String tasks,
      String incidents,
      Map<String, String> histories,
      Map<String, Long> tableRows) {
    static State read() throws SQLException {
      JsonNode instances = api.get("/api/v1/instances?limit=1000").json();
      Map<String, String> histories = new LinkedHashMap<>();
      for (JsonNode i : instances.get("items")) {
        String id = i.get("id").asText();
        histories.put(id, api.get("/api/v1/instances/" + id + "/history").body());
      }
      return new State(
          api.get("/api/v1/processes").body(),
          instances.toString(),
          api.get("/api/v1/tasks").body(),
          api.get("/api/v1/incidents").body(),
          histories,
          countRows());
    }

    /** The rows of each table of the node's H2 database (the same in-memory database, by name). */
    private static Map<String, Long> countRows() throws SQLException {
      Map<String, Long> rows = new TreeMap<>();
      try (Connection c = DriverManager.getConnection(DB);
          Statement s = c.createStatement()) {
        List<String> tables = new ArrayList<>();
        try (ResultSet t =
            s.executeQuery(
                "SELECT TABLE_NAME FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = 'PUBLIC'")) {
          while (t.next()) {
            tables.add(t.getString(1));
          }
        }
        for (String table : tables) {
          try (ResultSet n = s.executeQuery("SELECT COUNT(*) FROM \"" + table + "\"")) {
            n.next();
            rows.put(table, n.getLong(1));
          }
        }
      }
      return rows;
    }
  }

  private static String onlyTask(String instanceId) {
    JsonNode tasks = api.get("/api/v1/tasks?instanceId=" + instanceId).json();
    assertThat(tasks).hasSize(1);
    return tasks.get(0).get("id").asText();
  }

  /**
   * POSTs a large body announcing {@code Expect: 100-continue}, as clients of large uploads do: the
   * node answers 413 from the announced length without reading the body, and the client reads that
   * answer instead of finding the connection closed while it is still sending.
   */
  private static Api.Res postLarge(String path, String contentType, String body) {
    return api.send(
        HttpRequest.newBuilder(api.base().resolve(path))
            .expectContinue(true)
            .header("Content-Type", contentType)
            .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  private static Map<String, String> files(String n1, String x1, String n2, String x2) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put(n1, x1);
    m.put(n2, x2);
    return m;
  }

  /** A pattern for an expected detail in which {@code …} matches any text. */
  private static String glob(String expected) {
    StringBuilder re = new StringBuilder();
    for (String part : expected.split("…", -1)) {
      if (!re.isEmpty()) {
        re.append(".*");
      }
      re.append(Pattern.quote(part));
    }
    return "(?s)" + re;
  }
}
