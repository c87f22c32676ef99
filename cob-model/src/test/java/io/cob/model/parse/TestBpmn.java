package io.cob.model.parse;

import static org.assertj.core.api.Assertions.assertThat;

import io.cob.model.BpmnDocument;
import io.cob.model.FlowNode;
import io.cob.model.Problem;
import io.cob.model.ProcessDefinition;
import io.cob.model.expr.StandardExpressionEvaluator;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Builds small BPMN documents for tests and parses them with the real expression evaluator. */
final class TestBpmn {
  static final BpmnParser PARSER = new BpmnParser(new StandardExpressionEvaluator());

  /**
   * The namespace declarations every generated document has, on one line so that line numbers in
   * tests stay easy to count: line 1 is the {@code <definitions>} start tag, line 2 the {@code
   * <process>} start tag, and the body starts on line 3.
   */
  static final String NAMESPACES =
      "xmlns:bpmn=\"http://www.omg.org/spec/BPMN/20100524/MODEL\""
          + " xmlns:zeebe=\"http://camunda.org/schema/zeebe/1.0\""
          + " xmlns:camunda=\"http://camunda.org/schema/1.0/bpmn\""
          + " xmlns:cob=\"urn:cob:bpmn:1\""
          + " xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"";

  private TestBpmn() {}

  /** A document with one executable process {@code p}; {@code body} starts on line 3. */
  static String process(String body) {
    return "<bpmn:definitions "
        + NAMESPACES
        + " id=\"defs\">\n"
        + "<bpmn:process id=\"p\" isExecutable=\"true\">\n"
        + body
        + "\n</bpmn:process>\n"
        + "</bpmn:definitions>\n";
  }

  /**
   * A document with one process {@code p} and document-level definitions (messages, errors) after
   * it; {@code body} starts on line 3.
   */
  static String process(String body, String definitions) {
    return "<bpmn:definitions "
        + NAMESPACES
        + " id=\"defs\">\n"
        + "<bpmn:process id=\"p\" isExecutable=\"true\">\n"
        + body
        + "\n</bpmn:process>\n"
        + definitions
        + "\n</bpmn:definitions>\n";
  }

  static BpmnDocument parse(String xml) {
    return PARSER.parse("test.bpmn", xml.getBytes(StandardCharsets.UTF_8));
  }

  static ProcessDefinition parseProcess(String xml) {
    return parse(xml).processes().getFirst();
  }

  static List<Problem> problems(String xml) {
    return PARSER.validate("test.bpmn", xml.getBytes(StandardCharsets.UTF_8));
  }

  /** The problems of a document that must have exactly one. */
  static Problem onlyProblem(String xml) {
    List<Problem> problems = problems(xml);
    assertThat(problems).as("problems").hasSize(1);
    return problems.getFirst();
  }

  static <T extends FlowNode> T node(ProcessDefinition p, String id, Class<T> type) {
    return type.cast(p.node(id));
  }

  static byte[] resource(String name) {
    try (InputStream in = TestBpmn.class.getResourceAsStream("/bpmn/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no test resource bpmn/" + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
