package io.cob.server.tracing;

import static io.cob.server.support.CloudNodes.await;
import static io.cob.server.support.CloudNodes.health;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.cob.connectors.TraceParent;
import io.cob.engine.TestModels;
import io.cob.engine.port.JobHandler;
import io.cob.engine.port.JobResult;
import io.cob.server.CobNode;
import io.cob.server.config.NodeConfig;
import io.cob.server.config.TracingConfig;
import io.cob.server.support.Api;
import io.cob.server.support.CloudNodes;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One trace across two clouds: a node of {@code private} owns the instance, a node of {@code
 * public-a} (on the same private memory bus, in this JVM) runs its HTTP step, which calls a service
 * here. The service's {@code traceparent}, the instance's start span on the owner and the step span
 * on the other cloud are of one trace, joined by the spans of the hop over the bus; spans go to an
 * in-memory exporter per node, or to a real OTLP/HTTP receiver.
 */
class TracesAcrossCloudsIT {
  private static final String PROCESS =
      TestModels.process(
          "quote",
          """
          <startEvent id="start"/>
          <serviceTask id="price" cob:cloud="public-a"><extensionElements>
            <zeebe:taskDefinition type="http"/>
            <zeebe:ioMapping><zeebe:input source="=serviceUrl" target="url"/></zeebe:ioMapping>
          </extensionElements></serviceTask>
          <serviceTask id="check"><extensionElements>
            <zeebe:taskDefinition type="probe"/>
          </extensionElements></serviceTask>
          <endEvent id="end"/>
          """,
          "start->price",
          "price->check",
          "check->end");

  private final String bus = CloudNodes.privateMemoryBus();
  private final List<CobNode> nodes = new ArrayList<>();

  /** The {@code traceparent} headers the service received. */
  private final List<String> serviceTraceparents = new CopyOnWriteArrayList<>();

  /** The current span while the owner's {@code probe} step ran. */
  private final List<SpanContext> probeSpans = new CopyOnWriteArrayList<>();

  private HttpServer service;

  @BeforeEach
  void startService() throws IOException {
    service = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    service.createContext(
        "/price",
        exchange -> {
          serviceTraceparents.add(exchange.getRequestHeaders().getFirst("traceparent"));
          byte[] body = "{\"price\": 12.5}".getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().set("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    service.start();
  }

  @AfterEach
  void stop() {
    nodes.forEach(CobNode::close);
    service.stop(0);
  }

  private CobNode start(NodeConfig config, SpanExporter exporter) {
    Map<String, JobHandler> probe =
        Map.of(
            "probe",
            job -> {
              probeSpans.add(io.opentelemetry.api.trace.Span.current().getSpanContext());
              return JobResult.complete(Map.of());
            });
    CobNode node = CobNode.start(config, probe, exporter);
    nodes.add(node);
    return node;
  }

  /** Starts both clouds' nodes, waits until each sees the other, deploys; the owner's API. */
  private Api twoClouds(
      NodeConfig owner, SpanExporter ownerSpans, NodeConfig other, SpanExporter otherSpans) {
    start(owner, ownerSpans);
    start(other, otherSpans);
    Api api = new Api(nodes.get(0).baseUri());
    await(
        "both clouds UP",
        () -> "UP".equals(health(api, "private")) && "UP".equals(health(api, "public-a")));
    api.deploy("quote.bpmn", PROCESS);
    return api;
  }

  private String serviceUrl() {
    return "http://127.0.0.1:" + service.getAddress().getPort() + "/price";
  }

  private String runToCompletion(Api api, String traceparent) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(api.uri("/api/v1/instances"))
            .header("Content-Type", "application/json")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    Api.write(
                        Map.of(
                            "processId",
                            "quote",
                            "variables",
                            Map.of("serviceUrl", serviceUrl())))));
    if (traceparent != null) {
      b.header("traceparent", traceparent);
    }
    Api.Res r = api.send(b);
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    String id = r.json().get("id").asText();
    await("instance completed", () -> "COMPLETED".equals(state(api, id)));
    return id;
  }

