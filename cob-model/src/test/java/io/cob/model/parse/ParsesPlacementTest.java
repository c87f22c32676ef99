package io.cob.model.parse;

import static io.cob.model.parse.TestBpmn.onlyProblem;
import static io.cob.model.parse.TestBpmn.parseProcess;
import static io.cob.model.parse.TestBpmn.problems;
import static io.cob.model.parse.TestBpmn.process;
import static org.assertj.core.api.Assertions.assertThat;

import io.cob.model.PlacementPolicy;
import io.cob.model.PlacementRule;
import io.cob.model.PlacementRule.FixedCloud;
import io.cob.model.PlacementRule.LaneName;
import io.cob.model.PlacementRule.Policy;
import io.cob.model.Problem;
import io.cob.model.ProcessDefinition;
import io.cob.model.SourceLocation;
import org.junit.jupiter.api.Test;

class ParsesPlacementTest {

  @Test
  void shouldReportAnUnknownPreferenceWithTheElementsLocation() {
    Problem problem =
        onlyProblem(
            process(
                "<bpmn:startEvent id=\"s\"/>\n"
                    + "  <bpmn:serviceTask id=\"X\" cob:placement=\"jurisdiction=eu; prefer=fastest\""
                    + " cob:type=\"t\"/>"));

    assertThat(problem.toString())
        .isEqualTo(
            "test.bpmn:4:3: element 'X' (<serviceTask>): cob:placement: unknown preference"
                + " 'fastest' (use cheapest, most-available or nearest)");
  }

  @Test
  void shouldReportMalformedPoliciesOnLanesAndProcessesAndBadCloudNames() {
    String xml =
        "<bpmn:definitions "
            + TestBpmn.NAMESPACES
            + " id=\"defs\">\n"
            + "<bpmn:process id=\"p\" isExecutable=\"true\" cob:placement=\"availability>=high\">\n"
            + "<bpmn:laneSet id=\"ls\">\n"
            + "  <bpmn:lane id=\"l1\" name=\"public-a\" cob:placement=\"color=red\">"
            + "<bpmn:flowNodeRef>s</bpmn:flowNodeRef></bpmn:lane>\n"
            + "</bpmn:laneSet>\n"
            + "<bpmn:startEvent id=\"s\" cob:cloud=\" \"/>\n"
            + "<bpmn:endEvent id=\"e\" cob:cloud=\"=region\"/>\n"
            + "<bpmn:sequenceFlow id=\"f\" sourceRef=\"s\" targetRef=\"e\"/>\n"
            + "</bpmn:process>\n"
            + "</bpmn:definitions>\n";

    assertThat(problems(xml))
        .extracting(Problem::toString)
        .containsExactlyInAnyOrder(
            "test.bpmn:2:1: element 'p' (<process>): cob:placement: availability needs a number,"
                + " not 'high'",
            "test.bpmn:4:3: element 'l1' (<lane>): cob:placement: unknown attribute 'color' (use"
                + " name, provider, region, jurisdiction, availability or costPerStep)",
            "test.bpmn:6:1: element 's' (<startEvent>): cob:cloud is empty; name a cloud or leave"
                + " the attribute out",
            "test.bpmn:7:1: element 'e' (<endEvent>): cob:cloud names a cloud; an expression"
                + " ('=region') is not supported");
  }

  @Test
  void shouldCollectPlacementSourcesMostSpecificFirst() {
    ProcessDefinition p =
        parseProcess(
            "<bpmn:definitions "
                + TestBpmn.NAMESPACES
                + " id=\"defs\">\n"
                + "<bpmn:process id=\"p\" isExecutable=\"true\" cob:cloud=\"private\""
                + " cob:placement=\"prefer=nearest\">\n"
                + "<bpmn:laneSet id=\"ls\">\n"
                + "  <bpmn:lane id=\"all\" name=\"Company\">"
                + "<bpmn:flowNodeRef>s</bpmn:flowNodeRef><bpmn:flowNodeRef>sub</bpmn:flowNodeRef>"
                + "<bpmn:flowNodeRef>t</bpmn:flowNodeRef>\n"
                + "    <bpmn:childLaneSet id=\"cls\"><bpmn:lane id=\"pa\" name=\" public-a \""
                + " cob:placement=\"jurisdiction=eu\"><bpmn:flowNodeRef>sub</bpmn:flowNodeRef>"
                + "<bpmn:flowNodeRef>t</bpmn:flowNodeRef></bpmn:lane></bpmn:childLaneSet>\n"
                + "  </bpmn:lane>\n"
                + "</bpmn:laneSet>\n"
                + "<bpmn:startEvent id=\"s\"/>\n"
                + "<bpmn:subProcess id=\"sub\" cob:placement=\"prefer=cheapest\">\n"
                + "  <bpmn:startEvent id=\"ss\"/>\n"
                + "  <bpmn:serviceTask id=\"inner\" cob:type=\"x\" cob:cloud=\"public-b\""
                + " cob:placement=\"availability>=99\"/>\n"
                + "  <bpmn:sequenceFlow id=\"f1\" sourceRef=\"ss\" targetRef=\"inner\"/>\n"
                + "</bpmn:subProcess>\n"
                + "<bpmn:task id=\"t\"/>\n"
                + "<bpmn:sequenceFlow id=\"f2\" sourceRef=\"s\" targetRef=\"sub\"/>\n"
                + "<bpmn:sequenceFlow id=\"f3\" sourceRef=\"sub\" targetRef=\"t\"/>\n"
                + "</bpmn:process>\n"
                + "</bpmn:definitions>\n");

    assertThat(p.placementOf("inner").sources())
        .containsExactly(
            new FixedCloud("public-b", "cob:cloud of 'inner'"),
            new Policy(PlacementPolicy.parse("availability>=99"), "cob:placement of 'inner'"),
            new Policy(
                PlacementPolicy.parse("prefer=cheapest"), "cob:placement of subProcess 'sub'"),
            new LaneName("public-a", "lane 'public-a'"),
            new Policy(PlacementPolicy.parse("jurisdiction=eu"), "cob:placement of lane 'pa'"),
            new LaneName("Company", "lane 'Company'"),
            new FixedCloud("private", "cob:cloud of process 'p'"),
            new Policy(PlacementPolicy.parse("prefer=nearest"), "cob:placement of process 'p'"));
    assertThat(p.placementOf("s").sources())
        .extracting(PlacementRule.Source::origin)
        .containsExactly(
            "lane 'Company'", "cob:cloud of process 'p'", "cob:placement of process 'p'");
    assertThat(p.placementOf("inner").policies()).hasSize(4);
    assertThat(p.node("inner").header().location())
        .isEqualTo(new SourceLocation("test.bpmn", 11, 3));
  }

  @Test
  void shouldHaveNoPlacementWhereTheModelSaysNothing() {
    ProcessDefinition p =
        parseProcess(
            process(
                "<bpmn:startEvent id=\"s\"/><bpmn:endEvent id=\"e\"/>"
                    + "<bpmn:sequenceFlow id=\"f\" sourceRef=\"s\" targetRef=\"e\"/>"));

    assertThat(p.placementOf("s")).isEqualTo(PlacementRule.NONE);
    assertThat(p.placementOf("s").first()).isEmpty();
  }
}
