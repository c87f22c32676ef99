package io.cob.server.acceptance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.LongString;
import io.cob.engine.TestModels;
import io.cob.server.support.Api;
import io.cob.server.support.CloudNodes;
import io.cob.server.support.FailoverClouds;
import io.cob.server.support.NodeProcess;
import io.cob.server.support.PostgresSchema;
import io.cob.server.support.RabbitMq;
import io.cob.server.support.StepService;
import io.cob.server.support.WireTap;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The residency test of issue 6: an {@code eu} variable never reaches a cloud outside the eu, in
 * its store or on the wire to it. Three clouds as three JVMs on the machine's RabbitMQ, each node
 * with a PostgreSQL schema of its own as its store: {@code private} (eu) owns the instances and
 * replicates them ({@code sync}) to two standbys, {@code public-b} (eu) and {@code public-a} (us).
 * The process keeps {@code customer} in the eu ({@code cob:residency="customer=eu"}) and has a step
 * on each standby; {@code customer} is a nested object whose strings are recognisable secrets, set
 * at the start, by the output of the step at {@code public-b}, by the completion of a user task and
 * by a correlated message, and its {@code id} is the message's correlation key. The first call of
 * the step at {@code public-b} fails with an answer that echoes the customer: the job's error and
 * the incident it raises (the step has one try; the test retries it) quote the secrets.
 *
 * <p>Before the nodes start the test binds a queue of its own next to each standby's queue, bound
 * as that queue is, so it receives a copy of every message the broker routes to {@code public-a}
 * (heartbeats included) and to {@code public-b}. It shows:
 *
 * <ul>
 *   <li>no envelope to {@code public-a} holds a secret (as text, base64 at any alignment, hex or
 *       gzip), though they include the replication of the whole log and the job of its step, both
 *       with the redaction marker; the envelopes to {@code public-b} hold every secret (the
 *       control: the tap sees the values where they may go);
 *   <li>no row of {@code public-a}'s schema holds a secret (every column of every table, read over
 *       JDBC), though it holds the replica; {@code public-b}'s schema holds every secret;
 *   <li>nothing {@code public-a}'s node logged (cob at debug level) holds a secret;
 *   <li>a fail-over of {@code private} asked of {@code public-a} by hand takes no instance: it
 *       lists the instance as refused, naming the variable, its jurisdiction and the cloud, and
 *       leaves {@code private} unfenced: the instance goes on there.
 * </ul>
 */
class ResidencyOnTheWireIT {
  static final Duration DEADLINE = Duration.ofSeconds(60);
  static final String MARKER = "residency eu";

  /** Unique per run: a secret found can only come from this run's instance. */
  private final String run = UUID.randomUUID().toString().substring(0, 8);

  private final String customerId = "CUST-" + run + "-7781";
  private final String name = "Alice-Liddell-" + run;
  private final String street = "12-Rue-de-la-Paix-" + run;
  private final String iban = "FR7630006000011234567890189-" + run; // the enrich step's output
  private final String reviewNote = "checked-by-Dodgson-" + run; // the review task's completion
  private final String confirmation = "CONF-Wonderland-" + run; // the message's variables
  private final List<String> secrets =
      List.of(customerId, name, street, iban, reviewNote, confirmation);

  @TempDir Path dir;
  private final String namespace = RabbitMq.uniqueNamespace();
  private final Map<String, NodeProcess> nodes = new LinkedHashMap<>();
  private final Map<String, PostgresSchema> schemas = new LinkedHashMap<>();
  private final List<WireTap> taps = new ArrayList<>();
  private StepService service;

  @BeforeEach
  void startTheService() throws Exception {
    RabbitMq.requireAvailable();
    service = StepService.start(Duration.ofMillis(10), Duration.ofMillis(20));
  }

  @AfterEach
  void stopEverything() throws Exception {
    for (NodeProcess n : nodes.values()) {
      n.close();
      n.keepLog(Path.of("target", "it-logs", "ResidencyOnTheWireIT"));
    }
    for (WireTap t : taps) {
      t.close();
    }
    schemas.values().forEach(PostgresSchema::close);
    if (service != null) {
      service.close();
    }
    if (!nodes.isEmpty()) {
      RabbitMq.deleteNamespace(namespace, FailoverClouds.NAMES);
    }
  }

