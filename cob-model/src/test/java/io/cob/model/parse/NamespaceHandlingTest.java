package io.cob.model.parse;

import static io.cob.model.parse.TestBpmn.node;
import static io.cob.model.parse.TestBpmn.onlyProblem;
import static io.cob.model.parse.TestBpmn.parseProcess;
import static org.assertj.core.api.Assertions.assertThat;

import io.cob.model.EventDefinition;
import io.cob.model.Expression;
import io.cob.model.FlowNode;
import io.cob.model.Problem;
import io.cob.model.ProcessDefinition;
import io.cob.model.ReceiveTask;
import io.cob.model.SequenceFlow;
import io.cob.model.ServiceTask;
import io.cob.model.StartEvent;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NamespaceHandlingTest {
  private static final String BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL";

  /**
   * The same model written with BPMN elements under {@code prefix} ("" for the default namespace).
   */
  private static String model(String prefix, String zeebePrefix) {
    String b = prefix.isEmpty() ? "" : prefix + ":";
    String ns =
        prefix.isEmpty() ? "xmlns=\"" + BPMN + "\"" : "xmlns:" + prefix + "=\"" + BPMN + "\"";
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        + "<"
        + b
        + "definitions "
        + ns
        + " xmlns:"
        + zeebePrefix
        + "=\"http://camunda.org/schema/zeebe/1.0\" xmlns:tns=\"http://example.com/tns\""
        + " targetNamespace=\"http://example.com/tns\" id=\"defs\">\n"
        + "  <"
        + b
        + "process id=\"p\" isExecutable=\"true\">\n"
        + "    <"
        + b
        + "startEvent id=\"s\"><"
        + b
        + "messageEventDefinition messageRef=\"tns:m\"/></"
        + b
        + "startEvent>\n"
        + "    <"
        + b
        + "sequenceFlow id=\"f1\" sourceRef=\"s\" targetRef=\"work\"/>\n"
        + "    <"
        + b
        + "serviceTask id=\"work\"><"
        + b
        + "extensionElements>"
        + "<"
        + zeebePrefix
        + ":taskDefinition type=\"do-it\"/></"
        + b
        + "extensionElements></"
        + b
        + "serviceTask>\n"
        + "    <"
        + b
        + "sequenceFlow id=\"f2\" sourceRef=\"work\" targetRef=\"wait\"/>\n"
        + "    <"
        + b
        + "receiveTask id=\"wait\" messageRef=\"m\"/>\n"
        + "  </"
        + b
        + "process>\n"
        + "  <"
        + b
        + "message id=\"m\" name=\"go\"/>\n"
        + "</"
        + b
        + "definitions>\n";
  }

  private static List<String> shape(ProcessDefinition p) {
    return p.nodes().values().stream()
        .map(n -> n.id() + ":" + n.tag() + ":" + n.scopeId())
        .toList();
  }

  @ParameterizedTest
  @ValueSource(strings = {"bpmn", "bpmn2", "", "semantic"})
  void shouldReadBpmnElementsByNamespaceWhateverThePrefix(String prefix) {
    ProcessDefinition p = parseProcess(model(prefix, "zeebe"));

    assertThat(shape(p))
        .containsExactly("s:startEvent:p", "work:serviceTask:p", "wait:receiveTask:p");
    assertThat(p.flows().values()).extracting(SequenceFlow::id).containsExactly("f1", "f2");
    assertThat(node(p, "work", ServiceTask.class).job().type())
        .isEqualTo(Expression.literal("do-it"));
    assertThat(node(p, "s", StartEvent.class).trigger())
        .isInstanceOf(EventDefinition.Message.class);
    // Locations are the same whatever the prefix: the start tag's '<'.
    assertThat(p.node("work").header().location().line()).isEqualTo(6);
    assertThat(p.node("work").header().location().column()).isEqualTo(5);
  }

  @Test
  void shouldReadVendorExtensionsByNamespaceWhateverThePrefix() {
    ProcessDefinition p = parseProcess(model("bpmn", "z8"));

    assertThat(node(p, "work", ServiceTask.class).job().type())
        .isEqualTo(Expression.literal("do-it"));
  }

  @Test
  void shouldResolveQualifiedReferencesByStrippingThePrefix() {
    ProcessDefinition p = parseProcess(model("bpmn", "zeebe"));

    EventDefinition.Message viaQName =
        (EventDefinition.Message) node(p, "s", StartEvent.class).trigger();
    assertThat(viaQName.message().id()).isEqualTo("m");
    assertThat(node(p, "wait", ReceiveTask.class).message()).isEqualTo(viaQName.message());
  }

  @Test
  void shouldNotMistakeAnotherNamespaceForBpmn() {
    String xml =
        "<bpmn:definitions xmlns:bpmn=\"http://example.com/not-bpmn\" id=\"d\">\n"
            + "<bpmn:process id=\"p\"/></bpmn:definitions>";

    Problem problem = onlyProblem(xml);
    assertThat(problem.toString())
        .isEqualTo(
            "test.bpmn:1:1: element 'd' (<definitions>): the root element must be "
                + "<definitions> in namespace "
                + BPMN
                + ", not <definitions> in namespace http://example.com/not-bpmn");
  }

  @Test
  void shouldIgnoreElementsOfForeignNamespacesInsideAProcess() {
    String xml =
        TestBpmn.process(
            "<bpmn:startEvent id=\"s\"/>\n<acme:widget xmlns:acme=\"urn:acme\" id=\"w\"/>");

    assertThat(parseProcess(xml).nodes().values()).extracting(FlowNode::id).containsExactly("s");
  }

  @Test
  void shouldReportCobElementsOutsideExtensionElements() {
    Problem problem =
        onlyProblem(
            TestBpmn.process("<bpmn:startEvent id=\"s\"/>\n<cob:header key=\"a\" value=\"b\"/>"));

    assertThat(problem.elementId()).isEqualTo("p");
    assertThat(problem.message())
        .isEqualTo("unknown element <cob:header> (cob extensions belong in <extensionElements>)");
  }

  @Test
  void shouldAcceptDiagramInterchangeContentWithoutReadingIt() {
    var doc =
        TestBpmn.PARSER.parse(
            "multi-cloud-with-di.bpmn", TestBpmn.resource("multi-cloud-with-di.bpmn"));

    assertThat(doc.processes()).extracting(ProcessDefinition::id).containsExactly("reports");
    assertThat(doc.processes().getFirst().nodes()).doesNotContainKey("nightly_di");
  }

  @Test
  void shouldReportUnboundPrefixAsMalformedXml() {
    Problem problem = onlyProblem("<bpmn:definitions id=\"d\"/>");

    assertThat(problem.message())
        .isEqualTo(
            "malformed XML: the prefix 'bpmn' of element 'bpmn:definitions' is not bound to a"
                + " namespace");
  }
}
