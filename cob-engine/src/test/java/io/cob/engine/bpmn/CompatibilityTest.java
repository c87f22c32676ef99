package io.cob.engine.bpmn;

import static org.assertj.core.api.Assertions.assertThat;

import io.cob.engine.EngineHarness;
import io.cob.engine.EngineHarness.Instance;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Models drawn for Camunda 7 and Camunda 8 run unchanged. */
class CompatibilityTest {
  @RegisterExtension final EngineHarness engine = new EngineHarness();

  static final String CAMUNDA7 =
      """
      <?xml version="1.0" encoding="UTF-8"?>
      <bpmn2:definitions xmlns:bpmn2="http://www.omg.org/spec/BPMN/20100524/MODEL"
          xmlns:camunda="http://camunda.org/schema/1.0/bpmn"
          xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
          id="d7" targetNamespace="http://bpmn.io/schema/bpmn">
        <bpmn2:process id="loanC7" isExecutable="true">
          <bpmn2:startEvent id="start"/>
          <bpmn2:serviceTask id="score" camunda:type="external" camunda:topic="credit-score"/>
          <bpmn2:exclusiveGateway id="decide" default="toReject"/>
          <bpmn2:userTask id="approve" camunda:assignee="${officer}" camunda:candidateGroups="loans,risk"/>
          <bpmn2:endEvent id="approved"/>
          <bpmn2:endEvent id="rejected"/>
          <bpmn2:sequenceFlow id="f1" sourceRef="start" targetRef="score"/>
          <bpmn2:sequenceFlow id="f2" sourceRef="score" targetRef="decide"/>
          <bpmn2:sequenceFlow id="toApprove" sourceRef="decide" targetRef="approve">
            <bpmn2:conditionExpression xsi:type="bpmn2:tFormalExpression">${score &gt;= 600 &amp;&amp; amount &lt; 10000}</bpmn2:conditionExpression>
          </bpmn2:sequenceFlow>
          <bpmn2:sequenceFlow id="toReject" sourceRef="decide" targetRef="rejected"/>
          <bpmn2:sequenceFlow id="f3" sourceRef="approve" targetRef="approved"/>
        </bpmn2:process>
      </bpmn2:definitions>
      """;

  static final String CAMUNDA8 =
      """
      <?xml version="1.0" encoding="UTF-8"?>
      <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
          xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"
          xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI"
          xmlns:dc="http://www.omg.org/spec/DD/20100524/DC"
          id="d8" targetNamespace="http://bpmn.io/schema/bpmn">
        <bpmn:process id="loanC8">
          <bpmn:startEvent id="start"/>
          <bpmn:serviceTask id="score">
            <bpmn:extensionElements>
              <zeebe:taskDefinition type="credit-score" retries="5"/>
              <zeebe:taskHeaders><zeebe:header key="bureau" value="acme"/></zeebe:taskHeaders>
              <zeebe:ioMapping>
                <zeebe:input source="=applicant.id" target="applicantId"/>
                <zeebe:output source="=result.score" target="score"/>
              </zeebe:ioMapping>
            </bpmn:extensionElements>
          </bpmn:serviceTask>
          <bpmn:exclusiveGateway id="decide" default="toReject"/>
          <bpmn:userTask id="approve">
            <bpmn:extensionElements>
              <zeebe:assignmentDefinition assignee="=officer" candidateGroups="=[&quot;loans&quot;, &quot;risk&quot;]"/>
            </bpmn:extensionElements>
          </bpmn:userTask>
          <bpmn:endEvent id="approved"/>
          <bpmn:endEvent id="rejected"/>
          <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="score"/>
          <bpmn:sequenceFlow id="f2" sourceRef="score" targetRef="decide"/>
          <bpmn:sequenceFlow id="toApprove" sourceRef="decide" targetRef="approve">
            <bpmn:conditionExpression>=score &gt;= 600 and amount &lt; 10000</bpmn:conditionExpression>
          </bpmn:sequenceFlow>
          <bpmn:sequenceFlow id="toReject" sourceRef="decide" targetRef="rejected"/>
          <bpmn:sequenceFlow id="f3" sourceRef="approve" targetRef="approved"/>
        </bpmn:process>
        <bpmndi:BPMNDiagram id="di">
          <bpmndi:BPMNPlane id="plane" bpmnElement="loanC8">
            <bpmndi:BPMNShape id="start_di" bpmnElement="start"><dc:Bounds x="100" y="100" width="36" height="36"/></bpmndi:BPMNShape>
          </bpmndi:BPMNPlane>
        </bpmndi:BPMNDiagram>
      </bpmn:definitions>
      """;

  @Test
  void shouldRunCamunda7ModelWithJuelConditionsAndExternalTopics() {
    engine.deploy(CAMUNDA7);
    Instance i = engine.start("loanC7", Map.of("amount", 5000, "officer", "ann"));
    assertThat(i.job("score").type()).isEqualTo("credit-score");
    i.completeJob("score", Map.of("score", 700));
    assertThat(i.userTask("approve").assignee()).isEqualTo("ann");
    assertThat(i.userTask("approve").candidateGroups()).containsExactly("loans", "risk");
    i.completeUserTask("approve", Map.of());
    assertThat(i.status()).isEqualTo("COMPLETED");
    assertThat(i.completed()).contains("approved");

    Instance low = engine.start("loanC7", Map.of("amount", 5000, "officer", "ann"));
    low.completeJob("score", Map.of("score", 400));
    assertThat(low.completed()).contains("rejected");
  }

  @Test
  void shouldRunCamunda8ModelWithZeebeExtensionsAndFeel() {
    engine.deploy(CAMUNDA8);
    Instance i =
        engine.start(
            "loanC8", Map.of("amount", 5000, "officer", "bob", "applicant", Map.of("id", "A-1")));
    var job = i.job("score");
    assertThat(job.type()).isEqualTo("credit-score");
    assertThat(job.retries()).isEqualTo(5);
    assertThat(job.headers()).containsEntry("bureau", "acme");
    assertThat(i.state().localVariables(job.elementInstanceKey()))
        .containsEntry("applicantId", "A-1");

    i.completeJob("score", Map.of("result", Map.of("score", 650)));
    assertThat(i.variables()).containsEntry("score", 650L).doesNotContainKey("result");
    assertThat(i.userTask("approve").assignee()).isEqualTo("bob");
    assertThat(i.userTask("approve").candidateGroups()).containsExactly("loans", "risk");
    i.completeUserTask("approve", Map.of());
    assertThat(i.status()).isEqualTo("COMPLETED");
    assertThat(i.completed()).contains("approved");
  }
}
