package io.cob.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.cob.model.expr.StandardExpressionEvaluator;
import io.cob.model.parse.BpmnParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/** The examples the demo runs are valid cob models and carry a full diagram for modelers. */
class ExampleModelsTest {
  private static final String BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL";
  private static final String BPMNDI = "http://www.omg.org/spec/BPMN/20100524/DI";
  private static final Set<String> NOT_DRAWN =
      Set.of("laneSet", "sequenceFlow", "documentation", "extensionElements");

  private static Path example(String file) {
    return Path.of("..", "examples", file);
  }

  @ParameterizedTest
  @ValueSource(strings = {"order-management.bpmn", "disability-claim.bpmn"})
  void shouldValidateWithoutProblems(String file) throws Exception {
    byte[] bytes = Files.readAllBytes(example(file));
    assertThat(new BpmnParser(new StandardExpressionEvaluator()).validate(file, bytes)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"order-management.bpmn", "disability-claim.bpmn"})
  void shouldDrawEveryFlowNodeLaneAndSequenceFlow(String file) throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setNamespaceAware(true);
    f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    Document doc = f.newDocumentBuilder().parse(example(file).toFile());
    Set<String> shapes = refs(doc, "BPMNShape");
    Set<String> edges = refs(doc, "BPMNEdge");
    Element process = (Element) doc.getElementsByTagNameNS(BPMN, "process").item(0);
    int nodes = 0;
    for (Node n = process.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && !NOT_DRAWN.contains(e.getLocalName())) {
        assertThat(shapes)
            .as("shape of %s '%s'", e.getLocalName(), e.getAttribute("id"))
            .contains(e.getAttribute("id"));
        nodes++;
      }
    }
    assertThat(nodes).isGreaterThan(8);
    NodeList flows = doc.getElementsByTagNameNS(BPMN, "sequenceFlow");
    for (int i = 0; i < flows.getLength(); i++) {
      String id = ((Element) flows.item(i)).getAttribute("id");
      assertThat(edges).as("edge of sequence flow '%s'", id).contains(id);
    }
    NodeList lanes = doc.getElementsByTagNameNS(BPMN, "lane");
    assertThat(lanes.getLength()).isGreaterThanOrEqualTo(3);
    for (int i = 0; i < lanes.getLength(); i++) {
      assertThat(shapes).contains(((Element) lanes.item(i)).getAttribute("id"));
    }
  }

  private static Set<String> refs(Document doc, String tag) {
    Set<String> out = new HashSet<>();
    NodeList l = doc.getElementsByTagNameNS(BPMNDI, tag);
    for (int i = 0; i < l.getLength(); i++) {
      out.add(((Element) l.item(i)).getAttribute("bpmnElement"));
    }
    return out;
  }
}