  @Test
  void shouldKeepAnEuVariableOutOfTheUsCloudsStoreAndOffTheWireToIt() throws Exception {
    WireTap toUs = tap("public-a", true);
    WireTap toEu = tap("public-b", false);
    FailoverClouds clouds =
        new FailoverClouds(dir, namespace, "sync").withStandbys(List.of("public-b", "public-a"));
    for (String cloud : FailoverClouds.NAMES) {
      PostgresSchema schema = PostgresSchema.create();
      schemas.put(cloud, schema);
      clouds.withStore(cloud, schema.jdbcUrl());
    }
    for (String cloud : FailoverClouds.NAMES) {
      nodes.put(
          cloud,
          NodeProcess.startConfigured(
              FailoverClouds.NODE_OF.get(cloud),
              clouds.config(cloud, RabbitMq.URL),
              "-Dorg.slf4j.simpleLogger.log.io.cob=debug"));
    }
    Api owner = nodes.get("private").api();
    Api us = nodes.get("public-a").api();
    Api eu = nodes.get("public-b").api();
    for (NodeProcess n : nodes.values()) {
      awaitTrue(
          n.nodeId() + " sees every cloud UP",
          () ->
              FailoverClouds.NAMES.stream()
                  .allMatch(c -> "UP".equals(CloudNodes.health(n.api(), c))));
    }

    service.answer(
        "enrich",
        Api.write(
            Map.of(
                "customer",
                Map.of(
                    "id",
                    customerId,
                    "name",
                    name,
                    "iban",
                    iban,
                    "address",
                    Map.of("street", street, "country", "FR")))));
    // The first call fails, its answer echoing the customer, as services' errors do: the job's
    // error and the incident (the step has one try) quote it.
    service.failOnce(
        "enrich", Api.write(Map.of("error", "no record of " + name + " at " + street)));
    owner.deploy("kyc.bpmn", kyc());
    String id =
        owner
            .start(
                "kyc",
                Map.of(
                    "amount",
                    5,
                    "customer",
                    Map.of("id", customerId, "name", name, "address", Map.of("street", street))))
            .get("id")
            .asText();
    awaitTrue("the failed enrich call is an incident", () -> incident(owner, id) != null);
    JsonNode incident = incident(owner, id);
    assertThat(incident.get("message").asText())
        .as("the incident quotes the service")
        .contains(name);
    Api.Res retry =
        owner.post("/api/v1/incidents/" + incident.get("id").asText() + "/retry", Map.of());
    assertThat(retry.status()).as(retry.toString()).isEqualTo(204);
    awaitTrue("the review task is open at the owner", () -> task(owner, id) != null);

    // By hand, public-a is asked to take private's instances: residency refuses this one, and
    // the owner, not fenced by a refused fail-over, goes on with it (the review below).
    Api.Res failover = us.post("/api/v1/clouds/private/failover", Map.of());
    assertThat(failover.status()).as(failover.toString()).isEqualTo(200);
    assertThat(failover.json().get("instances").asInt()).as(failover.toString()).isZero();
    assertThat(failover.json().get("refused")).as(failover.toString()).hasSize(1);
    assertThat(failover.json().get("refused").get(0).asText())
        .contains(id)
        .contains("resident in {customer=eu}")
        .contains("'public-a' is outside that jurisdiction");
    assertThat(us.instance(id).get("ownerCloud").asText()).isEqualTo("private");

    Api.Res review =
        owner.post(
            "/api/v1/tasks/" + task(owner, id) + "/complete",
            Map.of(
                "variables",
                Map.of(
                    "customer",
                    Map.of("id", customerId, "name", name, "note", reviewNote),
                    "approved",
                    true)));
    assertThat(review.status()).as("review completed at the owner: " + review).isEqualTo(204);
    awaitTrue(
        "the instance waits for its confirmation",
        () -> historyTypes(owner, id).contains("SubscriptionOpened"));
    Api.Res published =
        owner.post(
            "/api/v1/messages",
            Map.of(
                "name",
                "confirmed",
                "correlationKey",
                customerId,
                "variables",
                Map.of("customer", Map.of("id", customerId, "confirmation", confirmation))));
    assertThat(published.status()).as(published.toString()).isLessThan(300);
    awaitTrue(
        "the instance completes at the owner",
        () -> "COMPLETED".equals(owner.instance(id).get("state").asText()));
    int events = owner.get("/api/v1/instances/" + id + "/history").json().size();
    for (Api standby : List.of(us, eu)) {
      awaitTrue(
          "both replicas hold the whole log",
          () -> standby.get("/api/v1/instances/" + id + "/history").json().size() == events);
    }
    awaitTrue(
        "the tap to public-a saw the last events",
        () -> toUs.captured().stream().anyMatch(c -> text(c.body()).contains("InstanceEnded")));

    // On the wire to public-a: every envelope, none with a secret, but the marker where it stood.
    List<WireTap.Captured> usWire = toUs.captured();
    assertThat(usWire).extracting(WireTap.Captured::type).contains("replication.events");
    assertThat(usWire)
        .as("a job of step 'score' went to public-a, the value redacted")
        .anyMatch(
            c ->
                "job.dispatch".equals(c.type())
                    && text(c.body()).contains("\"elementId\":\"score\"")
                    && text(c.body()).contains(MARKER));
    assertThat(usWire)
        .as("replicated events went to public-a, the value redacted")
        .anyMatch(c -> "replication.events".equals(c.type()) && text(c.body()).contains(MARKER));
    Map<String, Set<String>> leaks = new TreeMap<>();
    for (int i = 0; i < usWire.size(); i++) {
      WireTap.Captured c = usWire.get(i);
      Set<String> found = secretsIn(envelopeBytes(c));
      if (!found.isEmpty()) {
        leaks.put("#" + i + " " + c.type() + " " + c.headers().get("cob-source"), found);
      }
    }
    assertThat(leaks).as("envelopes to public-a holding a secret").isEmpty();

    // The control: the tap to public-b, an eu cloud, sees every secret.
    Set<String> onEuWire = new LinkedHashSet<>();
    toEu.captured().forEach(c -> onEuWire.addAll(secretsIn(envelopeBytes(c))));
    assertThat(onEuWire).as("secrets on the wire to public-b").containsAll(secrets);

    // The stores, read directly: public-a's holds the replica but no secret; public-b's, every one.
    Map<String, Set<String>> usStore = secretsInSchema(schemas.get("public-a"));
    assertThat(usStore).as("columns of public-a's store holding a secret").isEmpty();
    assertThat(rows(schemas.get("public-a"), "events", id))
        .as("public-a's store holds the replica")
        .isEqualTo(events);
    Set<String> inEuStore = new LinkedHashSet<>();
    secretsInSchema(schemas.get("public-b")).values().forEach(inEuStore::addAll);
    assertThat(inEuStore).as("secrets in public-b's store").containsAll(secrets);
    assertThat(rows(schemas.get("public-b"), "events", id)).isEqualTo(events);

    assertThat(secretsIn(nodes.get("public-a").log().getBytes(StandardCharsets.UTF_8)))
        .as("secrets in what public-a's node logged")
        .isEmpty();
    System.out.printf(
        "ResidencyOnTheWireIT: %d envelopes to public-a (%s), none with a secret; %d to public-b;"
            + " %d events in each replica%n",
        usWire.size(), countByType(usWire), toEu.captured().size(), events);
  }

