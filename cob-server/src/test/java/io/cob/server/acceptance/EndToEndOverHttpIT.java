package io.cob.server.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cob.engine.TestModels;
import io.cob.server.CobNode;
import io.cob.server.config.NodeConfig;
import io.cob.server.support.Api;
import io.cob.server.support.PostgresSchema;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One order, end to end over real HTTP, the way a client of a node sees it: a multipart deployment
 * of two files (the order process calls the payment process), a start with variables, user tasks
 * found by candidate group and by assignee, messages correlated by key (one published before
 * anybody waits for it, buffered by its time to live), and the dev clock moved past the boundary
 * timer of the last task, so the order ends on the timer path.
 *
 * <p>The same story runs against a node on an H2 file store and against one on a fresh PostgreSQL
 * schema: the REST API must not depend on the store.
 */
class EndToEndOverHttpIT {
  /**
   * The main process: review, pay (call activity), wait for shipping, confirm delivery or time out.
   */
  static final String ORDER =
      TestModels.process(
              "order",
              """
      <startEvent id="placed"/>
      <userTask id="review" name="Review order">
        <extensionElements><zeebe:assignmentDefinition candidateGroups="clerks, managers"/></extensionElements>
      </userTask>
      <callActivity id="payment">
        <extensionElements><zeebe:calledElement processId="pay"/></extensionElements>
      </callActivity>
      <intermediateCatchEvent id="shipped"><messageEventDefinition messageRef="m-shipped"/></intermediateCatchEvent>
      <userTask id="confirmDelivery" name="Confirm delivery">
        <extensionElements><zeebe:assignmentDefinition assignee="ada"/></extensionElements>
      </userTask>
      <boundaryEvent id="deliveryOverdue" attachedToRef="confirmDelivery">
        <timerEventDefinition><timeDuration>PT48H</timeDuration></timerEventDefinition>
      </boundaryEvent>
      <endEvent id="delivered"/>
      <endEvent id="escalated"/>
      """,
              "placed->review",
              "review->payment",
              "payment->shipped",
              "shipped->confirmDelivery",
              "confirmDelivery->delivered",
              "deliveryOverdue->escalated")
          .replace(
              "</definitions>",
              """
          <message id="m-shipped" name="order-shipped">
            <extensionElements><zeebe:subscription correlationKey="=orderId"/></extensionElements>
          </message>
          </definitions>""");

  /** The called process: a person approves the payment, then the bank's message arrives. */
  static final String PAY =
      TestModels.process(
              "pay",
              """
      <startEvent id="payStart"/>
      <userTask id="approvePayment" name="Approve payment">
        <extensionElements><zeebe:assignmentDefinition assignee="bob"/></extensionElements>
      </userTask>
      <intermediateCatchEvent id="paymentReceived"><messageEventDefinition messageRef="m-paid"/></intermediateCatchEvent>
      <endEvent id="paid"/>
      """,
              "payStart->approvePayment",
              "approvePayment->paymentReceived",
              "paymentReceived->paid")
          .replace(
              "</definitions>",
              """
          <message id="m-paid" name="payment-received">
            <extensionElements><zeebe:subscription correlationKey="=orderId"/></extensionElements>
          </message>
          </definitions>""");

  @TempDir Path dir;
  private CobNode node;
  private PostgresSchema db;

  @AfterEach
  void stop() {
    if (node != null) {
      node.close();
    }
    if (db != null) {
      db.close();
    }
  }

  @Test
  void shouldEndThroughTheBoundaryTimerAfterTheDevClockPassesItOnAnH2FileStore() {
    node =
        CobNode.start(
            NodeConfig.defaults()
                .withHttpPort(0)
                .withDevClock(true)
                .withStoreUrl("jdbc:h2:file:" + dir.resolve("data").toAbsolutePath()));
    runTheOrderStory(new Api(node.baseUri()));
  }

  @Test
  void shouldEndThroughTheBoundaryTimerAfterTheDevClockPassesItOnPostgres() {
    db = PostgresSchema.create();
    node =
        CobNode.start(
            NodeConfig.defaults().withHttpPort(0).withDevClock(true).withStoreUrl(db.jdbcUrl()));
    runTheOrderStory(new Api(node.baseUri()));
  }

