package io.cob.model.parse;

import static io.cob.model.parse.TestBpmn.onlyProblem;
import static io.cob.model.parse.TestBpmn.parse;
import static io.cob.model.parse.TestBpmn.parseProcess;
import static io.cob.model.parse.TestBpmn.problems;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.cob.model.BpmnDocument;
import io.cob.model.Collaboration;
import io.cob.model.EventDefinition;
import io.cob.model.Expression;
import io.cob.model.Lane;
import io.cob.model.MessageRef;
import io.cob.model.Problem;
import io.cob.model.ProcessDefinition;
import io.cob.model.ReceiveTask;
import io.cob.model.SourceLocation;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ParsesProcessesTest {
  private static String definitions(String content) {
    return "<bpmn:definitions "
        + TestBpmn.NAMESPACES
        + " id=\"defs\">\n"
        + content
        + "\n</bpmn:definitions>";
  }

  @Test
  void shouldReadProcessAttributesAndTreatMissingIsExecutableAsExecutable() {
    BpmnDocument doc =
        parse(
            definitions(
                """
                <bpmn:process id="a" name="Alpha"><bpmn:startEvent id="s1"/></bpmn:process>
                <bpmn:process id="b" isExecutable="false"><bpmn:task id="t"/></bpmn:process>
                <bpmn:process id="c" isExecutable="true" cob:cloud="aws"><bpmn:startEvent id="s2"/></bpmn:process>\
                """));

    assertThat(doc.processes())
        .extracting(ProcessDefinition::id, ProcessDefinition::name, ProcessDefinition::executable)
        .containsExactly(
            tuple("a", "Alpha", true), tuple("b", null, false), tuple("c", null, true));
    assertThat(doc.executableProcesses())
        .extracting(ProcessDefinition::id)
        .containsExactly("a", "c");
    assertThat(doc.process("c").orElseThrow().extensions()).isEqualTo(Map.of("cloud", "aws"));
    assertThat(doc.process("a").orElseThrow().location())
        .isEqualTo(new SourceLocation("test.bpmn", 2, 1));
    assertThat(doc.fileName()).isEqualTo("test.bpmn");
  }

  @Test
  void shouldKeepTheDocumentTextAsGiven() {
    String xml = definitions("<bpmn:process id=\"a\"><bpmn:startEvent id=\"s\"/></bpmn:process>");

    assertThat(TestBpmn.PARSER.parse("x.bpmn", xml.getBytes(StandardCharsets.UTF_8)).xml())
        .isEqualTo(xml);
  }

  @Test
  void shouldFlattenNestedLanesInnermostFirst() {
    ProcessDefinition p =
        parseProcess(
            definitions(
                """
                <bpmn:process id="p">
                  <bpmn:laneSet id="ls">
                    <bpmn:lane id="company" name="Company">
                      <bpmn:flowNodeRef>s</bpmn:flowNodeRef>
                      <bpmn:flowNodeRef>t</bpmn:flowNodeRef>
                      <bpmn:childLaneSet id="cls">
                        <bpmn:lane id="eu" name="EU" cob:cloud="gcp-eu"><bpmn:flowNodeRef>t</bpmn:flowNodeRef></bpmn:lane>
                      </bpmn:childLaneSet>
                    </bpmn:lane>
                  </bpmn:laneSet>
                  <bpmn:startEvent id="s"/>
                  <bpmn:task id="t"/>
                </bpmn:process>\
                """));

    assertThat(p.lanes())
        .extracting(Lane::id, Lane::flowNodeIds, Lane::extensions)
        .containsExactly(
            tuple("eu", java.util.List.of("t"), Map.of("cloud", "gcp-eu")),
            tuple("company", java.util.List.of("s", "t"), Map.of()));
    assertThat(p.laneOf("t")).map(Lane::id).contains("eu");
    assertThat(p.laneOf("s")).map(Lane::id).contains("company");
    assertThat(p.lanes().getFirst().location()).isEqualTo(new SourceLocation("test.bpmn", 8, 9));
  }

  @Test
  void shouldReportLaneReferringToAnUnknownNode() {
    Problem problem =
        onlyProblem(
            definitions(
                """
                <bpmn:process id="p">
                  <bpmn:laneSet><bpmn:lane id="l"><bpmn:flowNodeRef>ghost</bpmn:flowNodeRef></bpmn:lane></bpmn:laneSet>
                  <bpmn:startEvent id="s"/>
                </bpmn:process>\
                """));

    assertThat(problem.toString())
        .isEqualTo(
            "test.bpmn:3:17: element 'l' (<lane>): flowNodeRef 'ghost' does not resolve to a flow"
                + " node of process 'p'");
  }

  @Test
  void shouldReadCollaborationWithPoolsAndMessageFlows() {
    BpmnDocument doc =
        parse(
            definitions(
                """
                <bpmn:collaboration id="collab">
                  <bpmn:participant id="shop" name="Shop" processRef="order"/>
                  <bpmn:participant id="customer" name="Customer"/>
                  <bpmn:messageFlow id="mf" name="pays" sourceRef="customer" targetRef="wait" messageRef="paid"/>
                  <bpmn:textAnnotation id="note"/>
                </bpmn:collaboration>
                <bpmn:process id="order">
                  <bpmn:startEvent id="s"/>
                  <bpmn:receiveTask id="wait" messageRef="paid"/>
                </bpmn:process>
                <bpmn:message id="paid" name="paid"/>\
                """));

    assertThat(doc.collaborations())
        .containsExactly(
            new Collaboration(
                "collab",
                java.util.List.of(
                    new Collaboration.Participant("shop", "Shop", "order"),
                    new Collaboration.Participant("customer", "Customer", null)),
                java.util.List.of(
                    new Collaboration.MessageFlow("mf", "pays", "customer", "wait", "paid"))));
  }

  @Test
  void shouldReportDanglingReferencesOfCollaborations() {
    var found =
        problems(
            definitions(
                """
                <bpmn:collaboration id="collab">
                  <bpmn:participant id="shop" processRef="nope"/>
                  <bpmn:messageFlow id="mf" sourceRef="shop" targetRef="ghost" messageRef="m9"/>
                </bpmn:collaboration>\
                """));

    assertThat(found)
        .extracting(Problem::elementId, Problem::message)
        .containsExactly(
            tuple("shop", "processRef 'nope' does not resolve to a <process>"),
            tuple("mf", "targetRef 'ghost' does not resolve to an element"),
            tuple("mf", "messageRef 'm9' does not resolve to a <message>"));
  }

  @Test
  void shouldReadCorrelationKeyFromCobSubscriptionAndAcceptDefinitionLevelExtras() {
    ProcessDefinition p =
        parseProcess(
            definitions(
                """
                <bpmn:process id="p">
                  <bpmn:startEvent id="s"/>
                  <bpmn:receiveTask id="r" messageRef="m"/>
                </bpmn:process>
                <bpmn:message id="m" name="reply">
                  <bpmn:extensionElements><cob:subscription correlationKey="=requestId"/></bpmn:extensionElements>
                </bpmn:message>
                <bpmn:signal id="sig" name="unused"/>
                <bpmn:escalation id="esc" escalationCode="E"/>
                <bpmn:itemDefinition id="item" structureRef="string"/>
                <bpmn:category id="cat"><bpmn:categoryValue id="cv" value="x"/></bpmn:category>\
                """));

    assertThat(((ReceiveTask) p.node("r")).message())
        .isEqualTo(new MessageRef("m", Expression.literal("reply"), Expression.feel("requestId")));
  }

  @Test
  void shouldReportBrokenMessageNameOrCorrelationKeyAtTheMessage() {
    var found =
        problems(
            definitions(
                """
                <bpmn:process id="p"><bpmn:startEvent id="s"/></bpmn:process>
                <bpmn:message id="m" name="=&quot;unterminated" cob:correlationKey="=a +"/>\
                """));

    assertThat(found)
        .extracting(Problem::elementId, Problem::tag)
        .containsOnly(tuple("m", "message"));
    assertThat(found)
        .extracting(Problem::message)
        .satisfiesExactly(
            m -> assertThat(m).startsWith("name: FEEL expression"),
            m -> assertThat(m).startsWith("correlationKey: FEEL expression"));
  }

  @Test
  void shouldReadMessageStartOfAProcessWithoutNoneStart() {
    ProcessDefinition p =
        parseProcess(
            definitions(
                """
                <bpmn:process id="p"><bpmn:startEvent id="s"><bpmn:messageEventDefinition messageRef="m"/></bpmn:startEvent></bpmn:process>
                <bpmn:message id="m" name="go"/>\
                """));

    assertThat(p.startEvents("p"))
        .singleElement()
        .satisfies(s -> assertThat(s.trigger()).isInstanceOf(EventDefinition.Message.class));
  }
}
