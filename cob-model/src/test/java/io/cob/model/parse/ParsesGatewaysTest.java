package io.cob.model.parse;

import static io.cob.model.parse.TestBpmn.node;
import static io.cob.model.parse.TestBpmn.onlyProblem;
import static io.cob.model.parse.TestBpmn.parseProcess;
import static io.cob.model.parse.TestBpmn.problems;
import static io.cob.model.parse.TestBpmn.process;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.cob.model.EventBasedGateway;
import io.cob.model.ExclusiveGateway;
import io.cob.model.Expression;
import io.cob.model.InclusiveGateway;
import io.cob.model.ParallelGateway;
import io.cob.model.Problem;
import io.cob.model.ProcessDefinition;
import io.cob.model.SequenceFlow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ParsesGatewaysTest {
  private static final String START = "<bpmn:startEvent id=\"s\"/>\n";

  @ParameterizedTest
  @ValueSource(strings = {"exclusiveGateway", "inclusiveGateway"})
  void shouldReadDefaultFlowOfGateway(String tag) {
    ProcessDefinition p =
        parseProcess(
            process(
                START
                    + "<bpmn:"
                    + tag
                    + " id=\"g\" default=\"other\"/>\n"
                    + """
                    <bpmn:sequenceFlow id="big" sourceRef="g" targetRef="a"><bpmn:conditionExpression>=amount &gt; 100</bpmn:conditionExpression></bpmn:sequenceFlow>
                    <bpmn:sequenceFlow id="other" sourceRef="g" targetRef="b"/>
                    <bpmn:task id="a"/>
                    <bpmn:task id="b"/>\
                    """));

    String defaultFlow =
        tag.equals("exclusiveGateway")
            ? node(p, "g", ExclusiveGateway.class).defaultFlowId()
            : node(p, "g", InclusiveGateway.class).defaultFlowId();
    assertThat(defaultFlow).isEqualTo("other");
    assertThat(p.flow("big").condition()).isEqualTo(Expression.feel("amount > 100"));
    assertThat(p.flow("other").condition()).isNull();
    assertThat(p.outgoing("g")).extracting(SequenceFlow::id).containsExactly("big", "other");
  }

  @Test
  void shouldReadGatewayWithoutDefault() {
    ProcessDefinition p = parseProcess(process(START + "<bpmn:exclusiveGateway id=\"g\"/>"));

    assertThat(node(p, "g", ExclusiveGateway.class).defaultFlowId()).isNull();
  }

  @Test
  void shouldReportDefaultThatIsNotAnOutgoingFlowOfTheGateway() {
    var found =
        problems(
            process(
                START
                    + """
                    <bpmn:exclusiveGateway id="x" default="f_s"/>
                    <bpmn:inclusiveGateway id="i" default="nowhere"/>
                    <bpmn:sequenceFlow id="f_s" sourceRef="s" targetRef="x"/>\
                    """));

    assertThat(found)
        .extracting(Problem::elementId, Problem::message)
        .containsExactly(
            tuple("x", "default 'f_s' is not an outgoing sequence flow of this gateway"),
            tuple("i", "default 'nowhere' does not resolve to a sequenceFlow"));
  }

  @Test
  void shouldReadParallelGateway() {
    ProcessDefinition p =
        parseProcess(
            process(
                START
                    + """
                    <bpmn:parallelGateway id="fork"/>
                    <bpmn:sequenceFlow id="f0" sourceRef="s" targetRef="fork"/>
                    <bpmn:sequenceFlow id="f1" sourceRef="fork" targetRef="a"/>
                    <bpmn:sequenceFlow id="f2" sourceRef="fork" targetRef="b"/>
                    <bpmn:task id="a"/><bpmn:task id="b"/>\
                    """));

    assertThat(p.node("fork")).isInstanceOf(ParallelGateway.class);
    assertThat(p.outgoing("fork")).hasSize(2);
    assertThat(p.incoming("fork")).extracting(SequenceFlow::sourceId).containsExactly("s");
  }

  @Test
  void shouldReadEventBasedGatewayLeadingToCatchEventsAndReceiveTasks() {
    ProcessDefinition p =
        parseProcess(
            process(
                START
                    + """
                    <bpmn:eventBasedGateway id="race"/>
                    <bpmn:sequenceFlow id="f1" sourceRef="race" targetRef="paid"/>
                    <bpmn:sequenceFlow id="f2" sourceRef="race" targetRef="timeout"/>
                    <bpmn:sequenceFlow id="f3" sourceRef="race" targetRef="reply"/>
                    <bpmn:intermediateCatchEvent id="paid"><bpmn:messageEventDefinition messageRef="m"/></bpmn:intermediateCatchEvent>
                    <bpmn:intermediateCatchEvent id="timeout"><bpmn:timerEventDefinition><bpmn:timeDuration>P1D</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
                    <bpmn:receiveTask id="reply" messageRef="m"/>\
                    """,
                "<bpmn:message id=\"m\" name=\"paid\"/>"));

    assertThat(p.node("race")).isInstanceOf(EventBasedGateway.class);
    assertThat(p.outgoing("race")).hasSize(3);
  }

  @Test
  void shouldReportEventBasedGatewayLeadingElsewhere() {
    Problem problem =
        onlyProblem(
            process(
                START
                    + """
                    <bpmn:eventBasedGateway id="race"/>
                    <bpmn:sequenceFlow id="f1" sourceRef="race" targetRef="work"/>
                    <bpmn:task id="work"/>\
                    """));

    assertThat(problem.toString())
        .isEqualTo(
            "test.bpmn:4:1: element 'race' (<eventBasedGateway>): sequenceFlow 'f1' leads to <task>"
                + " 'work'; an eventBasedGateway may only lead to message or timer"
                + " intermediateCatchEvents or receiveTasks");
  }

  @Test
  void shouldReadJuelConditionsAsWritten() {
    ProcessDefinition p =
        parseProcess(
            process(
                START
                    + """
                    <bpmn:exclusiveGateway id="g"/>
                    <bpmn:sequenceFlow id="f" sourceRef="g" targetRef="t"><bpmn:conditionExpression xsi:type="bpmn:tFormalExpression"><![CDATA[${a < b && ok}]]></bpmn:conditionExpression></bpmn:sequenceFlow>
                    <bpmn:task id="t"/>\
                    """));

    assertThat(p.flow("f").condition())
        .isEqualTo(new Expression("${a < b && ok}", Expression.Language.JUEL));
  }

  @Test
  void shouldReportConditionThatIsNotAnExpression() {
    Problem problem =
        onlyProblem(
            process(
                START
                    + """
                    <bpmn:sequenceFlow id="f" sourceRef="s" targetRef="t"><bpmn:conditionExpression>amount &gt; 5</bpmn:conditionExpression></bpmn:sequenceFlow>
                    <bpmn:task id="t"/>\
                    """));

    assertThat(problem.elementId()).isEqualTo("f");
    assertThat(problem.tag()).isEqualTo("sequenceFlow");
    assertThat(problem.message())
        .isEqualTo(
            "condition: 'amount > 5' is not an expression; write =amount > 5 (FEEL) or ${amount >"
                + " 5} (JUEL)");
  }

  @Test
  void shouldGenerateIdsForSequenceFlowsWrittenWithoutOne() {
    ProcessDefinition p =
        parseProcess(
            process(
                START
                    + """
                    <bpmn:parallelGateway id="g"/>
                    <bpmn:sequenceFlow sourceRef="s" targetRef="g"/>
                    <bpmn:sequenceFlow sourceRef="g" targetRef="t" name="first"/>
                    <bpmn:sequenceFlow sourceRef="g" targetRef="t" name="second"/>
                    <bpmn:sequenceFlow id="flow_g_t_3" sourceRef="g" targetRef="t" name="taken"/>
                    <bpmn:sequenceFlow sourceRef="g" targetRef="t" name="third"/>
                    <bpmn:task id="t"/>\
                    """));

    assertThat(p.flows().keySet())
        .containsExactly("flow_s_g_1", "flow_g_t_1", "flow_g_t_2", "flow_g_t_3", "flow_g_t_4");
    assertThat(p.flow("flow_g_t_4").name()).isEqualTo("third");
  }

  @Test
  void shouldReportSequenceFlowsWithDanglingOrMissingEnds() {
    var found =
        problems(
            process(
                START
                    + """
                    <bpmn:sequenceFlow id="a" sourceRef="s" targetRef="ghost"/>
                    <bpmn:sequenceFlow id="b" targetRef="t"/>
                    <bpmn:task id="t"/>\
                    """));

    assertThat(found)
        .extracting(Problem::elementId, Problem::message)
        .containsExactly(
            tuple("a", "targetRef 'ghost' does not resolve to a flow node"),
            tuple("b", "a sequenceFlow needs a sourceRef"));
  }

  @Test
  void shouldReportSequenceFlowCrossingScopes() {
    var found =
        problems(
            process(
                START
                    + """
                    <bpmn:sequenceFlow id="in" sourceRef="s" targetRef="inner"/>
                    <bpmn:subProcess id="sp">
                      <bpmn:startEvent id="spStart"/>
                      <bpmn:task id="inner"/>
                      <bpmn:sequenceFlow id="out" sourceRef="inner" targetRef="after"/>
                    </bpmn:subProcess>
                    <bpmn:task id="after"/>\
                    """));

    assertThat(found)
        .extracting(Problem::toString)
        .containsExactly(
            "test.bpmn:4:1: element 'in' (<sequenceFlow>): targetRef 'inner' is in scope 'sp', not"
                + " in the sequenceFlow's scope 'p'",
            "test.bpmn:8:3: element 'out' (<sequenceFlow>): targetRef 'after' is in scope 'p', not"
                + " in the sequenceFlow's scope 'sp'");
  }

  @Test
  void shouldReportGatewayKindsCobDoesNotRun() {
    var found =
        problems(
            process(
                START
                    + """
                    <bpmn:complexGateway id="cg"/>
                    <bpmn:sequenceFlow id="f" sourceRef="s" targetRef="cg"/>\
                    """));

    // The flow into the unsupported gateway is not reported again.
    assertThat(found)
        .extracting(Problem::toString)
        .containsExactly(
            "test.bpmn:4:1: element 'cg' (<complexGateway>): unsupported element <complexGateway>");
  }
}
