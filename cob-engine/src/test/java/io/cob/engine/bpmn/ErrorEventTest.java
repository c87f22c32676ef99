package io.cob.engine.bpmn;

import static io.cob.engine.TestModels.definitions;
import static io.cob.engine.TestModels.processElement;
import static io.cob.engine.TestModels.serviceTask;
import static org.assertj.core.api.Assertions.assertThat;

import io.cob.engine.EngineHarness;
import io.cob.engine.EngineHarness.Instance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ErrorEventTest {
  @RegisterExtension final EngineHarness engine = new EngineHarness();

  /**
   * Five nested subprocesses; the job in the innermost throws. Level 2 holds an A-catching boundary
   * event of sub3, level 3 a B-catching one of sub4; the process one of sub1 for A.
   */
  private static String nested() {
    String body = serviceTask("work", "work");
    for (int level = 5; level >= 1; level--) {
      String inner = level == 5 ? "work" : "sub" + (level + 1);
      String extra =
          switch (level) {
            case 2 ->
                "<boundaryEvent id=\"catchA3\" attachedToRef=\"sub3\"><errorEventDefinition errorRef=\"errA\"/>"
                    + "</boundaryEvent><task id=\"handleA3\"/>"
                    + "<sequenceFlow id=\"h3\" sourceRef=\"catchA3\" targetRef=\"handleA3\"/>";
            case 3 ->
                "<boundaryEvent id=\"catchB4\" attachedToRef=\"sub4\"><errorEventDefinition errorRef=\"errB\"/>"
                    + "</boundaryEvent><endEvent id=\"eB4\"/>"
                    + "<sequenceFlow id=\"h4\" sourceRef=\"catchB4\" targetRef=\"eB4\"/>";
            default -> "";
          };
      body =
          "<subProcess id=\"sub"
              + level
              + "\"><startEvent id=\"s"
              + level
              + "\"/>"
              + body
              + extra
              + "<endEvent id=\"e"
              + level
              + "\"/>"
              + "<sequenceFlow id=\"in"
              + level
              + "\" sourceRef=\"s"
              + level
              + "\" targetRef=\""
              + inner
              + "\"/>"
              + "<sequenceFlow id=\"out"
              + level
              + "\" sourceRef=\""
              + inner
              + "\" targetRef=\"e"
              + level
              + "\"/></subProcess>\n";
    }
    return body;
  }

  private static final String MODEL =
      definitions(
          """
      <error id="errA" errorCode="A"/><error id="errB" errorCode="B"/>
      """
              + processElement(
                  "p",
                  "<startEvent id=\"s\"/>"
                      + nested()
                      + """
      <endEvent id="e"/>
      <boundaryEvent id="catchA1" attachedToRef="sub1"><errorEventDefinition errorRef="errA"/></boundaryEvent>
      <endEvent id="eA1"/>
      """,
                  "s->sub1",
                  "sub1->e",
                  "catchA1->eA1"));

  @Test
  void shouldCatchErrorFiveScopesDeepAtTheNearestMatchingBoundary() {
    engine.deploy(MODEL);
    Instance i = engine.start("p");
    assertThat(i.activeElements()).contains("sub1", "sub2", "sub3", "sub4", "sub5", "work");

    i.throwError("work", "A");

    // sub4 catches only B; sub3 is the nearest that catches A; sub1's boundary stays unused
    assertThat(i.completed()).contains("catchA3", "handleA3").doesNotContain("catchA1", "catchB4");
    assertThat(i.terminated()).containsExactly("work", "sub5", "sub4", "sub3");
    assertThat(i.activeElements()).doesNotContain("sub3");
    assertThat(i.status()).isEqualTo("COMPLETED");
  }

  @Test
  void shouldRaiseIncidentWhenNoBoundaryCatchesTheCode() {
    engine.deploy(MODEL);
    Instance i = engine.start("p");
    i.throwError("work", "Z");
    assertThat(i.status()).isEqualTo("ACTIVE");
    assertThat(i.incidents())
        .singleElement()
        .satisfies(
            inc -> {
              assertThat(inc.kind()).isEqualTo("UNHANDLED_ERROR");
              assertThat(inc.message()).contains("'Z'");
            });
  }

  @Test
  void shouldCatchErrorEndEventOfSubprocessAtItsBoundaryAndPreferExactCodeOverCatchAll() {
    engine.deploy(
        definitions(
            """
        <error id="err" errorCode="NOT_FOUND"/>
        """
                + processElement(
                    "p",
                    """
        <startEvent id="s"/>
        <subProcess id="sub"><startEvent id="ss"/><endEvent id="boom"><errorEventDefinition errorRef="err"/></endEvent>
          <sequenceFlow id="sf" sourceRef="ss" targetRef="boom"/></subProcess>
        <boundaryEvent id="any" attachedToRef="sub"><errorEventDefinition/></boundaryEvent>
        <boundaryEvent id="exact" attachedToRef="sub"><errorEventDefinition errorRef="err"/></boundaryEvent>
        <endEvent id="e"/><endEvent id="eAny"/><endEvent id="eExact"/>
        """,
                    "s->sub",
                    "sub->e",
                    "any->eAny",
                    "exact->eExact")));
    Instance i = engine.start("p");
    assertThat(i.status()).isEqualTo("COMPLETED");
    assertThat(i.completed()).contains("exact", "eExact").doesNotContain("any", "e");
  }
}