  private static String state(Api api, String id) {
    return api.instance(id).get("state").asText();
  }

  private static NodeConfig node(String bus, String cloud, String nodeId) {
    return CloudNodes.config(bus, cloud, nodeId);
  }

  @Test
  void shouldCarryOneTraceFromTheStartThroughTheBusToTheOtherCloudsStepAndItsCall() {
    InMemorySpanExporter ownerSpans = InMemorySpanExporter.create();
    InMemorySpanExporter otherSpans = InMemorySpanExporter.create();
    Api api =
        twoClouds(
            node(bus, "private", "node-p"),
            ownerSpans,
            node(bus, "public-a", "node-a"),
            otherSpans);

    String id = runToCompletion(api, null);
    flushAll();

    List<SpanData> owner = ownerSpans.getFinishedSpanItems();
    List<SpanData> other = otherSpans.getFinishedSpanItems();
    SpanData start = one(owner, "cob.instance.start", id);
    assertThat(start.getKind()).isEqualTo(SpanKind.SERVER);
    assertThat(start.getParentSpanContext().isValid()).as("a root span").isFalse();
    String traceId = start.getTraceId();

    // The owner sends the step to public-a in a span of the instance's trace ...
    SpanData sent = one(owner, "cob.bus.send job.dispatch", id);
    assertThat(sent.getKind()).isEqualTo(SpanKind.PRODUCER);
    assertThat(sent.getTraceId()).isEqualTo(traceId);
    assertThat(sent.getParentSpanId()).isEqualTo(start.getSpanId());

    // ... which the other cloud's node continues: the receipt is the send's child, linked to it,
    SpanData received = one(other, "cob.bus.receive job.dispatch", id);
    assertThat(received.getKind()).isEqualTo(SpanKind.CONSUMER);
    assertThat(received.getTraceId()).isEqualTo(traceId);
    assertThat(received.getParentSpanId()).isEqualTo(sent.getSpanId());
    assertThat(received.getLinks())
        .extracting(LinkData::getSpanContext)
        .extracting(SpanContext::getSpanId)
        .containsExactly(sent.getSpanId());

    // ... the step runs there in its own span, the receipt's child,
    SpanData step = one(other, "cob.step price", id);
    assertThat(step.getTraceId()).isEqualTo(traceId);
    assertThat(step.getParentSpanId()).isEqualTo(received.getSpanId());
    assertThat(step.getAttributes().get(NodeTracing.CLOUD)).isEqualTo("public-a");
    assertThat(step.getAttributes().get(NodeTracing.NODE)).isEqualTo("node-a");
    assertThat(step.getAttributes().get(NodeTracing.ELEMENT)).isEqualTo("price");
    assertThat(step.getResource().getAttribute(NodeTracing.CLOUD)).isEqualTo("public-a");

    // ... its HTTP call is a client span, the step's child, whose context the service received.
    SpanData call = childOf(other, step, "GET");
    assertThat(call.getKind()).isEqualTo(SpanKind.CLIENT);
    assertThat(serviceTraceparents).hasSize(1);
    SpanContext atService = TraceParent.spanContext(serviceTraceparents.get(0));
    assertThat(atService.getTraceId()).isEqualTo(traceId);
    assertThat(atService.getSpanId()).isEqualTo(call.getSpanId());
    assertThat(atService.isSampled()).isTrue();

    // The outcome travels back in the same trace and is applied at the owner.
    SpanData resultSent = one(other, "cob.bus.send job.result", id);
    assertThat(resultSent.getParentSpanId()).isEqualTo(received.getSpanId());
    SpanData resultReceived = one(owner, "cob.bus.receive job.result", id);
    assertThat(resultReceived.getParentSpanId()).isEqualTo(resultSent.getSpanId());

    // The owner's own step descends from the start span directly, current while its handler runs.
    SpanData check = one(owner, "cob.step check", id);
    assertThat(check.getTraceId()).isEqualTo(traceId);
    assertThat(check.getParentSpanId()).isEqualTo(start.getSpanId());
    assertThat(probeSpans).singleElement().isEqualTo(check.getSpanContext());

    // The instance recorded its trace in its history.
    assertThat(tracedIn(api, id)).isEqualTo(traceId);
    assertThat(owner).allSatisfy(s -> assertThat(s.getTraceId()).isEqualTo(traceId));
    assertThat(other).allSatisfy(s -> assertThat(s.getTraceId()).isEqualTo(traceId));
  }

