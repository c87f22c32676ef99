package io.cob.model.parse;

import static io.cob.model.parse.TestBpmn.onlyProblem;
import static io.cob.model.parse.TestBpmn.problems;
import static io.cob.model.parse.TestBpmn.process;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import io.cob.model.BpmnValidationException;
import io.cob.model.Problem;
import io.cob.model.SourceLocation;
import io.cob.model.expr.StandardExpressionEvaluator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RejectsBadInputTest {
  private static final String START = "<bpmn:startEvent id=\"s\"/>\n";
  private static final String SECRET = "TOP-SECRET-4711";

  @Test
  void shouldReportMalformedXmlAtTheParsersPosition() {
    Problem problem = onlyProblem(process(START + "<bpmn:task id=\"t\">"));

    assertThat(problem.location()).isEqualTo(new SourceLocation("test.bpmn", 5, 3));
    assertThat(problem.elementId()).isNull();
    assertThat(problem.tag()).isNull();
    assertThat(problem.message())
        .isEqualTo(
            "malformed XML: The element type \"bpmn:task\" must be terminated by the matching"
                + " end-tag \"</bpmn:task>\".");
  }

  @Test
  void shouldReportEmptyDocument() {
    assertThat(onlyProblem("").message()).isEqualTo("malformed XML: Premature end of file.");
  }

  @Test
  void shouldRejectDoctypeWithoutResolvingEntities(@TempDir Path dir) throws IOException {
    Path secret = dir.resolve("secret.txt");
    Files.writeString(secret, SECRET);
    String xml =
        "<?xml version=\"1.0\"?>\n"
            + "<!DOCTYPE bpmn:definitions [ <!ENTITY xxe SYSTEM \""
            + secret.toUri()
            + "\"> ]>\n"
            + "<bpmn:definitions "
            + TestBpmn.NAMESPACES
            + " id=\"&xxe;\">\n"
            + "<bpmn:process id=\"p\"><bpmn:startEvent id=\"s\" name=\"&xxe;\"/>"
            + "<bpmn:documentation>&xxe;</bpmn:documentation></bpmn:process>\n"
            + "</bpmn:definitions>\n";

    List<Problem> found = problems(xml);

    assertThat(found)
        .containsExactly(
            new Problem(
                new SourceLocation("test.bpmn", 2, 1),
                null,
                null,
                "DTDs and external entities are not allowed"));
    assertThatThrownBy(() -> TestBpmn.parse(xml))
        .isInstanceOf(BpmnValidationException.class)
        .hasMessage(
            "test.bpmn:2:1: element '' (<document>): DTDs and external entities are not allowed")
        .hasMessageNotContaining(SECRET);
  }

  @Test
  void shouldRejectExternalDtdAndParameterEntities(@TempDir Path dir) throws IOException {
    Path secret = dir.resolve("secret.dtd");
    Files.writeString(secret, "<!ENTITY leak \"" + SECRET + "\">");
    String external =
        "<!DOCTYPE definitions SYSTEM \""
            + secret.toUri()
            + "\">\n"
            + "<definitions"
            + " xmlns=\"http://www.omg.org/spec/BPMN/20100524/MODEL\">&leak;</definitions>";
    String parameter =
        "<!DOCTYPE definitions [ <!ENTITY % p SYSTEM \""
            + secret.toUri()
            + "\"> %p; ]>\n"
            + "<definitions"
            + " xmlns=\"http://www.omg.org/spec/BPMN/20100524/MODEL\">&leak;</definitions>";

    for (String xml : List.of(external, parameter)) {
      List<Problem> found = problems(xml);
      assertThat(found)
          .extracting(Problem::toString)
          .containsExactly(
              "test.bpmn:1:1: element '' (<document>): DTDs and external entities are not allowed");
    }
  }

  @Test
  void shouldRejectEntityExpansionBombQuickly() {
    StringBuilder dtd = new StringBuilder("<!DOCTYPE lolz [ <!ENTITY lol0 \"lol\">");
    for (int i = 1; i < 10; i++) {
      dtd.append("<!ENTITY lol")
          .append(i)
          .append(" \"")
          .append(("&lol" + (i - 1) + ";").repeat(10))
          .append("\">");
    }
    String xml = dtd + "]>\n<lolz>&lol9;</lolz>";

    List<Problem> found =
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
            Duration.ofSeconds(5), () -> problems(xml));
    assertThat(found)
        .extracting(Problem::message)
        .containsExactly("DTDs and external entities are not allowed");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "complexGateway",
        "transaction",
        "adHocSubProcess",
        "callChoreography",
        "implicitThrowEvent"
      })
  void shouldReportUnsupportedElementWithLocationIdAndTag(String tag) {
    Problem problem =
        onlyProblem(process(START + "<bpmn:task id=\"t\"/>\n  <bpmn:" + tag + " id=\"x\"/>"));

    assertThat(problem.toString())
        .isEqualTo("test.bpmn:5:3: element 'x' (<" + tag + ">): unsupported element <" + tag + ">");
  }

  @Test
  void shouldReportUnsupportedElementsInsideSubProcessesAndAtDocumentLevel() {
    var found =
        problems(
            process(
                START
                    + """
                    <bpmn:subProcess id="sp">
                      <bpmn:startEvent id="in"/>
                      <bpmn:complexGateway id="cg"/>
                    </bpmn:subProcess>\
                    """,
                "<bpmn:choreography id=\"ch\"/>\n"
                    + "<bpmn:collaboration id=\"c\"><bpmn:conversation"
                    + " id=\"cv\"/></bpmn:collaboration>"));

    assertThat(found)
        .extracting(Problem::toString)
        .containsExactly(
            "test.bpmn:6:3: element 'cg' (<complexGateway>): unsupported element <complexGateway>",
            "test.bpmn:9:1: element 'ch' (<choreography>): unsupported element <choreography>",
            "test.bpmn:10:28: element 'cv' (<conversation>): unsupported element <conversation>");
  }

  @Test
  void shouldReportDanglingMessageRefAtTheReferencingElement() {
    Problem problem =
        onlyProblem(
            process(
                START
                    + """
                    <bpmn:intermediateCatchEvent id="wait">
                      <bpmn:messageEventDefinition id="med" messageRef="tns:m9"/>
                    </bpmn:intermediateCatchEvent>\
                    """,
                "<bpmn:message id=\"m1\" name=\"one\"/>"));

    assertThat(problem.toString())
        .isEqualTo(
            "test.bpmn:4:1: element 'wait' (<intermediateCatchEvent>): messageRef 'm9' does not"
                + " resolve to a <message>");
  }

  @Test
  void shouldRejectOversizedDocumentWithoutParsingIt() {
    byte[] huge = new byte[50 * 1024 * 1024];
    Arrays.fill(huge, (byte) ' ');
    byte[] head = process(START).getBytes(StandardCharsets.UTF_8);
    System.arraycopy(head, 0, huge, 0, head.length);
    huge[huge.length - 1] = '<'; // Malformed, so any attempt to parse would report something else.

    List<Problem> found =
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
            Duration.ofSeconds(2), () -> TestBpmn.PARSER.validate("huge.bpmn", huge));

    assertThat(found)
        .extracting(Problem::toString)
        .containsExactly(
            "huge.bpmn:1:1: element '' (<document>): document is 52428800 bytes, over the limit of"
                + " 10485760 bytes");
  }

  @Test
  void shouldApplyAConfiguredSizeLimit() {
    BpmnParser small = new BpmnParser(new StandardExpressionEvaluator(), 100);
    byte[] doc = process(START).getBytes(StandardCharsets.UTF_8);

    assertThat(small.validate("x.bpmn", doc))
        .extracting(Problem::message)
        .containsExactly("document is " + doc.length + " bytes, over the limit of 100 bytes");
    assertThat(
            new BpmnParser(new StandardExpressionEvaluator(), doc.length).validate("x.bpmn", doc))
        .isEmpty();
  }

  @Test
  void shouldReportBrokenFeelNamingTheAttribute() {
    var found =
        problems(
            process(
                START
                    + """
                    <bpmn:sequenceFlow id="f" sourceRef="s" targetRef="t">
                      <bpmn:conditionExpression>=amount &gt;</bpmn:conditionExpression>
                    </bpmn:sequenceFlow>
                      <bpmn:serviceTask id="t"><bpmn:extensionElements>
                        <zeebe:taskDefinition type="work"/>
                        <zeebe:ioMapping><zeebe:input source="=[1, 2" target="xs"/></zeebe:ioMapping>
                      </bpmn:extensionElements></bpmn:serviceTask>\
                    """));

    assertThat(found)
        .extracting(
            p -> p.location().line(), p -> p.location().column(), Problem::elementId, Problem::tag)
        .containsExactly(tuple(4, 1, "f", "sequenceFlow"), tuple(7, 3, "t", "serviceTask"));
    assertThat(found.get(0).message())
        .startsWith("condition: FEEL expression 'amount >' is malformed: ");
    assertThat(found.get(1).message())
        .startsWith("input 'xs': FEEL expression '[1, 2' is malformed: ");
  }

  @Test
  void shouldReportBrokenJuelNamingTheAttribute() {
    var found =
        problems(
            process(
                START
                    + """
                    <bpmn:sequenceFlow id="f" sourceRef="s" targetRef="u">
                      <bpmn:conditionExpression>${amount &gt; }</bpmn:conditionExpression>
                    </bpmn:sequenceFlow>
                    <bpmn:userTask id="u" camunda:assignee="${owner(}"/>\
                    """));

    assertThat(found)
        .extracting(
            p -> p.location().line(), p -> p.location().column(), Problem::elementId, Problem::tag)
        .containsExactly(tuple(4, 1, "f", "sequenceFlow"), tuple(7, 1, "u", "userTask"));
    assertThat(found.get(0).message())
        .startsWith("condition: JUEL expression '${amount > }' is malformed: ");
    assertThat(found.get(1).message())
        .startsWith("assignee: JUEL expression '${owner(}' is malformed: ");
  }

  @Test
  void shouldReportDuplicateIdsAtTheSecondUse() {
    Problem problem = onlyProblem(process(START + "<bpmn:task id=\"t\"/>\n<bpmn:task id=\"t\"/>"));

    assertThat(problem.toString())
        .isEqualTo(
            "test.bpmn:5:1: element 't' (<task>): duplicate id 't' (first used at line 4, column"
                + " 1)");
  }

  @Test
  void shouldReportBytesThatAreNotValidUtf8() {
    // Latin-1 bytes in a document without encoding declaration, so read as UTF-8: the 0xE9 of
    // "café" is not a valid UTF-8 sequence.
    byte[] doc =
        process("<bpmn:startEvent id=\"s\" name=\"caf\u00e9\"/>")
            .getBytes(StandardCharsets.ISO_8859_1);

    assertThat(TestBpmn.PARSER.validate("latin.bpmn", doc))
        .extracting(Problem::toString)
        .containsExactly(
            "latin.bpmn:3:34: element '' (<document>): document is not valid UTF-8 text");
  }

  @Test
  void shouldDecodeDeclaredEncoding() {
    String xml =
        "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n"
            + process("<bpmn:startEvent id=\"s\" name=\"caf\u00e9\"/>");

    var doc = TestBpmn.PARSER.parse("latin.bpmn", xml.getBytes(StandardCharsets.ISO_8859_1));

    assertThat(doc.processes().getFirst().node("s").name()).isEqualTo("caf\u00e9");
    assertThat(doc.xml()).isEqualTo(xml);
  }

  @Test
  void shouldReportProcessWithoutStartEventButAcceptEmptyPoolsAndNonExecutableProcesses() {
    String xml =
        "<bpmn:definitions "
            + TestBpmn.NAMESPACES
            + ">\n"
            + "<bpmn:collaboration id=\"c\"><bpmn:participant id=\"pool\""
            + " processRef=\"empty\"/></bpmn:collaboration>\n"
            + "<bpmn:process id=\"empty\" isExecutable=\"true\"/>\n"
            + "<bpmn:process id=\"sketch\" isExecutable=\"false\"><bpmn:task"
            + " id=\"t1\"/></bpmn:process>\n"
            + "<bpmn:process id=\"startless\"><bpmn:task id=\"t2\"/></bpmn:process>\n"
            + "</bpmn:definitions>";

    assertThat(problems(xml))
        .extracting(Problem::toString)
        .containsExactly(
            "test.bpmn:5:1: element 'startless' (<process>): process 'startless' has no start"
                + " event");
  }

  @Test
  void shouldReportEveryProblemNotJustTheFirst() {
    String xml =
        process(
            START
                + """
                <bpmn:complexGateway id="cg"/>
                <bpmn:serviceTask id="t"/>
                <bpmn:receiveTask id="r" messageRef="nope"/>
                <bpmn:sequenceFlow id="f" sourceRef="t" targetRef="ghost"/>\
                """);

    assertThatThrownBy(() -> TestBpmn.parse(xml))
        .isInstanceOfSatisfying(
            BpmnValidationException.class,
            e -> {
              assertThat(e.problems())
                  .extracting(Problem::elementId)
                  .containsExactly("cg", "t", "r", "f");
              assertThat(e.getMessage().lines()).hasSize(4);
            });
  }

  @Test
  void shouldReportWrongRootElementAndUnknownEncoding() {
    assertThat(onlyProblem("<html/>").message())
        .isEqualTo(
            "the root element must be <definitions> in namespace "
                + "http://www.omg.org/spec/BPMN/20100524/MODEL, not <html> without namespace");
    assertThat(onlyProblem("<?xml version=\"1.0\" encoding=\"klingon\"?><a/>").message())
        .isEqualTo("unsupported encoding 'klingon'");
  }
}