  private WireTap tap(String cloud, boolean announcements) throws Exception {
    WireTap t = WireTap.of(RabbitMq.URL, namespace, cloud, announcements);
    taps.add(t);
    return t;
  }

  /**
   * start → {@code enrich} (http, on public-b, one try: its answer becomes {@code customer}) →
   * {@code score} (http, on public-a, its request body holding {@code customer}) → user task {@code
   * review} → message {@code confirmed} correlated by {@code customer.id} → end.
   */
  private String kyc() {
    return TestModels.definitions(
            TestModels.processElement(
                    "kyc",
                    "<startEvent id=\"start\"/>"
                        + httpStep(
                            "enrich",
                            "public-b",
                            1,
                            "<zeebe:header key=\"resultExpression\""
                                + " value=\"={customer: response.body.customer}\"/>")
                        + httpStep(
                            "score",
                            "public-a",
                            3,
                            "<zeebe:header key=\"body\""
                                + " value=\"={amount: amount, customer: customer}\"/>")
                        + "<userTask id=\"review\"/>"
                        + "<intermediateCatchEvent id=\"confirmed\">"
                        + "<messageEventDefinition messageRef=\"m-confirmed\"/>"
                        + "</intermediateCatchEvent>"
                        + "<endEvent id=\"end\"/>",
                    "start->enrich",
                    "enrich->score",
                    "score->review",
                    "review->confirmed",
                    "confirmed->end")
                + "<message id=\"m-confirmed\" name=\"confirmed\"><extensionElements>"
                + "<zeebe:subscription correlationKey=\"=customer.id\"/>"
                + "</extensionElements></message>")
        .replace("<process id=\"kyc\"", "<process id=\"kyc\" cob:residency=\"customer=eu\"");
  }