  @Test
  void shouldContinueTheTraceOfTheCallerThatStartedTheInstance() {
    InMemorySpanExporter ownerSpans = InMemorySpanExporter.create();
    InMemorySpanExporter otherSpans = InMemorySpanExporter.create();
    Api api =
        twoClouds(
            node(bus, "private", "node-p"),
            ownerSpans,
            node(bus, "public-a", "node-a"),
            otherSpans);
    String caller = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

    String id = runToCompletion(api, caller);
    flushAll();

    SpanData start = one(ownerSpans.getFinishedSpanItems(), "cob.instance.start", id);
    assertThat(start.getTraceId()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
    assertThat(start.getParentSpanId()).isEqualTo("b7ad6b7169203331");
    assertThat(one(otherSpans.getFinishedSpanItems(), "cob.step price", id).getTraceId())
        .isEqualTo("0af7651916cd43dd8448eb211c80319c");
    assertThat(TraceParent.spanContext(serviceTraceparents.get(0)).getTraceId())
        .isEqualTo("0af7651916cd43dd8448eb211c80319c");
  }

  @Test
  void shouldSendTheSpansOfBothCloudsToAnOtlpReceiver() throws IOException {
    OtlpReceiver receiver = OtlpReceiver.start();
    try {
      TracingConfig tracing =
          TracingConfig.off()
              .withEndpoint("http://127.0.0.1:" + receiver.port())
              .withSampler(new TracingConfig.Sampling.AlwaysOn());
      Api api =
          twoClouds(
              node(bus, "private", "node-p").withTracing(tracing),
              null,
              node(bus, "public-a", "node-a").withTracing(tracing),
              null);
      assertThat(nodes).allSatisfy(n -> assertThat(n.tracing().enabled()).isTrue());

      String id = runToCompletion(api, null);
      flushAll();

      assertThat(receiver.contentTypes()).isNotEmpty().containsOnly("application/x-protobuf");
      List<Span> starts = receiver.spans("private", "cob.instance.start");
      assertThat(starts).hasSize(1);
      String traceId = hex(starts.get(0).getTraceId().toByteArray());
      assertThat(attribute(starts.get(0), "cob.instance.id")).isEqualTo(id);
      List<Span> steps = receiver.spans("public-a", "cob.step price");
      assertThat(steps).hasSize(1);
      assertThat(hex(steps.get(0).getTraceId().toByteArray())).isEqualTo(traceId);
      assertThat(receiver.spans("public-a", "cob.bus.receive job.dispatch"))
          .singleElement()
          .satisfies(
              s ->
                  assertThat(hex(s.getSpanId().toByteArray()))
                      .isEqualTo(hex(steps.get(0).getParentSpanId().toByteArray())));
      assertThat(TraceParent.spanContext(serviceTraceparents.get(0)).getTraceId())
          .isEqualTo(traceId);
    } finally {
      receiver.stop();
    }
  }

  @Test
  void shouldStillSendTheInstancesTraceIdWhenTracingIsOff() {
    Api api =
        twoClouds(node(bus, "private", "node-p"), null, node(bus, "public-a", "node-a"), null);
    assertThat(nodes).allSatisfy(n -> assertThat(n.tracing().enabled()).isFalse());

    String id = runToCompletion(api, null);

    // No spans are recorded, yet the call still belongs to the instance's trace.
    assertThat(TraceParent.spanContext(serviceTraceparents.get(0)).getTraceId())
        .isEqualTo(TraceParent.traceId(id));
    assertThat(tracedIn(api, id)).isNull();
    assertThat(probeSpans).singleElement().satisfies(c -> assertThat(c.isValid()).isFalse());
  }

  private void flushAll() {
    for (CobNode n : nodes) {
      assertThat(n.tracing().flush(Duration.ofSeconds(10))).as("spans of " + n).isTrue();
    }
  }

  /** The trace id the instance's {@code InstanceTraced} history item names, or {@code null}. */
  private static String tracedIn(Api api, String id) {
    for (JsonNode e : api.get("/api/v1/instances/" + id + "/history").json()) {
      if (e.get("type").asText().equals("InstanceTraced")) {
        return TraceParent.spanContext(e.get("data").get("traceparent").asText()).getTraceId();
      }
    }
    return null;
  }

  /** The one span of that name about the instance. */
  private static SpanData one(List<SpanData> spans, String name, String instanceId) {
    List<SpanData> found =
        spans.stream()
            .filter(s -> s.getName().equals(name))
            .filter(s -> instanceId.equals(s.getAttributes().get(NodeTracing.INSTANCE)))
            .toList();
    assertThat(found).as(name + " among " + names(spans)).hasSize(1);
    return found.get(0);
  }

  private static SpanData childOf(List<SpanData> spans, SpanData parent, String name) {
    List<SpanData> found =
        spans.stream()
            .filter(s -> s.getName().equals(name))
            .filter(s -> s.getParentSpanId().equals(parent.getSpanId()))
            .toList();
    assertThat(found).as(name + " under " + parent.getName() + " among " + names(spans)).hasSize(1);
    return found.get(0);
  }

  private static List<String> names(List<SpanData> spans) {
    return spans.stream().map(SpanData::getName).toList();
  }

  private static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }

  private static String attribute(Span span, String key) {
    return span.getAttributesList().stream()
        .filter(kv -> kv.getKey().equals(key))
        .map(kv -> kv.getValue().getStringValue())
        .findFirst()
        .orElse(null);
  }

  /**
   * A minimal OTLP/HTTP trace receiver: accepts {@code POST /v1/traces}, decodes each request with
   * the OTLP protobuf classes and answers as a collector does.
   */
  private static final class OtlpReceiver {
    private final HttpServer server;
    private final List<String> contentTypes = new CopyOnWriteArrayList<>();
    private final List<ExportTraceServiceRequest> requests = new CopyOnWriteArrayList<>();

    private OtlpReceiver(HttpServer server) {
      this.server = server;
    }

    static OtlpReceiver start() throws IOException {
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      OtlpReceiver r = new OtlpReceiver(server);
      server.createContext(
          "/v1/traces",
          exchange -> {
            try (exchange) {
              if (!exchange.getRequestMethod().equals("POST")) {
                exchange.sendResponseHeaders(405, -1);
                return;
              }
              r.contentTypes.add(exchange.getRequestHeaders().getFirst("Content-Type"));
              r.requests.add(ExportTraceServiceRequest.parseFrom(exchange.getRequestBody()));
              byte[] ok = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
              exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
              exchange.sendResponseHeaders(200, ok.length == 0 ? -1 : ok.length);
              if (ok.length > 0) {
                exchange.getResponseBody().write(ok);
              }
            }
          });
      server.start();
      return r;
    }

    int port() {
      return server.getAddress().getPort();
    }

    List<String> contentTypes() {
      return contentTypes;
    }

    /**
     * The spans of that name sent by a node of {@code cloud} (its resource's {@code cob.cloud}).
     */
    List<Span> spans(String cloud, String name) {
      List<Span> out = new ArrayList<>();
      for (ExportTraceServiceRequest req : requests) {
        for (ResourceSpans rs : req.getResourceSpansList()) {
          boolean ofCloud =
              rs.getResource().getAttributesList().stream()
                  .anyMatch(
                      (KeyValue kv) ->
                          kv.getKey().equals("cob.cloud")
                              && kv.getValue().getStringValue().equals(cloud));
          if (ofCloud) {
            rs.getScopeSpansList()
                .forEach(
                    ss ->
                        ss.getSpansList().stream()
                            .filter(s -> s.getName().equals(name))
                            .forEach(out::add));
          }
        }
      }
      return out;
    }

    void stop() {
      server.stop(0);
    }
  }
}