  private void runTheOrderStory(Api api) {
    Map<String, String> files = new LinkedHashMap<>();
    files.put("order.bpmn", ORDER);
    files.put("pay.bpmn", PAY);
    Api.Res deployed = api.deployMultipart(files);
    assertThat(deployed.status()).as(deployed.toString()).isEqualTo(201);
    assertThat(deployed.json().get("processes").findValuesAsText("processId"))
        .containsExactlyInAnyOrder("order", "pay");

    // The shipping notice comes before the order even exists: it must wait, buffered, for its
    // subscriber.
    Api.Res early =
        api.post(
            "/api/v1/messages",
            Map.of(
                "name",
                "order-shipped",
                "correlationKey",
                "O-42",
                "timeToLive",
                "PT1H",
                "variables",
                Map.of("carrier", "dhl")));
    assertThat(early.status()).as(early.toString()).isEqualTo(200);
    assertThat(early.json().get("correlated")).isEmpty();
    assertThat(early.json().get("buffered").asBoolean()).isTrue();

    Api.Res started =
        api.post(
            "/api/v1/instances",
            Map.of(
                "processId",
                "order",
                "businessKey",
                "O-42",
                "variables",
                Map.of("orderId", "O-42", "amount", 120)));
    assertThat(started.status()).as(started.toString()).isEqualTo(201);
    String order = started.json().get("id").asText();
    assertThat(started.json().get("state").asText()).isEqualTo("ACTIVE");

    // A clerk finds the review among the tasks of the group, not by instance id.
    JsonNode clerks = api.get("/api/v1/tasks?candidateGroup=clerks").json();
    assertThat(clerks).hasSize(1);
    assertThat(clerks.get(0).get("elementId").asText()).isEqualTo("review");
    assertThat(clerks.get(0).get("instanceId").asText()).isEqualTo(order);
    assertThat(clerks.get(0).get("variables").get("amount").asInt()).isEqualTo(120);
    assertThat(api.get("/api/v1/tasks?assignee=bob").json())
        .as("no payment task before the review")
        .isEmpty();
    complete(api, clerks.get(0), Map.of("approved", true));

    // The call activity started the payment process; bob's approval waits there.
    // The child is started through the engine's outbox after the parent's commit, hence the poll.
    JsonNode bobs =
        eventually(
            "bob's payment task",
            () -> api.get("/api/v1/tasks?assignee=bob").json(),
            t -> t.size() > 0);
    assertThat(bobs).hasSize(1);
    assertThat(bobs.get(0).get("processId").asText()).isEqualTo("pay");
    String payment = bobs.get(0).get("instanceId").asText();
    assertThat(payment).isNotEqualTo(order);
    assertThat(bobs.get(0).get("variables").get("orderId").asText())
        .as("the child sees the parent's variables")
        .isEqualTo("O-42");
    complete(api, bobs.get(0), Map.of("paymentRef", "P-7"));

    Api.Res paid =
        api.post(
            "/api/v1/messages",
            Map.of(
                "name",
                "payment-received",
                "correlationKey",
                "O-42",
                "variables",
                Map.of("amountPaid", 120)));
    assertThat(paid.status()).as(paid.toString()).isEqualTo(200);
    assertThat(paid.json().get("correlated").findValuesAsText("")).isEmpty();
    assertThat(texts(paid.json().get("correlated"))).containsExactly(payment);
    assertThat(api.instance(payment).get("state").asText()).isEqualTo("COMPLETED");

    // The parent hears of the child's end through the outbox too. The buffered shipping notice is
    // then taken at once, so ada's confirmation waits, watched by the boundary timer.
    JsonNode ada =
        eventually(
            "ada's confirmation task",
            () -> api.get("/api/v1/tasks?assignee=ada").json(),
            t -> t.size() > 0);
    assertThat(ada).hasSize(1);
    assertThat(ada.get(0).get("elementId").asText()).isEqualTo("confirmDelivery");
    JsonNode waiting = api.instance(order);
    assertThat(waiting.get("state").asText()).isEqualTo("ACTIVE");
    assertThat(waiting.get("variables").get("carrier").asText()).isEqualTo("dhl");
    assertThat(waiting.get("variables").get("paymentRef").asText()).isEqualTo("P-7");
    assertThat(waiting.get("activeElements").findValuesAsText("elementId"))
        .containsExactly("confirmDelivery");

    // A day later nothing has happened yet; two days later the boundary timer fires.
    assertThat(api.post("/api/v1/clock/advance", Map.of("duration", "PT24H")).status())
        .isEqualTo(200);
    assertThat(api.instance(order).get("state").asText()).isEqualTo("ACTIVE");
    Api.Res advanced = api.post("/api/v1/clock/advance", Map.of("duration", "PT25H"));
    assertThat(advanced.status()).as(advanced.toString()).isEqualTo(200);
    assertThat(advanced.json().get("fired").asInt()).isGreaterThanOrEqualTo(1);

    JsonNode ended = api.instance(order);
    assertThat(ended.get("state").asText()).isEqualTo("COMPLETED");
    assertThat(ended.get("activeElements")).isEmpty();
    assertThat(ended.get("endedAt").isNull()).isFalse();
    assertThat(api.get("/api/v1/tasks?assignee=ada").json())
        .as("the interrupted task is gone")
        .isEmpty();
    assertThat(
            api.get("/api/v1/instances?state=COMPLETED&businessKey=O-42")
                .json()
                .get("items")
                .findValuesAsText("id"))
        .containsExactly(order);

    // The order's history: every step in order, ending through the timer path.
    JsonNode history = api.get("/api/v1/instances/" + order + "/history").json();
    for (int i = 0; i < history.size(); i++) {
      assertThat(history.get(i).get("seq").asLong()).as("seq without gaps").isEqualTo(i + 1);
    }
    assertThat(idsOf(history, "ElementCompleted"))
        .containsExactly(
            "placed", "review", "payment", "shipped", "deliveryOverdue", "escalated", "order");
    assertThat(idsOf(history, "ElementTerminated")).containsExactly("confirmDelivery");
    assertThat(idsOf(history, "ElementActivated")).doesNotContain("delivered");
    // Interruption: the timer fires, the task is withdrawn and its element terminated, and only
    // then does the boundary event run.
    assertThat(steps(history))
        .containsSubsequence(
            "ElementActivated confirmDelivery",
            "TimerCreated deliveryOverdue",
            "UserTaskCreated confirmDelivery",
            "TimerTriggered deliveryOverdue",
            "UserTaskCanceled confirmDelivery",
            "ElementTerminated confirmDelivery",
            "ElementActivated deliveryOverdue",
            "ElementCompleted deliveryOverdue",
            "ElementActivated escalated");
    assertThat(steps(history).getLast()).isEqualTo("InstanceEnded null");
    assertThat(only(history, "InstanceEnded").get("data").get("state").asText())
        .isEqualTo("COMPLETED");
    assertThat(only(history, "ChildInstanceStarted").get("data").get("childInstanceId").asText())
        .isEqualTo(payment);
    assertThat(only(history, "MessageCorrelated").get("data").get("messageId").asText())
        .as("the message buffered before the order existed is the one that was correlated")
        .isEqualTo(early.json().get("messageId").asText());
    JsonNode timer = only(history, "TimerCreated");
    assertThat(
            Duration.between(
                Instant.parse(timer.get("at").asText()),
                Instant.parse(timer.get("data").get("dueAt").asText())))
        .isEqualTo(Duration.ofHours(48));

    // The payment's history: a child of the order that ended normally.
    JsonNode child = api.instance(payment);
    assertThat(child.get("parentInstanceId").asText()).isEqualTo(order);
    JsonNode payHistory = api.get("/api/v1/instances/" + payment + "/history").json();
    assertThat(idsOf(payHistory, "ElementCompleted"))
        .containsExactly("payStart", "approvePayment", "paymentReceived", "paid", "pay");
    assertThat(only(payHistory, "InstanceEnded").get("data").get("state").asText())
        .isEqualTo("COMPLETED");
  }

