package io.cob.model.parse;

import static io.cob.model.parse.TestBpmn.node;
import static io.cob.model.parse.TestBpmn.onlyProblem;
import static io.cob.model.parse.TestBpmn.parseProcess;
import static io.cob.model.parse.TestBpmn.problems;
import static io.cob.model.parse.TestBpmn.process;
import static org.assertj.core.api.Assertions.assertThat;

import io.cob.model.BoundaryEvent;
import io.cob.model.EndEvent;
import io.cob.model.EventDefinition;
import io.cob.model.Expression;
import io.cob.model.IntermediateCatchEvent;
import io.cob.model.IntermediateThrowEvent;
import io.cob.model.MessageRef;
import io.cob.model.Problem;
import io.cob.model.ProcessDefinition;
import io.cob.model.StartEvent;
import io.cob.model.TimerSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ParsesEventsTest {
  private static final String MESSAGE =
      "<bpmn:message id=\"m1\" name=\"order-paid\"><bpmn:extensionElements><zeebe:subscription"
          + " correlationKey=\"=orderId\"/></bpmn:extensionElements></bpmn:message>";
  private static final String ERROR =
      "<bpmn:error id=\"e1\" name=\"Out of stock\" errorCode=\"OUT_OF_STOCK\"/>";

  @Test
  void shouldReadNoneStartAndEndEvents() {
    ProcessDefinition p =
        parseProcess(
            process(
                """
                <bpmn:startEvent id="s" name="Start"/>
                <bpmn:sequenceFlow id="f" sourceRef="s" targetRef="e"/>
                <bpmn:endEvent id="e"/>\
                """));

    StartEvent start = node(p, "s", StartEvent.class);
    assertThat(start.trigger()).isInstanceOf(EventDefinition.None.class);
    assertThat(start.name()).isEqualTo("Start");
    assertThat(start.scopeId()).isEqualTo("p");
    assertThat(start.tag()).isEqualTo("startEvent");
    assertThat(p.noneStartEvent("p")).contains(start);
    EndEvent end = node(p, "e", EndEvent.class);
    assertThat(end.result()).isInstanceOf(EventDefinition.None.class);
    assertThat(end.job()).isNull();
    assertThat(end.name()).isNull();
  }

  @Test
  void shouldReadMessageStartEventWithNameAndCorrelationKey() {
    ProcessDefinition p =
        parseProcess(
            process(
                """
                <bpmn:startEvent id="s"><bpmn:messageEventDefinition messageRef="m1"/></bpmn:startEvent>\
                """,
                MESSAGE));

    EventDefinition trigger = node(p, "s", StartEvent.class).trigger();
    assertThat(trigger)
        .isEqualTo(
            new EventDefinition.Message(
                new MessageRef(
                    "m1", Expression.literal("order-paid"), Expression.feel("orderId"))));
  }

  @Test
  void shouldReadTimerStartEventsOfEveryKind() {
    ProcessDefinition p =
        parseProcess(
            process(
                """
                <bpmn:startEvent id="d"><bpmn:timerEventDefinition><bpmn:timeDuration>PT10S</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:startEvent>
                <bpmn:startEvent id="t"><bpmn:timerEventDefinition><bpmn:timeDate> 2026-12-01T10:00:00Z </bpmn:timeDate></bpmn:timerEventDefinition></bpmn:startEvent>
                <bpmn:startEvent id="c"><bpmn:timerEventDefinition><bpmn:timeCycle>R3/PT1H</bpmn:timeCycle></bpmn:timerEventDefinition></bpmn:startEvent>
                <bpmn:startEvent id="x"><bpmn:timerEventDefinition><bpmn:timeCycle>=cycle(duration("PT1H"))</bpmn:timeCycle></bpmn:timerEventDefinition></bpmn:startEvent>\
                """));

    assertThat(timer(p, "d"))
        .isEqualTo(new TimerSpec(TimerSpec.Kind.DURATION, Expression.literal("PT10S")));
    assertThat(timer(p, "t"))
        .isEqualTo(new TimerSpec(TimerSpec.Kind.DATE, Expression.literal("2026-12-01T10:00:00Z")));
    assertThat(timer(p, "c"))
        .isEqualTo(new TimerSpec(TimerSpec.Kind.CYCLE, Expression.literal("R3/PT1H")));
    assertThat(timer(p, "x"))
        .isEqualTo(
            new TimerSpec(TimerSpec.Kind.CYCLE, Expression.feel("cycle(duration(\"PT1H\"))")));
  }

  private static TimerSpec timer(ProcessDefinition p, String id) {
    return ((EventDefinition.Timer) node(p, id, StartEvent.class).trigger()).timer();
  }

  @Test
  void shouldReportTimerLiteralThatIsNotIso8601() {
    Problem problem =
        onlyProblem(
            process(
                """
                <bpmn:startEvent id="s">
                  <bpmn:timerEventDefinition><bpmn:timeDuration>PT10</bpmn:timeDuration></bpmn:timerEventDefinition>
                </bpmn:startEvent>\
                """));

    assertThat(problem.elementId()).isEqualTo("s");
    assertThat(problem.location().line()).isEqualTo(3);
    assertThat(problem.message()).startsWith("timeDuration: ").contains("PT10S");
  }

  @Test
  void shouldReportTimerWithoutOrWithSeveralTimes() {
    var found =
        problems(
            process(
                """
                <bpmn:startEvent id="none"><bpmn:timerEventDefinition/></bpmn:startEvent>
                <bpmn:startEvent id="two"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1S</bpmn:timeDuration><bpmn:timeCycle>R/PT1S</bpmn:timeCycle></bpmn:timerEventDefinition></bpmn:startEvent>\
                """));

    assertThat(found).extracting(Problem::elementId).containsExactly("none", "two");
    assertThat(found)
        .allSatisfy(
            pr ->
                assertThat(pr.message())
                    .contains("exactly one of timeDuration, timeDate or timeCycle"));
  }

  @Test
  void shouldReadTerminateAndErrorEndEvents() {
    ProcessDefinition p =
        parseProcess(
            process(
                """
                <bpmn:startEvent id="s"/>
                <bpmn:endEvent id="t"><bpmn:terminateEventDefinition/></bpmn:endEvent>
                <bpmn:endEvent id="e"><bpmn:errorEventDefinition errorRef="e1"/></bpmn:endEvent>\
                """,
                ERROR));

    assertThat(node(p, "t", EndEvent.class).result()).isInstanceOf(EventDefinition.Terminate.class);
    assertThat(node(p, "e", EndEvent.class).result())
        .isEqualTo(new EventDefinition.Error("e1", "OUT_OF_STOCK"));
  }

  @Test
  void shouldReportErrorEndEventWithoutErrorRefOrErrorCode() {
    var found =
        problems(
            process(
                """
                <bpmn:startEvent id="s"/>
                <bpmn:endEvent id="noRef"><bpmn:errorEventDefinition/></bpmn:endEvent>
                <bpmn:endEvent id="noCode"><bpmn:errorEventDefinition errorRef="e2"/></bpmn:endEvent>
                <bpmn:endEvent id="dangling"><bpmn:errorEventDefinition errorRef="e9"/></bpmn:endEvent>\
                """,
                "<bpmn:error id=\"e2\" name=\"no code\"/>"));

    assertThat(found)
        .extracting(Problem::elementId, Problem::message)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("noRef", "an error end event needs an errorRef"),
            org.assertj.core.groups.Tuple.tuple(
                "noCode", "errorRef 'e2' refers to an <error> without an errorCode"),
            org.assertj.core.groups.Tuple.tuple(
                "dangling", "errorRef 'e9' does not resolve to an <error>"));
  }

  @Test
  void shouldReadMessageEndEventSentByJobOrPublishedByCob() {
    ProcessDefinition p =
        parseProcess(
            process(
                """
                <bpmn:startEvent id="s"/>
                <bpmn:endEvent id="byJob">
                  <bpmn:extensionElements><zeebe:taskDefinition type="send-mail"/></bpmn:extensionElements>
                  <bpmn:messageEventDefinition/>
                </bpmn:endEvent>
                <bpmn:endEvent id="byCob"><bpmn:messageEventDefinition messageRef="m1"/></bpmn:endEvent>\
                """,
                MESSAGE));

    EndEvent byJob = node(p, "byJob", EndEvent.class);
    assertThat(byJob.job().type()).isEqualTo(Expression.literal("send-mail"));
    assertThat(byJob.result()).isEqualTo(new EventDefinition.Message(null));
    EndEvent byCob = node(p, "byCob", EndEvent.class);
    assertThat(byCob.job()).isNull();
    assertThat(((EventDefinition.Message) byCob.result()).message().id()).isEqualTo("m1");
  }

  @Test
  void shouldReportMessageEndEventWithNeitherJobNorMessage() {
    Problem problem =
        onlyProblem(
            process(
                """
                <bpmn:startEvent id="s"/>
                <bpmn:endEvent id="e"><bpmn:messageEventDefinition/></bpmn:endEvent>\
                """));

    assertThat(problem.elementId()).isEqualTo("e");
    assertThat(problem.message())
        .isEqualTo(
            "a message <endEvent> needs a messageRef, or a job type to send it ("
                + ActivityBuilder.JOB_TYPE_SOURCES
                + ")");
  }

  @Test
  void shouldReadIntermediateCatchAndThrowEvents() {
    ProcessDefinition p =
        parseProcess(
            process(
                """
                <bpmn:startEvent id="s"/>
                <bpmn:intermediateCatchEvent id="msg"><bpmn:messageEventDefinition messageRef="m1"/></bpmn:intermediateCatchEvent>
                <bpmn:intermediateCatchEvent id="wait"><bpmn:timerEventDefinition><bpmn:timeDuration>=delay</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
                <bpmn:intermediateThrowEvent id="pass"/>
                <bpmn:intermediateThrowEvent id="send">
                  <bpmn:extensionElements><zeebe:taskDefinition type="publish" retries="1"/></bpmn:extensionElements>
                  <bpmn:messageEventDefinition messageRef="m1"/>
                </bpmn:intermediateThrowEvent>\
                """,
                MESSAGE));

    assertThat(node(p, "msg", IntermediateCatchEvent.class).trigger())
        .isInstanceOf(EventDefinition.Message.class);
    assertThat(node(p, "wait", IntermediateCatchEvent.class).trigger())
        .isEqualTo(
            new EventDefinition.Timer(
                new TimerSpec(TimerSpec.Kind.DURATION, Expression.feel("delay"))));
    IntermediateThrowEvent pass = node(p, "pass", IntermediateThrowEvent.class);
    assertThat(pass.result()).isInstanceOf(EventDefinition.None.class);
    assertThat(pass.job()).isNull();
    IntermediateThrowEvent send = node(p, "send", IntermediateThrowEvent.class);
    assertThat(send.job().retries()).isEqualTo(Expression.literal("1"));
    assertThat(((EventDefinition.Message) send.result()).message().id()).isEqualTo("m1");
  }

  @Test
  void shouldReportIntermediateCatchEventWithoutDefinition() {
    Problem problem =
        onlyProblem(
            process(
                """
                <bpmn:startEvent id="s"/>
                <bpmn:intermediateCatchEvent id="c"/>\
                """));

    assertThat(problem.elementId()).isEqualTo("c");
    assertThat(problem.message())
        .isEqualTo("an intermediateCatchEvent needs a message or timer event definition");
  }

  @Test
  void shouldReadBoundaryEventsWithInterruptingDefault() {
    ProcessDefinition p =
        parseProcess(
            process(
                """
                <bpmn:startEvent id="s"/>
                <bpmn:task id="work"/>
                <bpmn:boundaryEvent id="anyError" attachedToRef="work"><bpmn:errorEventDefinition/></bpmn:boundaryEvent>
                <bpmn:boundaryEvent id="stock" attachedToRef="work"><bpmn:errorEventDefinition errorRef="e1"/></bpmn:boundaryEvent>
                <bpmn:boundaryEvent id="slow" attachedToRef="work" cancelActivity="false"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>
                <bpmn:boundaryEvent id="cancelled" attachedToRef="work"><bpmn:messageEventDefinition messageRef="m1"/></bpmn:boundaryEvent>\
                """,
                MESSAGE + ERROR));

    BoundaryEvent anyError = node(p, "anyError", BoundaryEvent.class);
    assertThat(anyError.attachedTo()).isEqualTo("work");
    assertThat(anyError.cancelActivity()).isTrue();
    assertThat(anyError.trigger()).isEqualTo(new EventDefinition.Error(null, null));
    assertThat(node(p, "stock", BoundaryEvent.class).trigger())
        .isEqualTo(new EventDefinition.Error("e1", "OUT_OF_STOCK"));
    BoundaryEvent slow = node(p, "slow", BoundaryEvent.class);
    assertThat(slow.cancelActivity()).isFalse();
    assertThat(slow.trigger()).isInstanceOf(EventDefinition.Timer.class);
    assertThat(node(p, "cancelled", BoundaryEvent.class).trigger())
        .isInstanceOf(EventDefinition.Message.class);
    assertThat(p.boundaryEvents("work"))
        .extracting(BoundaryEvent::id)
        .containsExactly("anyError", "stock", "slow", "cancelled");
  }

  @Test
  void shouldReportNonInterruptingErrorBoundaryEvent() {
    Problem problem =
        onlyProblem(
            process(
                """
                <bpmn:startEvent id="s"/>
                <bpmn:task id="work"/>
                <bpmn:boundaryEvent id="b" attachedToRef="work" cancelActivity="false"><bpmn:errorEventDefinition/></bpmn:boundaryEvent>\
                """));

    assertThat(problem.elementId()).isEqualTo("b");
    assertThat(problem.location().line()).isEqualTo(5);
    assertThat(problem.message())
        .isEqualTo("an error boundary event must be interrupting (cancelActivity=\"true\")");
  }

  @Test
  void shouldReportBoundaryEventNotAttachedToAnActivityOfItsScope() {
    var found =
        problems(
            process(
                """
                <bpmn:startEvent id="s"/>
                <bpmn:parallelGateway id="g"/>
                <bpmn:subProcess id="sp">
                  <bpmn:startEvent id="spStart"/>
                  <bpmn:task id="inner"/>
                </bpmn:subProcess>
                <bpmn:boundaryEvent id="onGateway" attachedToRef="g"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1S</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>
                <bpmn:boundaryEvent id="onInner" attachedToRef="inner"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1S</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>
                <bpmn:boundaryEvent id="onNothing" attachedToRef="missing"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1S</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>
                <bpmn:boundaryEvent id="unattached"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1S</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>\
                """));

    assertThat(found)
        .extracting(Problem::elementId, Problem::message)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "onGateway", "attachedToRef 'g' refers to a <parallelGateway>, not an activity"),
            org.assertj.core.groups.Tuple.tuple(
                "onInner",
                "attachedToRef 'inner' is in scope 'sp', not in the boundaryEvent's scope 'p'"),
            org.assertj.core.groups.Tuple.tuple(
                "onNothing", "attachedToRef 'missing' does not resolve to an activity"),
            org.assertj.core.groups.Tuple.tuple(
                "unattached", "a boundaryEvent needs an attachedToRef"));
  }

  @Test
  void shouldNotReportBoundaryEventOnAnUnsupportedElementTwice() {
    var found =
        problems(
            process(
                """
                <bpmn:startEvent id="s"/>
                <bpmn:transaction id="tx"/>
                <bpmn:boundaryEvent id="b" attachedToRef="tx"><bpmn:cancelEventDefinition/></bpmn:boundaryEvent>\
                """));

    assertThat(found)
        .extracting(Problem::elementId, Problem::message)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("tx", "unsupported element <transaction>"),
            org.assertj.core.groups.Tuple.tuple(
                "b",
                "unsupported event definition <cancelEventDefinition> on <boundaryEvent>: "
                    + "cancel events are not supported here"));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          startEvent             | signalEventDefinition      | signal
          startEvent             | conditionalEventDefinition | conditional
          startEvent             | errorEventDefinition       | error
          endEvent               | escalationEventDefinition  | escalation
          endEvent               | compensateEventDefinition  | compensate
          endEvent               | cancelEventDefinition      | cancel
          intermediateCatchEvent | linkEventDefinition        | link
          intermediateCatchEvent | signalEventDefinition      | signal
          intermediateThrowEvent | linkEventDefinition        | link
          intermediateThrowEvent | escalationEventDefinition  | escalation
          boundaryEvent          | escalationEventDefinition  | escalation
          boundaryEvent          | compensateEventDefinition  | compensate
          boundaryEvent          | conditionalEventDefinition | conditional
          """)
  void shouldReportEventsUsingUnsupportedDefinitionsNamingThem(
      String tag, String definition, String kind) {
    String attached = tag.equals("boundaryEvent") ? " attachedToRef=\"work\"" : "";
    var found =
        problems(
            process(
                "<bpmn:startEvent id=\"s\"/><bpmn:task id=\"work\"/>\n"
                    + "<bpmn:"
                    + tag
                    + " id=\"ev\""
                    + attached
                    + "><bpmn:"
                    + definition
                    + "/></bpmn:"
                    + tag
                    + ">"));

    assertThat(found)
        .extracting(Problem::toString)
        .contains(
            "test.bpmn:4:1: element 'ev' (<"
                + tag
                + ">): unsupported event definition <"
                + definition
                + "> on <"
                + tag
                + ">: "
                + kind
                + " events are not supported here");
  }

  @Test
  void shouldReportEventWithSeveralDefinitions() {
    Problem problem =
        onlyProblem(
            process(
                """
                <bpmn:startEvent id="s"><bpmn:messageEventDefinition messageRef="m1"/><bpmn:timerEventDefinition><bpmn:timeDuration>PT1S</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:startEvent>\
                """,
                MESSAGE));

    assertThat(problem.message())
        .isEqualTo(
            "events with several event definitions are not supported (<messageEventDefinition>,"
                + " <timerEventDefinition>)");
  }

  @Test
  void shouldReportMessageStartEventInsideSubProcess() {
    Problem problem =
        onlyProblem(
            process(
                """
                <bpmn:startEvent id="s"/>
                <bpmn:subProcess id="sp">
                  <bpmn:startEvent id="inner"><bpmn:messageEventDefinition messageRef="m1"/></bpmn:startEvent>
                </bpmn:subProcess>\
                """,
                MESSAGE));

    assertThat(problem.elementId()).isEqualTo("inner");
    assertThat(problem.message())
        .isEqualTo("a start event inside a subProcess must be a none start event");
  }

  @Test
  void shouldReportFlowsIntoStartAndOutOfEndAndIntoBoundaryEvents() {
    var found =
        problems(
            process(
                """
                <bpmn:startEvent id="s"/>
                <bpmn:task id="t"/>
                <bpmn:endEvent id="e"/>
                <bpmn:boundaryEvent id="b" attachedToRef="t"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1S</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>
                <bpmn:sequenceFlow id="f1" sourceRef="t" targetRef="s"/>
                <bpmn:sequenceFlow id="f2" sourceRef="e" targetRef="t"/>
                <bpmn:sequenceFlow id="f3" sourceRef="t" targetRef="b"/>\
                """));

    assertThat(found)
        .extracting(Problem::elementId, Problem::message)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "s", "a start event cannot have incoming sequence flows"),
            org.assertj.core.groups.Tuple.tuple(
                "e", "an end event cannot have outgoing sequence flows"),
            org.assertj.core.groups.Tuple.tuple(
                "b", "a boundary event cannot have incoming sequence flows"));
  }

  @Test
  void shouldAcceptProcessStartedOnlyByMessage() {
    ProcessDefinition p =
        parseProcess(
            process(
                """
                <bpmn:startEvent id="s"><bpmn:messageEventDefinition messageRef="m1"/></bpmn:startEvent>\
                """,
                MESSAGE));

    assertThat(p.noneStartEvent("p")).isEmpty();
    assertThat(p.startEvents("p")).hasSize(1);
  }

  @Test
  void shouldReadOutputMappingsOfEvents() {
    ProcessDefinition p =
        parseProcess(
            process(
                """
                <bpmn:startEvent id="s">
                  <bpmn:extensionElements><zeebe:ioMapping><zeebe:output source="=payload.id" target="orderId"/></zeebe:ioMapping></bpmn:extensionElements>
                  <bpmn:messageEventDefinition messageRef="m1"/>
                </bpmn:startEvent>\
                """,
                MESSAGE));

    assertThat(node(p, "s", StartEvent.class).io().outputs())
        .containsExactly(
            new io.cob.model.IoMapping.Mapping(Expression.feel("payload.id"), "orderId"));
  }
}
