package io.cob.engine.bpmn;

import static io.cob.engine.TestModels.definitions;
import static io.cob.engine.TestModels.process;
import static io.cob.engine.TestModels.processElement;
import static io.cob.engine.TestModels.serviceTask;
import static org.assertj.core.api.Assertions.assertThat;

import io.cob.engine.EngineHarness;
import io.cob.engine.EngineHarness.Instance;
import io.cob.engine.event.EventRecord;
import io.cob.engine.event.InstanceEvent.InstanceTraced;
import io.cob.engine.port.ActivatedJob;
import io.cob.engine.port.JobResult;
import io.cob.engine.port.StoreRows.InstanceQuery;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An instance records the trace its caller was in ({@code InstanceTraced}) and hands it to every
 * job, so that the spans of its steps join that trace; instances it calls, and instances a message
 * starts, belong to the trace of their caller or publisher.
 */
class InstanceTraceTest {
  private static final String CALLER = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

  private final AtomicReference<String> current = new AtomicReference<>();
  private final List<ActivatedJob> jobs = new CopyOnWriteArrayList<>();

  @RegisterExtension
  final EngineHarness engine =
      new EngineHarness()
          .traceContext(current::get)
          .handler(
              "work",
              job -> {
                jobs.add(job);
                return JobResult.complete(Map.of());
              });

  private static final String TWO_STEPS =
      process(
          "p",
          "<startEvent id=\"s\"/>"
              + serviceTask("a", "work")
              + serviceTask("b", "work")
              + "<endEvent id=\"e\"/>",
          "s->a",
          "a->b",
          "b->e");

  @Test
  void shouldRecordTheCallersTraceAndHandItToEveryJob() {
    engine.deploy(TWO_STEPS);
    current.set(CALLER);

    Instance i = engine.start("p");
    current.set(null);

    assertThat(i.status()).isEqualTo("COMPLETED");
    List<String> types = i.history().stream().map(EventRecord::type).toList();
    assertThat(types.indexOf("InstanceTraced")).isEqualTo(types.indexOf("InstanceCreated") + 1);
    assertThat(traced(i)).isEqualTo(CALLER);
    assertThat(i.state().traceparent()).isEqualTo(CALLER);
    assertThat(jobs)
        .extracting(ActivatedJob::elementId, ActivatedJob::traceparent)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("a", CALLER),
            org.assertj.core.groups.Tuple.tuple("b", CALLER));
  }

  @Test
  void shouldRecordNoTraceWhenTheCallerIsInNone() {
    engine.deploy(TWO_STEPS);

    Instance i = engine.start("p");

    assertThat(i.status()).isEqualTo("COMPLETED");
    assertThat(i.history()).extracting(EventRecord::type).doesNotContain("InstanceTraced");
    assertThat(i.state().traceparent()).isNull();
    assertThat(jobs).hasSize(2).allSatisfy(j -> assertThat(j.traceparent()).isNull());
  }

  @Test
  void shouldStartACalledInstanceInItsCallersTrace() {
    engine.deploy(
        process(
            "child",
            "<startEvent id=\"cs\"/>" + serviceTask("inner", "work") + "<endEvent id=\"ce\"/>",
            "cs->inner",
            "inner->ce"),
        process(
            "parent",
            """
            <startEvent id="s"/>
            <callActivity id="call">
              <extensionElements><zeebe:calledElement processId="child"/></extensionElements>
            </callActivity>
            <endEvent id="e"/>
            """,
            "s->call",
            "call->e"));
    current.set(CALLER);

    Instance parent = engine.start("parent");
    current.set(null);

    assertThat(parent.status()).isEqualTo("COMPLETED");
    var children =
        engine
            .store()
            .instances(new InstanceQuery(null, "child", null, null, parent.id(), 10, null));
    assertThat(children).hasSize(1);
    assertThat(traced(engine.instance(children.get(0).id()))).isEqualTo(CALLER);
    assertThat(jobs).singleElement().extracting(ActivatedJob::traceparent).isEqualTo(CALLER);
  }

  @Test
  void shouldStartAnInstanceOfAMessageInThePublishersTrace() {
    engine.deploy(
        definitions(
            "<message id=\"m\" name=\"orderPlaced\"/>"
                + processElement(
                    "order",
                    "<startEvent id=\"s\"><messageEventDefinition messageRef=\"m\"/></startEvent>"
                        + serviceTask("a", "work")
                        + "<endEvent id=\"e\"/>",
                    "s->a",
                    "a->e")));
    current.set(CALLER);

    var r = engine.publish("orderPlaced", null, Map.of(), Duration.ZERO);
    current.set(null);

    assertThat(r.started()).hasSize(1);
    assertThat(traced(engine.instance(r.started().get(0)))).isEqualTo(CALLER);
    assertThat(jobs).singleElement().extracting(ActivatedJob::traceparent).isEqualTo(CALLER);
  }

  private static String traced(Instance i) {
    return i.history().stream()
        .map(EventRecord::event)
        .filter(InstanceTraced.class::isInstance)
        .map(e -> ((InstanceTraced) e).traceparent())
        .findFirst()
        .orElse(null);
  }
}
