package io.cob.server.xcloud;

import static io.cob.server.support.CloudNodes.await;
import static io.cob.server.support.CloudNodes.health;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cob.bus.RefusalReason;
import io.cob.bus.memory.MemoryBrokers;
import io.cob.engine.TestModels;
import io.cob.engine.port.ActivatedJob;
import io.cob.engine.port.JobHandler;
import io.cob.engine.port.JobResult;
import io.cob.engine.port.bus.Envelope;
import io.cob.server.CobNode;
import io.cob.server.support.Api;
import io.cob.server.support.ThreeClouds;
import io.cob.server.xcloud.JobEnvelopes.Kind;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Steps of one process run in three clouds: three nodes in this JVM on a memory broker of their
 * own, one per cloud ({@code private} owns the instances), each running the jobs placed on its
 * cloud with its own handlers.
 */
class CrossCloudStepsIT {
  private final String bus =
      "memory:xcloud-" + java.util.UUID.randomUUID().toString().substring(0, 8);
  private final List<CobNode> nodes = new ArrayList<>();

  /** Runs per idempotency key and cloud: {@code key@cloud -> n}. */
  private final Map<String, Integer> effects = new ConcurrentHashMap<>();

  private CobNode owner;
  private CobNode nodeA;
  private CobNode nodeB;
  private Api api;

  @BeforeEach
  void startThreeClouds() {
    owner = start("private", "node-p", Map.of());
    nodeA = start("public-a", "node-a", Map.of());
    nodeB = start("public-b", "node-b", Map.of());
    api = new Api(owner.baseUri());
    await(
        "every cloud UP",
        () -> ThreeClouds.NAMES.stream().allMatch(c -> "UP".equals(health(api, c))));
  }

  @AfterEach
  void stop() {
    nodes.forEach(CobNode::close);
  }

  private CobNode start(String cloud, String nodeId, Map<String, JobHandler> more) {
    Map<String, JobHandler> handlers = new java.util.HashMap<>();
    handlers.put("work", job -> work(job, cloud, nodeId));
    handlers.putAll(more);
    CobNode node = CobNode.start(ThreeClouds.config(bus, cloud, nodeId), handlers);
    nodes.add(node);
    return node;
  }

  private JobResult work(ActivatedJob job, String cloud, String nodeId) {
    effects.merge(job.idempotencyKey() + "@" + cloud, 1, Integer::sum);
    return JobResult.complete(Map.of(job.elementId() + "RanOn", cloud + "/" + nodeId));
  }

  private void replace(CobNode node, Map<String, JobHandler> more) {
    nodes.remove(node);
    node.close();
    CobNode again = start(node.config().cloud(), node.config().nodeId(), more);
    if (node == nodeA) {
      nodeA = again;
    } else {
      nodeB = again;
    }
  }

  private String state(String id) {
    return api.instance(id).get("state").asText();
  }

  @Test
  void shouldRunEveryStepInItsCloudAndShowWhereAndWhenInTheHistory() {
    api.deploy("tour.bpmn", ThreeClouds.tour("tour", "work"));
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      ids.add(api.start("tour", Map.of("n", i)).get("id").asText());
    }

    await("all complete", () -> ids.stream().allMatch(id -> state(id).equals("COMPLETED")));

