package io.cob.model.parse;

import static io.cob.model.parse.TestBpmn.node;
import static io.cob.model.parse.TestBpmn.onlyProblem;
import static io.cob.model.parse.TestBpmn.parseProcess;
import static io.cob.model.parse.TestBpmn.problems;
import static io.cob.model.parse.TestBpmn.process;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.cob.model.CallActivity;
import io.cob.model.Expression;
import io.cob.model.FlowNode;
import io.cob.model.IoMapping;
import io.cob.model.JobDefinition;
import io.cob.model.MultiInstance;
import io.cob.model.Problem;
import io.cob.model.ProcessDefinition;
import io.cob.model.ReceiveTask;
import io.cob.model.ServiceTask;
import io.cob.model.SubProcess;
import io.cob.model.Task;
import io.cob.model.UserTask;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ParsesTasksTest {
  private static final String START = "<bpmn:startEvent id=\"s\"/>\n";

  @Test
  void shouldReadTaskAndManualTaskAsPlainTasks() {
    ProcessDefinition p =
        parseProcess(
            process(
                START
                    + """
                    <bpmn:task id="t" name="Think"/>
                    <bpmn:manualTask id="m"/>\
                    """));

    assertThat(node(p, "t", Task.class).tag()).isEqualTo("task");
    assertThat(node(p, "m", Task.class).tag()).isEqualTo("manualTask");
    assertThat(node(p, "t", Task.class).io()).isEqualTo(IoMapping.NONE);
    assertThat(node(p, "t", Task.class).loop()).isNull();
  }

  @Test
  void shouldReadServiceAndSendTaskJobsWithDefaultRetries() {
    ProcessDefinition p =
        parseProcess(
            process(
                START
                    + """
                    <bpmn:serviceTask id="svc"><bpmn:extensionElements><zeebe:taskDefinition type="charge"/></bpmn:extensionElements></bpmn:serviceTask>
                    <bpmn:sendTask id="send"><bpmn:extensionElements><zeebe:taskDefinition type="=channel" retries="=tries"/></bpmn:extensionElements></bpmn:sendTask>\
                    """));

    ServiceTask svc = node(p, "svc", ServiceTask.class);
    assertThat(svc.job())
        .isEqualTo(
            new JobDefinition(Expression.literal("charge"), Expression.literal("3"), Map.of()));
    ServiceTask send = node(p, "send", ServiceTask.class);
    assertThat(send.tag()).isEqualTo("sendTask");
    assertThat(send.job().type()).isEqualTo(Expression.feel("channel"));
    assertThat(send.job().retries()).isEqualTo(Expression.feel("tries"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"serviceTask", "sendTask"})
  void shouldReportServiceLikeTaskWithoutJobType(String tag) {
    Problem problem = onlyProblem(process(START + "<bpmn:" + tag + " id=\"t\"/>"));

    assertThat(problem.elementId()).isEqualTo("t");
    assertThat(problem.tag()).isEqualTo(tag);
    assertThat(problem.message())
        .isEqualTo(
            "a <"
                + tag
                + "> needs a job type (zeebe:taskDefinition type, "
                + "camunda:type=\"external\" with camunda:topic, or cob:type)");
  }

  @ParameterizedTest
  @ValueSource(strings = {"scriptTask", "businessRuleTask"})
  void shouldAcceptScriptAndBusinessRuleTasksThatAreJobs(String tag) {
    ProcessDefinition p =
        parseProcess(process(START + "<bpmn:" + tag + " id=\"t\" cob:type=\"rules\"/>"));

    ServiceTask task = node(p, "t", ServiceTask.class);
    assertThat(task.tag()).isEqualTo(tag);
    assertThat(task.job().type()).isEqualTo(Expression.literal("rules"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"scriptTask", "businessRuleTask"})
  void shouldReportScriptAndBusinessRuleTasksWithoutJobTypeAsUnsupported(String tag) {
    Problem problem =
        onlyProblem(
            process(
                START
                    + "<bpmn:"
                    + tag
                    + " id=\"t\""
                    + " scriptFormat=\"groovy\"><bpmn:extensionElements><zeebe:calledDecision"
                    + " decisionId=\"d\" resultVariable=\"r\"/></bpmn:extensionElements></bpmn:"
                    + tag
                    + ">"));

    assertThat(problem.toString())
        .isEqualTo(
            "test.bpmn:4:1: element 't' (<"
                + tag
                + ">): unsupported element <"
                + tag
                + ">: only supported with a job type (zeebe:taskDefinition type,"
                + " camunda:type=\"external\" with camunda:topic, or cob:type)");
  }

  @Test
  void shouldReadReceiveTaskMessage() {
    ProcessDefinition p =
        parseProcess(
            process(
                START
                    + """
                    <bpmn:receiveTask id="r" messageRef="m1"/>\
                    """,
                "<bpmn:message id=\"m1\" name=\"=&quot;reply-&quot; + orderId\"/>"));

    ReceiveTask r = node(p, "r", ReceiveTask.class);
    assertThat(r.message().id()).isEqualTo("m1");
    assertThat(r.message().name()).isEqualTo(Expression.feel("\"reply-\" + orderId"));
    assertThat(r.message().correlationKey()).isNull();
  }

  @Test
  void shouldReportReceiveTaskWithoutOrWithDanglingMessageRef() {
    var found =
        problems(
            process(
                START
                    + """
                    <bpmn:receiveTask id="none"/>
                    <bpmn:receiveTask id="dangling" messageRef="m9"/>
                    <bpmn:receiveTask id="nameless" messageRef="m2"/>\
                    """,
                "<bpmn:message id=\"m2\"/>"));

    assertThat(found)
        .extracting(Problem::elementId, Problem::message)
        .containsExactly(
            tuple("none", "<receiveTask> needs a messageRef"),
            tuple("dangling", "messageRef 'm9' does not resolve to a <message>"),
            tuple("nameless", "messageRef 'm2' refers to a <message> without a name"));
  }

  @Test
  void shouldReadUserTaskAssignment() {
    ProcessDefinition p =
        parseProcess(
            process(
                START
                    + """
                    <bpmn:userTask id="u" cob:assignee="=owner" cob:candidateGroups="ops,dev" cob:candidateUsers="ann"
                        cob:formKey="forms/approve" cob:dueDate="2026-12-24T12:00:00Z"/>
                    <bpmn:userTask id="bare"/>\
                    """));

    UserTask u = node(p, "u", UserTask.class);
    assertThat(u.assignee()).isEqualTo(Expression.feel("owner"));
    assertThat(u.candidateGroups()).isEqualTo(Expression.literal("ops,dev"));
    assertThat(u.candidateUsers()).isEqualTo(Expression.literal("ann"));
    assertThat(u.formKey()).isEqualTo("forms/approve");
    assertThat(u.dueDate()).isEqualTo(Expression.literal("2026-12-24T12:00:00Z"));
    UserTask bare = node(p, "bare", UserTask.class);
    assertThat(bare.assignee()).isNull();
    assertThat(bare.candidateGroups()).isNull();
    assertThat(bare.formKey()).isNull();
  }

  @Test
  void shouldReportBpmnResourceAssignmentAsUnsupported() {
    Problem problem =
        onlyProblem(
            process(
                START
                    + """
                    <bpmn:userTask id="u"><bpmn:potentialOwner><bpmn:resourceAssignmentExpression>
                      <bpmn:formalExpression>group(management)</bpmn:formalExpression>
                    </bpmn:resourceAssignmentExpression></bpmn:potentialOwner></bpmn:userTask>\
                    """));

    assertThat(problem.elementId()).isEqualTo("u");
    assertThat(problem.message()).isEqualTo("unsupported element <potentialOwner>");
  }

  @Test
  void shouldReadEmbeddedSubProcessWithItsChildrenInTheirOwnScope() {
    ProcessDefinition p =
        parseProcess(
            process(
                START
                    + """
                    <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="sp"/>
                    <bpmn:subProcess id="sp" name="Handle">
                      <bpmn:startEvent id="spStart"/>
                      <bpmn:sequenceFlow id="f2" sourceRef="spStart" targetRef="inner"/>
                      <bpmn:subProcess id="nested">
                        <bpmn:startEvent id="nestedStart"/>
                      </bpmn:subProcess>
                      <bpmn:task id="inner"/>
                    </bpmn:subProcess>\
                    """));

    assertThat(node(p, "sp", SubProcess.class).scopeId()).isEqualTo("p");
    assertThat(p.node("spStart").scopeId()).isEqualTo("sp");
    assertThat(p.node("inner").scopeId()).isEqualTo("sp");
    assertThat(p.node("nestedStart").scopeId()).isEqualTo("nested");
    assertThat(p.nodes().keySet())
        .containsExactly("s", "sp", "spStart", "nested", "nestedStart", "inner");
    assertThat(p.children("sp"))
        .extracting(FlowNode::id)
        .containsExactly("spStart", "nested", "inner");
    assertThat(p.flows().keySet()).containsExactly("f1", "f2");
    assertThat(p.outgoing("spStart")).extracting(f -> f.targetId()).containsExactly("inner");
  }

  @Test
  void shouldReportEventSubProcessAsNotSupportedYet() {
    Problem problem =
        onlyProblem(
            process(
                START
                    + """
                    <bpmn:subProcess id="onCancel" triggeredByEvent="true">
                      <bpmn:startEvent id="cancelled"><bpmn:signalEventDefinition/></bpmn:startEvent>
                    </bpmn:subProcess>\
                    """));

    assertThat(problem.toString())
        .isEqualTo(
            "test.bpmn:4:1: element 'onCancel' (<subProcess>): event subprocesses are not supported"
                + " yet");
  }

  @Test
  void shouldReportSubProcessWithoutExactlyOneStartEvent() {
    var found =
        problems(
            process(
                START
                    + """
                    <bpmn:subProcess id="empty"><bpmn:task id="t"/></bpmn:subProcess>
                    <bpmn:subProcess id="two"><bpmn:startEvent id="a"/><bpmn:startEvent id="b"/></bpmn:subProcess>\
                    """));

    assertThat(found)
        .extracting(Problem::elementId, Problem::message)
        .containsExactly(
            tuple("empty", "a subProcess needs exactly one start event, not 0"),
            tuple("two", "a subProcess needs exactly one start event, not 2"));
  }

  @Test
  void shouldReadCallActivityFromBpmnAttribute() {
    ProcessDefinition p =
        parseProcess(process(START + "<bpmn:callActivity id=\"c\" calledElement=\"child\"/>"));

    CallActivity c = node(p, "c", CallActivity.class);
    assertThat(c.calledElement()).isEqualTo(Expression.literal("child"));
    assertThat(c.propagateAllChildVariables()).isTrue();
    assertThat(c.propagateAllParentVariables()).isTrue();
  }

  @Test
  void shouldReportCallActivityWithoutCalledElement() {
    Problem problem = onlyProblem(process(START + "<bpmn:callActivity id=\"c\"/>"));

    assertThat(problem.message())
        .isEqualTo(
            "a callActivity needs a called element (calledElement, zeebe:calledElement processId or"
                + " cob:calledElement)");
  }

  @Test
  void shouldReadMultiInstanceWithCardinalityAndCompletionCondition() {
    ProcessDefinition p =
        parseProcess(
            process(
                START
                    + """
                    <bpmn:task id="t">
                      <bpmn:multiInstanceLoopCharacteristics>
                        <bpmn:loopCardinality>3</bpmn:loopCardinality>
                        <bpmn:completionCondition>${nrOfCompletedInstances >= 2}</bpmn:completionCondition>
                      </bpmn:multiInstanceLoopCharacteristics>
                    </bpmn:task>\
                    """));

    assertThat(node(p, "t", Task.class).loop())
        .isEqualTo(
            new MultiInstance(
                false,
                null,
                null,
                null,
                null,
                Expression.of("${nrOfCompletedInstances >= 2}"),
                Expression.literal("3")));
  }

  @Test
  void shouldReportMultiInstanceProblems() {
    var found =
        problems(
            process(
                START
                    + """
                    <bpmn:task id="nothing"><bpmn:multiInstanceLoopCharacteristics isSequential="maybe"/></bpmn:task>
                    <bpmn:task id="badCardinality"><bpmn:multiInstanceLoopCharacteristics><bpmn:loopCardinality>three</bpmn:loopCardinality></bpmn:multiInstanceLoopCharacteristics></bpmn:task>
                    <bpmn:task id="standard"><bpmn:standardLoopCharacteristics/></bpmn:task>\
                    """));

    assertThat(found)
        .extracting(Problem::elementId, Problem::message)
        .containsExactly(
            tuple("nothing", "isSequential must be true or false, not 'maybe'"),
            tuple(
                "nothing",
                "multiInstanceLoopCharacteristics needs an input collection or a loopCardinality"),
            tuple(
                "badCardinality",
                "loopCardinality: 'three' is neither a whole number nor an expression"),
            tuple(
                "standard",
                "unsupported element <standardLoopCharacteristics>: standard loops are not"
                    + " supported; use multiInstanceLoopCharacteristics"));
  }

  @Test
  void shouldReadMultiInstanceOnSubProcess() {
    ProcessDefinition p =
        parseProcess(
            process(
                START
                    + """
                    <bpmn:subProcess id="sp">
                      <bpmn:multiInstanceLoopCharacteristics isSequential="true">
                        <bpmn:extensionElements><zeebe:loopCharacteristics inputCollection="=items" inputElement="item"/></bpmn:extensionElements>
                      </bpmn:multiInstanceLoopCharacteristics>
                      <bpmn:startEvent id="inner"/>
                    </bpmn:subProcess>\
                    """));

    MultiInstance loop = node(p, "sp", SubProcess.class).loop();
    assertThat(loop.sequential()).isTrue();
    assertThat(loop.inputCollection()).isEqualTo(Expression.feel("items"));
    assertThat(loop.inputElement()).isEqualTo("item");
  }

  @Test
  void shouldKeepDataAssociationsDocumentationAndIoSpecificationWithoutEffect() {
    ProcessDefinition p =
        parseProcess(
            process(
                START
                    + """
                    <bpmn:dataObject id="do"/>
                    <bpmn:dataObjectReference id="dor" dataObjectRef="do"/>
                    <bpmn:textAnnotation id="note"><bpmn:text>Hi</bpmn:text></bpmn:textAnnotation>
                    <bpmn:association id="a" sourceRef="t" targetRef="note"/>
                    <bpmn:task id="t">
                      <bpmn:documentation>Does things</bpmn:documentation>
                      <bpmn:ioSpecification id="io"><bpmn:dataInput id="in"/><bpmn:inputSet id="is"/><bpmn:outputSet id="os"/></bpmn:ioSpecification>
                      <bpmn:property id="prop"/>
                      <bpmn:dataInputAssociation id="dia"><bpmn:sourceRef>dor</bpmn:sourceRef><bpmn:targetRef>in</bpmn:targetRef></bpmn:dataInputAssociation>
                    </bpmn:task>
                    <bpmn:group id="grp"/>\
                    """));

    assertThat(p.nodes().keySet()).containsExactly("s", "t");
  }
}
