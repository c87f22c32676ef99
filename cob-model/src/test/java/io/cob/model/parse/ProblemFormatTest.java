package io.cob.model.parse;

import static io.cob.model.parse.TestBpmn.onlyProblem;
import static io.cob.model.parse.TestBpmn.problems;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cob.model.BpmnValidationException;
import io.cob.model.Problem;
import io.cob.model.ProcessDefinition;
import io.cob.model.SourceLocation;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProblemFormatTest {

  @Test
  void shouldFormatElementProblemsAsFileLineColumnIdTagMessage() {
    Problem problem =
        onlyProblem(
            TestBpmn.process("<bpmn:startEvent id=\"s\"/>\n    <bpmn:serviceTask id=\"charge\"/>"));

    assertThat(problem)
        .isEqualTo(
            new Problem(
                new SourceLocation("test.bpmn", 4, 5),
                "charge",
                "serviceTask",
                "a <serviceTask> needs a job type (" + ActivityBuilder.JOB_TYPE_SOURCES + ")"));
    assertThat(problem.toString())
        .isEqualTo(
            "test.bpmn:4:5: element 'charge' (<serviceTask>): a <serviceTask> needs a job type"
                + " (zeebe:taskDefinition type, camunda:type=\"external\" with camunda:topic, or"
                + " cob:type)");
  }

  @Test
  void shouldFormatDocumentProblemsWithEmptyIdAndDocumentTag() {
    Problem problem = onlyProblem("<definitions");

    assertThat(problem.elementId()).isNull();
    assertThat(problem.tag()).isNull();
    assertThat(problem.toString())
        .startsWith("test.bpmn:1:13: element '' (<document>): malformed XML: ");
  }

  @Test
  void shouldFormatProblemsOfElementsWithoutIdWithEmptyId() {
    Problem problem =
        onlyProblem(
            TestBpmn.process("<bpmn:startEvent id=\"s\"/>\n<bpmn:task name=\"anonymous\"/>"));

    assertThat(problem.toString())
        .isEqualTo("test.bpmn:4:1: element '' (<task>): a <task> needs an id");
  }

  @Test
  void shouldUseTheFileNameAsGiven() {
    List<Problem> found =
        TestBpmn.PARSER.validate("models/order v2.bpmn", "<x".getBytes(StandardCharsets.UTF_8));

    assertThat(found.getFirst().toString()).startsWith("models/order v2.bpmn:1:");
  }

  @Test
  void shouldLocateTheStartTagOfAnElementWrittenOverSeveralLines() {
    String xml =
        TestBpmn.process(
            "<bpmn:startEvent id=\"s\"/>\n"
                + "  <bpmn:task id=\"t\"\n"
                + "      name=\"a &gt; b > c\"\n"
                + "      cob:bogus=\"1\">\n"
                + "  </bpmn:task>");

    assertThat(onlyProblem(xml).location()).isEqualTo(new SourceLocation("test.bpmn", 4, 3));
  }

  @Test
  void shouldLocateElementsOfTheParsedModelAtTheirStartTags() {
    ProcessDefinition p =
        TestBpmn.parseProcess(
            TestBpmn.process(
                "<bpmn:startEvent id=\"s\"/>\n"
                    + "\t<bpmn:task id=\"t\"/><bpmn:task\n id=\"u\"/>\n"
                    + "<bpmn:sequenceFlow id=\"f\" sourceRef=\"t\" targetRef=\"u\"/>"));

    assertThat(p.location()).isEqualTo(new SourceLocation("test.bpmn", 2, 1));
    assertThat(p.node("s").header().location()).isEqualTo(new SourceLocation("test.bpmn", 3, 1));
    assertThat(p.node("t").header().location()).isEqualTo(new SourceLocation("test.bpmn", 4, 2));
    assertThat(p.node("u").header().location()).isEqualTo(new SourceLocation("test.bpmn", 4, 21));
    assertThat(p.flow("f").location()).isEqualTo(new SourceLocation("test.bpmn", 6, 1));
  }

  @Test
  void shouldCountLinesOfWindowsLineEndings() {
    String xml =
        TestBpmn.process("<bpmn:startEvent id=\"s\"/>\n\n  <bpmn:sendTask id=\"t\"/>")
            .replace("\n", "\r\n");

    assertThat(onlyProblem(xml).location()).isEqualTo(new SourceLocation("test.bpmn", 5, 3));
  }

  @Test
  void shouldNotCountAByteOrderMarkAsAColumn() {
    byte[] body = "<html/>".getBytes(StandardCharsets.UTF_8);
    byte[] withBom = new byte[body.length + 3];
    withBom[0] = (byte) 0xEF;
    withBom[1] = (byte) 0xBB;
    withBom[2] = (byte) 0xBF;
    System.arraycopy(body, 0, withBom, 3, body.length);

    assertThat(TestBpmn.PARSER.validate("bom.bpmn", withBom).getFirst().location())
        .isEqualTo(new SourceLocation("bom.bpmn", 1, 1));
  }

  @Test
  void shouldLocateElementsInUtf16Documents() {
    String xml =
        "<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n"
            + TestBpmn.process(
                "<bpmn:startEvent id=\"s\"/>\n  <bpmn:sendTask id=\"t\" name=\"\u00fcber\"/>");

    List<Problem> found =
        TestBpmn.PARSER.validate("utf16.bpmn", xml.getBytes(StandardCharsets.UTF_16));

    assertThat(found)
        .extracting(Problem::toString)
        .singleElement()
        .asString()
        .startsWith("utf16.bpmn:5:3: element 't' (<sendTask>)");
  }

  @Test
  void shouldListProblemsInDocumentOrderWhateverPassFoundThem() {
    // The missing start event is found last (structure pass) but is written first.
    List<Problem> found =
        problems(TestBpmn.process("<bpmn:serviceTask id=\"t\"/>\n<bpmn:task id=\"t\"/>"));

    assertThat(found)
        .extracting(p -> p.location().line() + ":" + p.message())
        .containsExactly(
            "2:process 'p' has no start event",
            "3:a <serviceTask> needs a job type (" + ActivityBuilder.JOB_TYPE_SOURCES + ")",
            "4:duplicate id 't' (first used at line 3, column 1)");
  }

  @Test
  void shouldJoinAllProblemsInTheExceptionMessage() {
    String xml =
        TestBpmn.process(
            "<bpmn:startEvent id=\"s\"/>\n<bpmn:serviceTask id=\"a\"/>\n<bpmn:sendTask id=\"b\"/>");

    assertThatThrownBy(() -> TestBpmn.parse(xml))
        .isInstanceOf(BpmnValidationException.class)
        .hasMessage(
            "test.bpmn:4:1: element 'a' (<serviceTask>): a <serviceTask> needs a job type ("
                + ActivityBuilder.JOB_TYPE_SOURCES
                + ")\n"
                + "test.bpmn:5:1: element 'b' (<sendTask>): a <sendTask> needs a job type ("
                + ActivityBuilder.JOB_TYPE_SOURCES
                + ")");
  }
}
