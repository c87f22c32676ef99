package io.cob.connectors.http;

import static io.cob.connectors.http.HttpHarness.task;
import static io.cob.engine.TestModels.process;
import static org.assertj.core.api.Assertions.assertThat;

import io.cob.connectors.TraceParent;
import io.cob.connectors.http.TestServer.Response;
import io.cob.engine.EngineHarness.Instance;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Each request of the http connector is a client span whose context the service receives. */
class HttpClientSpanTest {
  private final TestServer server;
  private final InMemorySpanExporter spans = InMemorySpanExporter.create();
  private final OpenTelemetrySdk telemetry =
      OpenTelemetrySdk.builder()
          .setTracerProvider(
              SdkTracerProvider.builder()
                  .addSpanProcessor(SimpleSpanProcessor.create(spans))
                  .build())
          .build();
  private final HttpHarness h;

  HttpClientSpanTest() throws Exception {
    server = TestServer.http();
    h = new HttpHarness(Map.of(), Map.of(), telemetry);
  }

  @AfterEach
  void stop() {
    h.close();
    server.close();
    telemetry.close();
  }

  private static String oneCall(Map<String, String> headers) {
    return process(
        "p",
        "<startEvent id=\"s\"/>" + task("call", 1, headers, "") + "<endEvent id=\"e\"/>",
        "s->call",
        "call->e");
  }

  @Test
  void shouldSendTheContextOfTheRequestsClientSpan() {
    server.on("/quote/7", req -> Response.json(200, "{}"));
    h.engine.deploy(oneCall(Map.of("url", server.url("/quote/7") + "?key=secret")));

    Instance i = h.engine.start("p");

    assertThat(i.status()).isEqualTo("COMPLETED");
    List<SpanData> finished = spans.getFinishedSpanItems();
    assertThat(finished).hasSize(1);
    SpanData call = finished.get(0);
    assertThat(call.getName()).isEqualTo("GET");
    assertThat(call.getKind()).isEqualTo(SpanKind.CLIENT);
    assertThat(call.getAttributes().get(HttpClientSpan.METHOD)).isEqualTo("GET");
    assertThat(call.getAttributes().get(HttpClientSpan.HOST)).isEqualTo("127.0.0.1");
    assertThat(call.getAttributes().get(HttpClientSpan.PATH)).isEqualTo("/quote/7");
    assertThat(call.getAttributes().get(HttpClientSpan.STATUS)).isEqualTo(200L);
    assertThat(call.getAttributes().asMap().values())
        .as("the query may hold secrets")
        .noneMatch(v -> String.valueOf(v).contains("secret"));
    SpanContext sent =
        TraceParent.spanContext(server.headerValues("/quote/7", "traceparent").get(0));
    assertThat(sent.getTraceId()).isEqualTo(call.getTraceId());
    assertThat(sent.getSpanId()).isEqualTo(call.getSpanId());
  }

  @Test
  void shouldMarkTheSpanOfAFailedRequest() {
    server.on("/quote/7", req -> Response.json(503, "{}"));
    h.engine.deploy(oneCall(Map.of("url", server.url("/quote/7"))));

    h.engine.start("p");

    SpanData call = spans.getFinishedSpanItems().get(0);
    assertThat(call.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(call.getAttributes().get(HttpClientSpan.STATUS)).isEqualTo(503L);
    assertThat(call.getAttributes().get(HttpClientSpan.ERROR_TYPE)).isEqualTo("503");
  }
}
