package io.cob.model.parse;

import static io.cob.model.parse.TestBpmn.node;
import static io.cob.model.parse.TestBpmn.onlyProblem;
import static io.cob.model.parse.TestBpmn.parseProcess;
import static io.cob.model.parse.TestBpmn.problems;
import static io.cob.model.parse.TestBpmn.process;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import io.cob.model.BoundaryEvent;
import io.cob.model.BpmnDocument;
import io.cob.model.CallActivity;
import io.cob.model.EventDefinition;
import io.cob.model.Expression;
import io.cob.model.IntermediateCatchEvent;
import io.cob.model.IoMapping.Mapping;
import io.cob.model.JobDefinition;
import io.cob.model.Lane;
import io.cob.model.MessageRef;
import io.cob.model.MultiInstance;
import io.cob.model.Problem;
import io.cob.model.ProcessDefinition;
import io.cob.model.ServiceTask;
import io.cob.model.StartEvent;
import io.cob.model.TimerSpec;
import io.cob.model.UserTask;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ParsesExtensionsTest {
  private static final String START = "<bpmn:startEvent id=\"s\"/>\n";

  private static ProcessDefinition sample(String file) {
    BpmnDocument doc = TestBpmn.PARSER.parse(file, TestBpmn.resource(file));
    assertThat(doc.processes()).hasSize(1);
    return doc.processes().getFirst();
  }

  @Nested
  class Camunda8 {
    private final ProcessDefinition order = sample("camunda8-order.bpmn");

    @Test
    void shouldReadTaskDefinitionHeadersAndIoMapping() {
      ServiceTask reserve = node(order, "reserve", ServiceTask.class);
      assertThat(reserve.job())
          .isEqualTo(
              new JobDefinition(
                  Expression.literal("stock-reserve"),
                  Expression.literal("5"),
                  Map.of("warehouse", "north")));
      assertThat(reserve.io().inputs())
          .containsExactly(new Mapping(Expression.feel("order.items"), "items"));
      assertThat(reserve.io().outputs())
          .containsExactly(new Mapping(Expression.feel("reservationId"), "order.reservation"));
      assertThat(node(order, "notifySlow", ServiceTask.class).job().type())
          .isEqualTo(Expression.feel("\"notify-\" + channel"));
    }

    @Test
    void shouldReadAssignmentFormAndSchedule() {
      UserTask approve = node(order, "approve", UserTask.class);
      assertThat(approve.assignee()).isEqualTo(Expression.feel("order.manager"));
      assertThat(approve.candidateGroups()).isEqualTo(Expression.literal("sales, managers"));
      assertThat(approve.candidateUsers()).isNull();
      assertThat(approve.formKey()).isEqualTo("camunda-forms:bpmn:approveForm");
      assertThat(approve.dueDate()).isEqualTo(Expression.feel("now() + duration(\"P2D\")"));
    }

    @Test
    void shouldReadCalledElementAndLoopCharacteristics() {
      CallActivity ship = node(order, "ship", CallActivity.class);
      assertThat(ship.calledElement()).isEqualTo(Expression.literal("shipping"));
      assertThat(ship.propagateAllChildVariables()).isFalse();
      assertThat(ship.propagateAllParentVariables()).isTrue();
      assertThat(ship.loop())
          .isEqualTo(
              new MultiInstance(
                  true,
                  Expression.feel("order.items"),
                  "item",
                  "shipments",
                  Expression.feel("shipment"),
                  Expression.feel("cancelled = true"),
                  null));
    }

    @Test
    void shouldReadSubscriptionCorrelationKeyAndTimers() {
      EventDefinition trigger = node(order, "waitPayment", IntermediateCatchEvent.class).trigger();
      assertThat(trigger)
          .isEqualTo(
              new EventDefinition.Message(
                  new MessageRef(
                      "paymentReceived",
                      Expression.literal("payment-received"),
                      Expression.feel("order.id"))));
      BoundaryEvent timeout = node(order, "reserveTimeout", BoundaryEvent.class);
      assertThat(timeout.cancelActivity()).isFalse();
      assertThat(timeout.trigger())
          .isEqualTo(
              new EventDefinition.Timer(
                  new TimerSpec(TimerSpec.Kind.DURATION, Expression.literal("PT10M"))));
    }

    @Test
    void shouldReadFeelConditionAndDefaultFlow() {
      assertThat(order.flow("f_large").condition())
          .isEqualTo(Expression.feel("sum(order.items.price) > 1000"));
      assertThat(order.flow("f_large").name()).isEqualTo("yes");
      assertThat(node(order, "check", io.cob.model.ExclusiveGateway.class).defaultFlowId())
          .isEqualTo("f_small");
    }

    @Test
    void shouldReportTaskDefinitionWithoutType() {
      Problem problem =
          onlyProblem(
              process(
                  START
                      + "<bpmn:serviceTask id=\"t\"><bpmn:extensionElements><zeebe:taskDefinition"
                      + " retries=\"2\"/></bpmn:extensionElements></bpmn:serviceTask>"));

      assertThat(problem.message()).isEqualTo("zeebe:taskDefinition needs a type");
    }

    @Test
    void shouldReportLiteralInputCollectionAndHalfAnOutput() {
      var found =
          problems(
              process(
                  START
                      + """
                      <bpmn:task id="t"><bpmn:multiInstanceLoopCharacteristics><bpmn:extensionElements>
                        <zeebe:loopCharacteristics inputCollection="items" outputCollection="results"/>
                      </bpmn:extensionElements></bpmn:multiInstanceLoopCharacteristics></bpmn:task>\
                      """));

      assertThat(found)
          .extracting(Problem::message)
          .containsExactly(
              "inputCollection: 'items' is not an expression; write =items (FEEL) or ${items}"
                  + " (JUEL)",
              "multiInstanceLoopCharacteristics needs both outputCollection and outputElement, or"
                  + " neither");
    }
  }

  @Nested
  class Camunda7 {
    private final ProcessDefinition invoice = sample("camunda7-invoice.bpmn");

    @Test
    void shouldReadExternalTaskTopicRetriesAndProperties() {
      ServiceTask transfer = node(invoice, "prepareTransfer", ServiceTask.class);
      assertThat(transfer.job())
          .isEqualTo(
              new JobDefinition(
                  Expression.literal("bank-transfer"),
                  Expression.literal("5"),
                  Map.of("bank", "ACME")));
    }

    @Test
    void shouldReadJuelConditions() {
      assertThat(invoice.flow("yes").condition()).isEqualTo(Expression.of("${approved}"));
      assertThat(invoice.flow("no").condition())
          .isEqualTo(new Expression("${!approved && amount > 100}", Expression.Language.JUEL));
    }

    @Test
    void shouldReadUserTaskAttributesAndInputOutput() {
      UserTask assign = node(invoice, "assignApprover", UserTask.class);
      assertThat(assign.assignee()).isEqualTo(Expression.literal("demo"));
      assertThat(assign.candidateGroups()).isEqualTo(Expression.literal("accounting"));
      assertThat(assign.dueDate()).isEqualTo(Expression.of("${dateTime().plusWeeks(1).toDate()}"));
      assertThat(assign.io().inputs())
          .containsExactly(
              new Mapping(Expression.of("${amount}"), "amountLabel"),
              new Mapping(Expression.literal("EUR"), "currency"));
      assertThat(assign.io().outputs())
          .containsExactly(new Mapping(Expression.of("${chosenApprover}"), "approver"));
      UserTask approve = node(invoice, "approveInvoice", UserTask.class);
      assertThat(approve.assignee()).isEqualTo(Expression.of("${approver}"));
      assertThat(approve.formKey()).isEqualTo("embedded:app:forms/approve.html");
    }

    @Test
    void shouldReadCollectionVariableAsExpression() {
      MultiInstance loop = node(invoice, "prepareTransfer", ServiceTask.class).loop();
      assertThat(loop.inputCollection()).isEqualTo(Expression.of("${invoices}"));
      assertThat(loop.inputElement()).isEqualTo("invoice");
      assertThat(loop.sequential()).isFalse();
    }

    @Test
    void shouldReadCallActivityInAndOutVariables() {
      CallActivity archive = node(invoice, "archive", CallActivity.class);
      assertThat(archive.calledElement()).isEqualTo(Expression.literal("archiving"));
      assertThat(archive.propagateAllParentVariables()).isFalse();
      assertThat(archive.propagateAllChildVariables()).isTrue();
      assertThat(archive.io().inputs())
          .containsExactly(new Mapping(Expression.of("${invoiceId}"), "documentId"));
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "class=\"com.acme.Charge\"",
          "delegateExpression=\"${chargeDelegate}\"",
          "expression=\"${charge.run()}\""
        })
    void shouldReportJavaDelegatesNamingTheAttribute(String delegate) {
      Problem problem =
          onlyProblem(process(START + "<bpmn:serviceTask id=\"t\" camunda:" + delegate + "/>"));

      String attribute = delegate.substring(0, delegate.indexOf('='));
      assertThat(problem.toString())
          .isEqualTo(
              "test.bpmn:4:1: element 't' (<serviceTask>): Java delegates are not "
                  + "supported; use an external task topic or a job type (camunda:"
                  + attribute
                  + ")");
    }

    @Test
    void shouldReportConnectorTypesAndMissingTopic() {
      var found =
          problems(
              process(
                  START
                      + """
                      <bpmn:serviceTask id="mail" camunda:type="mail"/>
                      <bpmn:serviceTask id="noTopic" camunda:type="external"/>\
                      """));

      assertThat(found)
          .extracting(Problem::elementId, Problem::message)
          .containsExactly(
              tuple(
                  "mail",
                  "camunda:type 'mail' is not supported; use camunda:type=\"external\" with a"
                      + " camunda:topic, or a job type"),
              tuple("noTopic", "camunda:type=\"external\" needs a camunda:topic"));
    }

    @Test
    void shouldReportListenersInsteadOfDroppingThem() {
      var found =
          problems(
              process(
                  START
                      + """
                      <bpmn:userTask id="u"><bpmn:extensionElements>
                        <camunda:taskListener event="create" class="com.acme.Notify"/>
                        <camunda:executionListener event="start" expression="${log.start()}"/>
                        <camunda:executionListener event="end"><camunda:script scriptFormat="groovy">x</camunda:script></camunda:executionListener>
                      </bpmn:extensionElements></bpmn:userTask>
                      <bpmn:task id="t"><bpmn:extensionElements><zeebe:executionListeners>
                        <zeebe:executionListener eventType="start" type="audit"/>
                      </zeebe:executionListeners></bpmn:extensionElements></bpmn:task>\
                      """));

      assertThat(found)
          .extracting(Problem::elementId, Problem::message)
          .containsExactly(
              tuple("u", "listeners are not supported (camunda:taskListener)"),
              tuple("u", "listeners are not supported (camunda:executionListener)"),
              tuple("t", "listeners are not supported (zeebe:executionListeners)"));
    }

    @Test
    void shouldReadFlowableAndActivitiLikeCamunda7() {
      String xml =
          "<definitions xmlns=\"http://www.omg.org/spec/BPMN/20100524/MODEL\""
              + " xmlns:flowable=\"http://flowable.org/bpmn\""
              + " xmlns:activiti=\"http://activiti.org/bpmn\"><process id=\"p\"><startEvent"
              + " id=\"s\"/><serviceTask id=\"f\" flowable:type=\"external-worker\""
              + " flowable:topic=\"crm\"/><userTask id=\"u\" activiti:assignee=\"${initiator}\""
              + " activiti:candidateGroups=\"sales\"/></process></definitions>";

      ProcessDefinition p = parseProcess(xml);
      assertThat(node(p, "f", ServiceTask.class).job().type()).isEqualTo(Expression.literal("crm"));
      assertThat(node(p, "u", UserTask.class).assignee()).isEqualTo(Expression.of("${initiator}"));
    }
  }

  @Nested
  class Cob {
    private final BpmnDocument doc =
        TestBpmn.PARSER.parse(
            "multi-cloud-with-di.bpmn", TestBpmn.resource("multi-cloud-with-di.bpmn"));
    private final ProcessDefinition reports = doc.processes().getFirst();

    @Test
    void shouldReadJobAttributesHeadersAndOutputs() {
      ServiceTask fetch = node(reports, "fetch", ServiceTask.class);
      assertThat(fetch.job())
          .isEqualTo(
              new JobDefinition(
                  Expression.literal("s3-fetch"),
                  Expression.literal("2"),
                  Map.of("bucket", "reports")));
      assertThat(fetch.io().outputs())
          .containsExactly(new Mapping(Expression.feel("objects"), "files"));
      ServiceTask analyse = node(reports, "analyse", ServiceTask.class);
      assertThat(analyse.job())
          .isEqualTo(
              new JobDefinition(
                  Expression.literal("bigquery-job"),
                  Expression.feel("retriesFor(\"bq\")"),
                  Map.of("dataset", "nightly")));
    }

    @Test
    void shouldReadPlacementOnNodesLanesProcessAndPool() {
      assertThat(reports.node("analyse").header().extensions())
          .isEqualTo(Map.of("cloud", "gcp-eu"));
      assertThat(reports.node("fetch").header().extensions()).isEmpty();
      assertThat(reports.lanes())
          .extracting(Lane::id, Lane::name, Lane::extensions)
          .containsExactly(
              tuple("Lane_aws", "AWS", Map.of("cloud", "aws")),
              tuple("Lane_gcp", "GCP", Map.of("cloud", "gcp")));
      assertThat(reports.laneOf("fetch")).map(Lane::id).contains("Lane_aws");
      assertThat(reports.laneOf("reported")).map(Lane::id).contains("Lane_gcp");
      // cob:standby is written on the pool, cob:placement on the process itself.
      assertThat(reports.extensions())
          .isEqualTo(Map.of("placement", "jurisdiction=eu; prefer=cheapest", "standby", "gcp"));
    }

    @Test
    void shouldReadCollaborationAndTimerCycle() {
      assertThat(doc.collaborations()).hasSize(1);
      var pool = doc.collaborations().getFirst().participants().getFirst();
      assertThat(pool)
          .isEqualTo(
              new io.cob.model.Collaboration.Participant(
                  "Pool_reports", "Nightly reports", "reports"));
      assertThat(node(reports, "nightly", StartEvent.class).trigger())
          .isEqualTo(
              new EventDefinition.Timer(
                  new TimerSpec(
                      TimerSpec.Kind.CYCLE, Expression.literal("R/2026-01-01T02:00:00Z/P1D"))));
    }

    @Test
    void shouldReadMessageCorrelationKeyAttributeAndCalledElement() {
      ProcessDefinition p =
          parseProcess(
              process(
                  """
                  <bpmn:startEvent id="s"><bpmn:messageEventDefinition messageRef="m"/></bpmn:startEvent>
                  <bpmn:callActivity id="c" cob:calledElement="=childId" cob:propagateAllParentVariables="false"/>\
                  """,
                  "<bpmn:message id=\"m\" name=\"go\" cob:correlationKey=\"=key\"/>"));

      assertThat(
              ((EventDefinition.Message) node(p, "s", StartEvent.class).trigger())
                  .message()
                  .correlationKey())
          .isEqualTo(Expression.feel("key"));
      CallActivity c = node(p, "c", CallActivity.class);
      assertThat(c.calledElement()).isEqualTo(Expression.feel("childId"));
      assertThat(c.propagateAllParentVariables()).isFalse();
      assertThat(c.propagateAllChildVariables()).isTrue();
    }

    @Test
    void shouldLetCobOverrideZeebeJobDefinition() {
      ProcessDefinition p =
          parseProcess(
              process(
                  START
                      + """
                      <bpmn:serviceTask id="t" cob:type="cob-type">
                        <bpmn:extensionElements>
                          <zeebe:taskDefinition type="zeebe-type" retries="7"/>
                          <zeebe:taskHeaders><zeebe:header key="a" value="zeebe"/><zeebe:header key="b" value="zeebe"/></zeebe:taskHeaders>
                          <cob:header key="b" value="cob"/>
                          <cob:input source="=x" target="y"/>
                          <cob:ioMapping><cob:output source="=r" target="result"/></cob:ioMapping>
                        </bpmn:extensionElements>
                      </bpmn:serviceTask>\
                      """));

      ServiceTask t = node(p, "t", ServiceTask.class);
      assertThat(t.job())
          .isEqualTo(
              new JobDefinition(
                  Expression.literal("cob-type"),
                  Expression.literal("7"),
                  Map.of("a", "zeebe", "b", "cob")));
      assertThat(t.io().inputs()).containsExactly(new Mapping(Expression.feel("x"), "y"));
      assertThat(t.io().outputs()).containsExactly(new Mapping(Expression.feel("r"), "result"));
    }

    @Test
    void shouldReadStandbysAndReplicationModeOfTheProcess() {
      String xml =
          process(START)
              .replace(
                  "<bpmn:process id=\"p\"",
                  "<bpmn:process id=\"p\" cob:standby=\" public-b, aws.eu-1 \""
                      + " cob:replication=\"sync\"");

      ProcessDefinition p = parseProcess(xml);

      assertThat(p.standbys()).containsExactly("public-b", "aws.eu-1");
      assertThat(p.syncReplication()).contains(true);
      assertThat(parseProcess(process(START)).standbys()).isEmpty();
      assertThat(parseProcess(process(START)).syncReplication()).isEmpty();
    }

    @Test
    void shouldReportMalformedStandbysAndReplicationAndThemOnAStep() {
      String xml =
          process(START + "<bpmn:serviceTask id=\"t\" cob:type=\"x\" cob:standby=\"b\"/>")
              .replace(
                  "<bpmn:process id=\"p\"",
                  "<bpmn:process id=\"p\" cob:standby=\"b,,c\" cob:replication=\"eventually\"");

      assertThat(problems(xml))
          .extracting(Problem::elementId, Problem::message)
          .containsExactlyInAnyOrder(
              tuple(
                  "p",
                  "cob:standby: 'b,,c' has an empty cloud name; name clouds separated by commas"),
              tuple("p", "cob:replication: 'eventually' is neither 'sync' nor 'async'"),
              tuple(
                  "t",
                  "attribute cob:standby has no meaning on <serviceTask>: an instance is"
                      + " replicated as a whole; write it on the process or its pool"));
      String policy =
          process(START)
              .replace(
                  "<bpmn:process id=\"p\"",
                  "<bpmn:process id=\"p\" cob:standby=\"jurisdiction=eu; prefer=cheapest\"");
      assertThat(parseProcess(policy).standbys()).isEmpty();
      assertThat(parseProcess(policy).standbyPolicy())
          .map(Object::toString)
          .contains("jurisdiction=eu; prefer=cheapest");
      assertThat(problems(policy.replace("prefer=cheapest", "prefer=fastest")))
          .extracting(Problem::message)
          .singleElement()
          .asString()
          .startsWith("cob:standby: ");
      assertThatThrownBy(() -> ProcessDefinition.parseStandby("b, b"))
          .hasMessage("cloud 'b' is named twice");
      assertThatThrownBy(() -> ProcessDefinition.parseStandby("b c"))
          .hasMessage("'b c' is not a cloud name (letters, digits, '.', '_' and '-')");
    }

    @Test
    void shouldReportCobNamesThatMeanNothingWhereWritten() {
      var found =
          problems(
              process(
                  START
                      + """
                      <bpmn:userTask id="u" cob:type="x" cob:clowd="aws"/>
                      <bpmn:task id="t"><bpmn:extensionElements><cob:taskDefinition type="x"/><cob:bogus/></bpmn:extensionElements></bpmn:task>
                      <bpmn:serviceTask id="r" cob:type="x" cob:retries="many"/>\
                      """));

      assertThat(found)
          .extracting(Problem::elementId, Problem::message)
          .containsExactly(
              tuple("u", "attribute cob:type has no meaning on <userTask>"),
              tuple("u", "attribute cob:clowd has no meaning on <userTask>"),
              tuple("t", "extension element <cob:taskDefinition> has no meaning on <task>"),
              tuple("t", "extension element <cob:bogus> has no meaning on <task>"),
              tuple("r", "retries: 'many' is not a whole number"));
    }
  }

  @Test
  void shouldIgnoreOtherVendorsExtensionsAndAttributes() {
    ProcessDefinition p =
        parseProcess(
            process(
                START
                    + """
                    <bpmn:task id="t" xmlns:acme="urn:acme" acme:colour="red" zeebe:unknown="1">
                      <bpmn:extensionElements>
                        <acme:anything><acme:nested/></acme:anything>
                        <zeebe:properties><zeebe:property name="k" value="v"/></zeebe:properties>
                        <camunda:executionListenerSomething/>
                      </bpmn:extensionElements>
                    </bpmn:task>\
                    """));

    assertThat(p.node("t").header().extensions()).isEmpty();
  }
}