  /** The element ids of the history items of one type, in order. */
  private static List<String> idsOf(JsonNode history, String type) {
    List<String> out = new ArrayList<>();
    history.forEach(
        h -> {
          if (h.get("type").asText().equals(type)) {
            out.add(h.get("elementId").asText());
          }
        });
    return out;
  }

  /** Each history item as {@code "Type elementId"}. */
  private static List<String> steps(JsonNode history) {
    List<String> out = new ArrayList<>();
    history.forEach(h -> out.add(h.get("type").asText() + " " + h.get("elementId").asText()));
    return out;
  }

  /** The one history item of a type. */
  private static JsonNode only(JsonNode history, String type) {
    List<JsonNode> found = new ArrayList<>();
    history.forEach(
        h -> {
          if (h.get("type").asText().equals(type)) {
            found.add(h);
          }
        });
    assertThat(found).as(type).hasSize(1);
    return found.getFirst();
  }

  private static void complete(Api api, JsonNode task, Map<String, Object> variables) {
    Api.Res r =
        api.post(
            "/api/v1/tasks/" + task.get("id").asText() + "/complete",
            Map.of("variables", variables));
    assertThat(r.status()).as(r.toString()).isEqualTo(204);
  }

  /** Polls until {@code done} holds, for at most 15 s; fails naming what did not happen. */
  static JsonNode eventually(String what, Supplier<JsonNode> read, Predicate<JsonNode> done) {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    JsonNode last = read.get();
    while (!done.test(last)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("within 15 s: " + what + "; last seen: " + last);
      }
      LockSupport.parkNanos(Duration.ofMillis(25).toNanos());
      last = read.get();
    }
    return last;
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }
}