    for (String id : ids) {
      JsonNode vars = api.instance(id).get("variables");
      assertThat(vars.get("aRanOn").asText()).isEqualTo("private/node-p");
      assertThat(vars.get("bRanOn").asText()).isEqualTo("public-a/node-a");
      assertThat(vars.get("cRanOn").asText()).isEqualTo("public-b/node-b");
      assertThat(ThreeClouds.ranRemotely(api, id, "a")).as("ran at the owner").isNull();
      assertRanOn(id, "b", "public-a", "node-a");
      assertRanOn(id, "c", "public-b", "node-b");
      assertThat(ThreeClouds.items(api, id, "JobCompleted"))
          .extracting(e -> e.get("elementId").asText() + "@" + e.get("cloud").asText())
          .containsExactly("a@private", "b@public-a", "c@public-b");
    }
    assertThat(effects)
        .hasSize(30)
        .allSatisfy((key, runs) -> assertThat(runs).as(key).isEqualTo(1));
  }

  private void assertRanOn(String id, String element, String cloud, String node) {
    JsonNode item = ThreeClouds.ranRemotely(api, id, element);
    assertThat(item).as(element + " ran remotely").isNotNull();
    assertThat(item.get("cloud").asText()).isEqualTo(cloud);
    JsonNode d = item.get("data");
    assertThat(d.get("cloud").asText()).isEqualTo(cloud);
    assertThat(d.get("node").asText()).isEqualTo(node);
    Instant sent = Instant.parse(d.get("sentAt").asText());
    Instant received = Instant.parse(d.get("receivedAt").asText());
    Instant started = Instant.parse(d.get("startedAt").asText());
    Instant finished = Instant.parse(d.get("finishedAt").asText());
    Instant resultSent = Instant.parse(d.get("resultSentAt").asText());
    Instant resultReceived = Instant.parse(d.get("resultReceivedAt").asText());
    // One JVM, one clock: the times follow each other.
    assertThat(sent).isBeforeOrEqualTo(received);
    assertThat(received).isBeforeOrEqualTo(started);
    assertThat(started).isBeforeOrEqualTo(finished);
    assertThat(finished).isBeforeOrEqualTo(resultSent);
    assertThat(resultSent).isBeforeOrEqualTo(resultReceived);
    assertThat(d.get("busLatencyMs").asLong()).isBetween(0L, 10_000L);
  }

  @Test
  void shouldRunAJobWhoseDispatchArrivesTwiceOnce() {
    AtomicInteger runs = new AtomicInteger();
    replace(
        nodeA,
        Map.of(
            "count",
            job -> {
              runs.incrementAndGet();
              return JobResult.complete();
            }));
    ActivatedJob job =
        new ActivatedJob(
            "no-such-instance:7",
            "count",
            "no-such-instance",
            "x",
            7,
            3,
            Map.of(),
            Map.of(),
            "no-such-instance:7",
            Map.of());
    Envelope dispatch = JobEnvelopes.dispatch(job, "private", "public-a", Instant.now());

    owner.bus().bus().publish(dispatch);
    owner.bus().bus().publish(dispatch);

    await(
        "the second copy recognised",
        () ->
            nodeA.crossCloud().duplicatesIgnored()
                    + nodeA.bus().counters().snapshot().refused(RefusalReason.REPLAY)
                >= 1);
    assertThat(runs.get()).isEqualTo(1);
    assertThat(nodeA.engine().store().receiveOnce(dispatch.messageId(), Instant.now()))
        .as("in public-a's inbox")
        .isFalse();
  }

  @Test
  void shouldCompleteAnAwaitedStepWhenItsLateAnswerComesBackAcrossClouds() throws Exception {
    Map<String, String> awaitedKeys = new ConcurrentHashMap<>();
    replace(
        nodeA,
        Map.of(
            "ask",
            job -> {
              awaitedKeys.put(job.instanceId(), job.key());
              return new JobResult.Await(Duration.ofMinutes(1));
            }));
    api.deploy(
        "ask.bpmn",
        TestModels.process(
            "ask",
            "<startEvent id=\"start\"/>"
                + ThreeClouds.placed("q", "ask", "public-a")
                + "<endEvent id=\"end\"/>",
            "start->q",
            "q->end"));
    String id = api.start("ask", Map.of()).get("id").asText();
    await("the request is out", () -> awaitedKeys.containsKey(id));
    String jobKey = awaitedKeys.get(id);
    assertThat(nodeA.crossCloud().outcomes().isRemote(jobKey)).isTrue();

    boolean first = nodeA.crossCloud().outcomes().complete(jobKey, Map.of("answer", 42));
    await("completed at the owner", () -> state(id).equals("COMPLETED"));
    boolean second = nodeA.crossCloud().outcomes().complete(jobKey, Map.of("answer", 43));

    assertThat(first).isTrue();
    assertThat(second).as("a second answer is not taken").isFalse();
    assertThat(api.instance(id).get("variables").get("answer").asInt()).isEqualTo(42);
    assertRanOn(id, "q", "public-a", "node-a");
  }

  @Test
  void shouldRouteAnHttpCallbackToTheNodeThatMadeTheCallBackToTheOwner() throws Exception {
    List<String> callbackUrls = new java.util.concurrent.CopyOnWriteArrayList<>();
    com.sun.net.httpserver.HttpServer service =
        com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
    service.createContext(
        "/book",
        ex -> {
          try (ex) {
            callbackUrls.add(ex.getRequestHeaders().getFirst("X-Callback-Url"));
            ex.getRequestBody().readAllBytes();
            ex.sendResponseHeaders(202, -1);
          }
        });
    service.start();
    try {
      api.deploy(
          "book.bpmn",
          TestModels.process(
              "book",
              "<startEvent id=\"start\"/>"
                  + "<serviceTask id=\"reserve\" cob:cloud=\"public-a\"><extensionElements>"
                  + "<zeebe:taskDefinition type=\"http\"/><zeebe:taskHeaders>"
                  + "<zeebe:header key=\"url\" value=\"http://127.0.0.1:"
                  + service.getAddress().getPort()
                  + "/book\"/>"
                  + "<zeebe:header key=\"callback\" value=\"true\"/>"
                  + "</zeebe:taskHeaders></extensionElements></serviceTask>"
                  + "<endEvent id=\"end\"/>",
              "start->reserve",
              "reserve->end"));
      String id = api.start("book", Map.of()).get("id").asText();
      await("the service is called", () -> callbackUrls.size() == 1);
      String url = callbackUrls.get(0);
      assertThat(url).as("a callback to the node that called").startsWith(nodeA.baseUri() + "/");
      Api publicA = new Api(nodeA.baseUri());

      Api.Res answered = publicA.post(java.net.URI.create(url).getRawPath(), Map.of("ref", "Z-1"));
      assertThat(answered.status()).as(answered.toString()).isEqualTo(204);
      await("completed at the owner", () -> state(id).equals("COMPLETED"));
      Api.Res again = publicA.post(java.net.URI.create(url).getRawPath(), Map.of("ref", "Z-2"));

      assertThat(answered.status()).as(answered.toString()).isEqualTo(204);
      assertThat(again.status()).as(again.toString()).isEqualTo(410);
      assertThat(api.instance(id).at("/variables/callbackResult/ref").asText()).isEqualTo("Z-1");
      assertRanOn(id, "reserve", "public-a", "node-a");
    } finally {
      service.stop(0);
    }
  }

  @Test
  void shouldApplyAResultThatArrivesTwiceOnce() {
    Map<String, ActivatedJob> held = new ConcurrentHashMap<>();
    replace(
        nodeA,
        Map.of(
            "hold",
            job -> {
              held.put(job.instanceId(), job);
              return new JobResult.Await(Duration.ofMinutes(1));
            }));
    api.deploy(
        "hold.bpmn",
        TestModels.process(
            "hold",
            "<startEvent id=\"start\"/>"
                + ThreeClouds.placed("h", "hold", "public-a")
                + "<endEvent id=\"end\"/>",
            "start->h",
            "h->end"));
    String id = api.start("hold", Map.of()).get("id").asText();
    await("the job is at public-a", () -> held.containsKey(id));
    Instant now = Instant.now();
    RemoteJob remote =
        new RemoteJob(
            held.get(id), "private", "default", null, "public-a", "node-a", now, now, now);
    Envelope result =
        JobEnvelopes.result(
            remote.result(Kind.FAIL, null, null, "flaky", null, null, now), remote, now);

    nodeA.bus().bus().publish(result);
    nodeA.bus().bus().publish(result);

    await(
        "the second copy recognised",
        () ->
            owner.crossCloud().duplicatesIgnored()
                    + owner.bus().counters().snapshot().refused(RefusalReason.REPLAY)
                >= 1);
    await("the failure applied", () -> ThreeClouds.items(api, id, "JobFailed").size() == 1);
    assertThat(ThreeClouds.items(api, id, "JobFailed")).hasSize(1);
    assertThat(ThreeClouds.items(api, id, "JobRanRemotely")).hasSize(1);
    assertThat(ThreeClouds.items(api, id, "JobFailed").get(0).get("data").get("retries").asInt())
        .as("one retry used, not two")
        .isEqualTo(2);
  }

  @Test
  void shouldFailAJobWhoseTypeHasNoConnectorInItsCloudUntilAnIncidentSaysSo() {
    api.deploy(
        "none.bpmn",
        TestModels.process(
            "none",
            "<startEvent id=\"start\"/>"
                + ThreeClouds.placed("n", "nobody-here", "public-b")
                    .replace("type=\"nobody-here\"", "type=\"nobody-here\" retries=\"1\"")
                + "<endEvent id=\"end\"/>",
            "start->n",
            "n->end"));
    String id = api.start("none", Map.of()).get("id").asText();

    await("an incident", () -> api.instance(id).get("incidents").size() == 1);

    assertThat(api.instance(id).get("incidents").get(0).get("message").asText())
        .isEqualTo("no connector for job type 'nobody-here' in cloud 'public-b'");
  }

  @Test
  void shouldPlaceAStepAgainWhenItsCloudIsCutOffWhileTheJobIsOutAndComplete() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger startedOnA = new AtomicInteger();
    replace(
        nodeA,
        Map.of(
            "slow",
            job -> {
              startedOnA.incrementAndGet();
              release.await(30, TimeUnit.SECONDS);
              return JobResult.complete(Map.of("by", "public-a"));
            }));
    replace(nodeB, Map.of("slow", job -> JobResult.complete(Map.of("by", "public-b"))));
    await(
        "every cloud UP",
        () -> ThreeClouds.NAMES.stream().allMatch(c -> "UP".equals(health(api, c))));
    api.deploy(
        "cheap.bpmn",
        TestModels.process(
            "cheap",
            "<startEvent id=\"start\"/>"
                + TestModels.serviceTask("s", "slow")
                    .replace(
                        "<serviceTask id=\"s\"",
                        "<serviceTask id=\"s\" cob:placement=\"prefer=cheapest\"")
                + "<endEvent id=\"end\"/>",
            "start->s",
            "s->end"));
    String id = api.start("cheap", Map.of()).get("id").asText();
    await("running on public-a", () -> startedOnA.get() == 1);

    MemoryBrokers.find(bus.substring("memory:".length())).orElseThrow().disconnect("public-a");

    try {
      await("completed elsewhere", () -> state(id).equals("COMPLETED"));
    } finally {
      release.countDown();
    }
    assertThat(ThreeClouds.items(api, id, "StepPlaced"))
        .extracting(e -> e.get("data").get("cloud").asText())
        .containsExactly("public-a", "public-b");
    assertThat(api.instance(id).get("variables").get("by").asText()).isEqualTo("public-b");
    assertRanOn(id, "s", "public-b", "node-b");
  }
}