  private String httpStep(String id, String cloud, int retries, String extraHeaders) {
    return "<serviceTask id=\""
        + id
        + "\" cob:cloud=\""
        + cloud
        + "\"><extensionElements><zeebe:taskDefinition type=\"http\" retries=\""
        + retries
        + "\"/><zeebe:taskHeaders>"
        + "<zeebe:header key=\"url\" value=\""
        + service.url(id)
        + "\"/><zeebe:header key=\"method\" value=\"POST\"/>"
        + extraHeaders
        + "</zeebe:taskHeaders></extensionElements></serviceTask>";
  }

  /** The secrets these bytes hold: as text, base64 at any alignment, hex, or in a gzip stream. */
  private Set<String> secretsIn(byte[] bytes) {
    Set<String> found = new LinkedHashSet<>();
    String text = text(bytes);
    String lower = text.toLowerCase();
    for (String secret : secrets) {
      byte[] s = secret.getBytes(StandardCharsets.UTF_8);
      boolean seen =
          text.contains(secret)
              || lower.contains(HexFormat.of().formatHex(s))
              || base64Cores(s).stream().anyMatch(text::contains);
      if (seen) {
        found.add(secret);
      }
    }
    if (bytes.length > 2 && (bytes[0] & 0xff) == 0x1f && (bytes[1] & 0xff) == 0x8b) {
      try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
        found.addAll(secretsIn(in.readAllBytes()));
      } catch (IOException e) {
        // not gzip after all
      }
    }
    return found;
  }

  /**
   * The base64 text of the secret as it appears whatever bytes come before and after it: for each
   * of the three alignments, the characters that only the secret's bytes determine, in the standard
   * and the URL alphabet.
   */
  private static List<String> base64Cores(byte[] secret) {
    List<String> cores = new ArrayList<>();
    for (int align = 0; align < 3; align++) {
      byte[] shifted = new byte[align + secret.length];
      System.arraycopy(secret, 0, shifted, align, secret.length);
      String encoded = Base64.getEncoder().withoutPadding().encodeToString(shifted);
      int from = (8 * align + 5) / 6; // the characters holding bits of the bytes before
      int to = (shifted.length / 3) * 4; // whole groups only: the last may hold bits after
      String core = encoded.substring(from, to);
      cores.add(core);
      cores.add(core.replace('+', '-').replace('/', '_'));
    }
    return cores;
  }

  /** The body of a message and every header value, as bytes. */
  private static byte[] envelopeBytes(WireTap.Captured c) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(c.body());
    appendHeaders(out, c.headers());
    return out.toByteArray();
  }

  private static void appendHeaders(ByteArrayOutputStream out, Map<?, ?> headers) {
    headers.forEach(
        (k, v) -> {
          out.writeBytes(("\n" + k + "=").getBytes(StandardCharsets.UTF_8));
          switch (v) {
            case LongString s -> out.writeBytes(s.getBytes());
            case byte[] b -> out.writeBytes(b);
            case Map<?, ?> m -> appendHeaders(out, m);
            case null -> {}
            default -> out.writeBytes(String.valueOf(v).getBytes(StandardCharsets.UTF_8));
          }
        });
  }

  /** For every column of every table of the schema holding a secret: which ones. */
  private Map<String, Set<String>> secretsInSchema(PostgresSchema schema) throws SQLException {
    Map<String, Set<String>> out = new TreeMap<>();
    try (Connection c = DriverManager.getConnection(schema.jdbcUrl());
        Statement s = c.createStatement()) {
      List<String> tables = new ArrayList<>();
      try (ResultSet t =
          s.executeQuery(
              "SELECT table_name FROM information_schema.tables"
                  + " WHERE table_schema = current_schema()")) {
        while (t.next()) {
          tables.add(t.getString(1));
        }
      }
      assertThat(tables).as("the tables of the schema").contains("events", "instances", "jobs");
      for (String table : tables) {
        try (ResultSet r = s.executeQuery("SELECT * FROM \"" + table + "\"")) {
          ResultSetMetaData meta = r.getMetaData();
          while (r.next()) {
            for (int col = 1; col <= meta.getColumnCount(); col++) {
              byte[] value =
                  "bytea".equals(meta.getColumnTypeName(col))
                      ? r.getBytes(col)
                      : String.valueOf(r.getString(col)).getBytes(StandardCharsets.UTF_8);
              if (value == null) {
                continue;
              }
              Set<String> found = secretsIn(value);
              if (!found.isEmpty()) {
                out.computeIfAbsent(table + "." + meta.getColumnName(col), k -> new TreeSet<>())
                    .addAll(found);
              }
            }
          }
        }
      }
    }
    return out;
  }

  private static int rows(PostgresSchema schema, String table, String instanceId)
      throws SQLException {
    try (Connection c = DriverManager.getConnection(schema.jdbcUrl());
        var s = c.prepareStatement("SELECT count(*) FROM " + table + " WHERE instance_id = ?")) {
      s.setString(1, instanceId);
      try (ResultSet r = s.executeQuery()) {
        r.next();
        return r.getInt(1);
      }
    }
  }

  private static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  private static Map<String, Integer> countByType(List<WireTap.Captured> captured) {
    Map<String, Integer> out = new TreeMap<>();
    captured.forEach(c -> out.merge(String.valueOf(c.type()), 1, Integer::sum));
    return out;
  }

  private static List<String> historyTypes(Api api, String id) {
    List<String> out = new ArrayList<>();
    for (JsonNode e : api.get("/api/v1/instances/" + id + "/history").json()) {
      out.add(e.get("type").asText());
    }
    return out;
  }

  /** The open incident of an instance at a node, or {@code null}. */
  private static JsonNode incident(Api api, String instanceId) {
    JsonNode incidents = api.get("/api/v1/incidents?instanceId=" + instanceId).json();
    return incidents.isEmpty() ? null : incidents.get(0);
  }

  /** The id of the open task of an instance at a node, or {@code null}. */
  private static String task(Api api, String instanceId) {
    JsonNode tasks = api.get("/api/v1/tasks?instanceId=" + instanceId).json();
    return tasks.isEmpty() ? null : tasks.get(0).get("id").asText();
  }

  /** Polls until the condition holds; an assertion failing inside fails at once. */
  private void awaitTrue(String what, BooleanSupplier condition) {
    long end = System.nanoTime() + DEADLINE.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        StringBuilder logs = new StringBuilder();
        for (NodeProcess n : nodes.values()) {
          String log = n.log();
          logs.append("\n--- ").append(n.nodeId()).append(" (last 4000 chars)\n");
          logs.append(log.substring(Math.max(0, log.length() - 4000)));
        }
        fail("timed out after " + DEADLINE + " waiting for: " + what + logs);
      }
      LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
    }
  }
}
