package io.cob.server.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.cob.engine.TestModels;
import io.cob.server.CobNode;
import io.cob.server.support.Api;
import io.cob.server.support.TestNode;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An asynchronous http task on a running node: the node calls a service with a callback URL, the
 * instance waits, and the service's later POST to that URL moves it on. A used, forged or expired
 * callback is refused with a problem and changes nothing.
 */
class AsyncHttpCallbackIT {
  /** What the test service got: the callback URL header, the body, the idempotency key. */
  record Received(String callbackUrl, String body, String idempotencyKey) {}

  private final List<Received> received = new CopyOnWriteArrayList<>();
  private HttpServer service;
  private CobNode node;
  private Api api;

  @BeforeEach
  void start() throws IOException {
    service = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    service.createContext(
        "/shipments",
        ex -> {
          try (ex) {
            received.add(
                new Received(
                    ex.getRequestHeaders().getFirst("X-Callback-Url"),
                    new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8),
                    ex.getRequestHeaders().getFirst("Idempotency-Key")));
            ex.sendResponseHeaders(202, -1);
          }
        });
    service.start();
    node = TestNode.start();
    api = new Api(node.baseUri());
    api.deploy("ship.bpmn", model("http://127.0.0.1:" + service.getAddress().getPort()));
  }

  @AfterEach
  void stop() {
    if (node != null) {
      node.close();
    }
    service.stop(0);
  }

  private static String model(String serviceBase) {
    return TestModels.process(
            "ship",
            """
        <startEvent id="s"/>
        <serviceTask id="book">
          <extensionElements>
            <zeebe:taskDefinition type="http" retries="3"/>
            <zeebe:taskHeaders>
              <zeebe:header key="url" value="%s/shipments"/>
              <zeebe:header key="callback" value="true"/>
              <zeebe:header key="callbackTimeout" value="=waitFor"/>
              <zeebe:header key="body" value="={&quot;orderId&quot;: orderId, &quot;replyTo&quot;: callbackUrl}"/>
            </zeebe:taskHeaders>
            <zeebe:ioMapping>
              <zeebe:output source="=callbackResult.trackingId" target="trackingId"/>
            </zeebe:ioMapping>
          </extensionElements>
        </serviceTask>
        <boundaryEvent id="refused" attachedToRef="book"><errorEventDefinition errorRef="E"/></boundaryEvent>
        <endEvent id="booked"/>
        <endEvent id="notBooked"/>
        """
                .formatted(serviceBase),
            "s->book",
            "book->booked",
            "refused->notBooked")
        .replace("</definitions>", "<error id=\"E\" errorCode=\"NO_CAPACITY\"/></definitions>");
  }

  private String startWaiting(String orderId, String waitFor) {
    int before = received.size();
    String id =
        api.start("ship", Map.of("orderId", orderId, "waitFor", waitFor)).get("id").asText();
    eventually("the service is called for " + orderId, () -> received.size() > before);
    assertThat(api.instance(id).get("state").asText()).isEqualTo("ACTIVE");
    return id;
  }

  private Received last() {
    return received.getLast();
  }

  /** The path of the callback URL, posted to this node. */
  private Api.Res callBack(String callbackUrl, Object body) {
    return api.post(URI.create(callbackUrl).getRawPath(), body);
  }

  @Test
  void shouldWaitForTheCallbackThenContinueAndRefuseItsReuse() {
    String id = startWaiting("o-1", "PT1H");

    Received call = last();
    assertThat(call.callbackUrl()).startsWith(node.baseUri() + "/api/v1/callbacks/");
    assertThat(call.body())
        .isEqualTo("{\"orderId\":\"o-1\",\"replyTo\":\"" + call.callbackUrl() + "\"}");
    assertThat(call.idempotencyKey()).startsWith(id + ":");

    Api.Res answered = callBack(call.callbackUrl(), Map.of("trackingId", "Z-991"));
    assertThat(answered.status()).as(answered.toString()).isEqualTo(204);

    JsonNode done = eventuallyInstance(id, "COMPLETED");
    assertThat(done.at("/variables/trackingId").asText()).isEqualTo("Z-991");

    Api.Res again = callBack(call.callbackUrl(), Map.of("trackingId", "Z-992"));
    assertThat(again.status()).isEqualTo(410);
    assertThat(again.contentType()).isEqualTo("application/problem+json");
    assertThat(again.json().get("detail").asText()).startsWith("callback already used");
    assertThat(api.instance(id).at("/variables/trackingId").asText()).isEqualTo("Z-991");
  }

  @Test
  void shouldRefuseAForgedTokenWithNotFound() {
    String id = startWaiting("o-2", "PT1H");
    String url = last().callbackUrl();
    int i = url.length() - 20;
    String forged = url.substring(0, i) + (url.charAt(i) == 'A' ? 'B' : 'A') + url.substring(i + 1);

    Api.Res r = callBack(forged, Map.of("trackingId", "evil"));

    assertThat(r.status()).isEqualTo(404);
    assertThat(r.json().get("detail").asText()).startsWith("unknown callback");
    assertThat(callBack(node.baseUri() + "/api/v1/callbacks/garbage", Map.of()).status())
        .isEqualTo(404);
    assertThat(api.instance(id).get("state").asText()).isEqualTo("ACTIVE");
  }

  @Test
  void shouldRefuseAnExpiredTokenAndSendTheRequestAgainWithANewOne() {
    String id = startWaiting("o-3", "PT1M");
    Received first = last();

    Api.Res advanced = api.post("/api/v1/clock/advance", Map.of("duration", "PT2M"));
    assertThat(advanced.status()).as(advanced.toString()).isEqualTo(200);

    Api.Res r = callBack(first.callbackUrl(), Map.of("trackingId", "late"));
    assertThat(r.status()).isEqualTo(410);
    assertThat(r.json().get("detail").asText()).startsWith("callback expired");

    // The wait lapsed with the token: the task sends its request again, with the same key.
    eventually("the request is sent again", () -> received.size() == 2);
    Received second = last();
    assertThat(second.idempotencyKey()).isEqualTo(first.idempotencyKey());
    assertThat(second.callbackUrl()).isNotEqualTo(first.callbackUrl());
    assertThat(callBack(second.callbackUrl(), Map.of("trackingId", "Z-3")).status()).isEqualTo(204);
    assertThat(eventuallyInstance(id, "COMPLETED").at("/variables/trackingId").asText())
        .isEqualTo("Z-3");
  }

  @Test
  void shouldThrowTheBpmnErrorTheServiceReports() {
    String id = startWaiting("o-4", "PT1H");

    Api.Res r =
        callBack(last().callbackUrl(), Map.of("errorCode", "NO_CAPACITY", "errorMessage", "full"));

    assertThat(r.status()).as(r.toString()).isEqualTo(204);
    eventuallyInstance(id, "COMPLETED");
    JsonNode history = api.get("/api/v1/instances/" + id + "/history").json();
    assertThat(history.toString()).contains("notBooked").doesNotContain("\"booked\"");
  }

  private JsonNode eventuallyInstance(String id, String state) {
    eventually(
        "instance " + id + " is " + state,
        () -> api.instance(id).get("state").asText().equals(state));
    return api.instance(id);
  }

  private static void eventually(String what, Supplier<Boolean> done) {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (!done.get()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("within 15 s: " + what);
      }
      LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
    }
  }
}
