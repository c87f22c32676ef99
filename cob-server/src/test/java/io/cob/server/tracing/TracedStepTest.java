package io.cob.server.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cob.connectors.TraceParent;
import io.cob.engine.port.ActivatedJob;
import io.cob.engine.port.JobHandler;
import io.cob.engine.port.JobResult;
import io.cob.server.config.NodeConfig;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/** A step runs in a span of its instance's trace and logs one line naming where it ran. */
class TracedStepTest {
  private static final String INSTANCE = "01920000-0000-7000-8000-00000000abcd";
  private static final String STARTED = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

  private final InMemorySpanExporter spans = InMemorySpanExporter.create();
  private final Lines lines = new Lines();
  private NodeTracing tracing =
      NodeTracing.start(NodeConfig.defaults().withCloud("private").withNodeId("node-p"), spans);

  @AfterEach
  void close() {
    tracing.close();
  }

  private static ActivatedJob job(String elementId, long key, String traceparent) {
    return new ActivatedJob(
        INSTANCE + ":" + key,
        "work",
        INSTANCE,
        elementId,
        key,
        3,
        Map.of(),
        Map.of(),
        INSTANCE + ":" + key,
        Map.of(),
        traceparent);
  }

  private TracedStep step(JobHandler handler) {
    return new TracedStep(handler, tracing, "private", "node-p", lines);
  }

  private List<SpanData> finished() {
    assertThat(tracing.flush(Duration.ofSeconds(5))).isTrue();
    return spans.getFinishedSpanItems();
  }

  @Test
  void shouldRunTheStepInASpanOfTheInstancesTraceAndLogWhereItRan() throws Exception {
    List<SpanContext> seen = new CopyOnWriteArrayList<>();
    JobResult r =
        step(job -> {
              seen.add(Span.current().getSpanContext());
              return JobResult.complete(Map.of("ok", true));
            })
            .handle(job("price", 7, STARTED));

    assertThat(r).isInstanceOf(JobResult.Complete.class);
    SpanData span = finished().get(0);
    assertThat(span.getName()).isEqualTo("cob.step price");
    assertThat(span.getTraceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    assertThat(span.getParentSpanId()).isEqualTo("00f067aa0ba902b7");
    assertThat(seen).containsExactly(span.getSpanContext());
    assertThat(span.getAttributes().get(NodeTracing.INSTANCE)).isEqualTo(INSTANCE);
    assertThat(span.getAttributes().get(NodeTracing.CLOUD)).isEqualTo("private");
    assertThat(span.getAttributes().get(TracedStep.OUTCOME)).isEqualTo("COMPLETE");
    assertThat(lines.info)
        .singleElement()
        .asString()
        .startsWith(
            "event=step_ran instance="
                + INSTANCE
                + " element=price cloud=private node=node-p type=work job="
                + INSTANCE
                + ":7 outcome=COMPLETE ms=")
        .endsWith(" trace_id=4bf92f3577b34da6a3ce929d0e0e4736");
  }

  @Test
  void shouldGiveTheStepsOfAnUntracedInstanceOneTraceDerivedFromItsId() throws Exception {
    JobHandler done = job -> JobResult.complete(Map.of());
    step(done).handle(job("a", 5, null));
    step(done).handle(job("b", 9, null));

    List<SpanData> steps = finished();
    assertThat(steps).hasSize(2);
    assertThat(steps).extracting(SpanData::getTraceId).containsOnly(TraceParent.traceId(INSTANCE));
    assertThat(steps.get(0).getParentSpanId())
        .as("one root for the instance")
        .isEqualTo(steps.get(1).getParentSpanId());
  }

  @Test
  void shouldMarkAFailedOrThrowingStepAndPassTheOutcomeOn() {
    assertThatThrownBy(
            () ->
                step(job -> {
                      throw new IOException("disk gone");
                    })
                    .handle(job("write", 3, STARTED)))
        .isInstanceOf(IOException.class)
        .hasMessage("disk gone");

    SpanData thrown = finished().get(0);
    assertThat(thrown.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(thrown.getEvents()).extracting(e -> e.getName()).containsExactly("exception");
    assertThat(thrown.getAttributes().get(TracedStep.OUTCOME)).isEqualTo("EXCEPTION");
    assertThat(lines.info)
        .singleElement()
        .asString()
        .contains("element=write cloud=private", "outcome=EXCEPTION")
        .contains("error=\"java.io.IOException: disk gone\"");
  }

  @Test
  void shouldLogWithoutTraceIdWhenTracingIsOff() throws Exception {
    tracing.close();
    tracing = NodeTracing.off();

    step(job -> new JobResult.Fail("busy", null, null)).handle(job("price", 7, STARTED));

    assertThat(spans.getFinishedSpanItems()).isEmpty();
    assertThat(lines.info)
        .singleElement()
        .asString()
        .contains("instance=" + INSTANCE + " element=price cloud=private node=node-p")
        .contains("outcome=FAIL")
        .doesNotContain("trace_id");
  }

  /** The lines logged at INFO, formatted. */
  private static final class Lines extends LegacyAbstractLogger {
    private static final long serialVersionUID = 1L;
    final List<String> info = new CopyOnWriteArrayList<>();

    @Override
    protected String getFullyQualifiedCallerName() {
      return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(
        Level level, Marker marker, String pattern, Object[] arguments, Throwable throwable) {
      if (level == Level.INFO) {
        info.add(MessageFormatter.basicArrayFormat(pattern, arguments));
      }
    }

    @Override
    public boolean isTraceEnabled() {
      return false;
    }

    @Override
    public boolean isDebugEnabled() {
      return false;
    }

    @Override
    public boolean isInfoEnabled() {
      return true;
    }

    @Override
    public boolean isWarnEnabled() {
      return true;
    }

    @Override
    public boolean isErrorEnabled() {
      return true;
    }
  }
}
