package io.cob.bench.failover;

import java.util.ArrayList;
import java.util.List;

/**
 * The process of the FAILOVER workload: start, {@value #STEPS} HTTP steps on the owner's cloud (the
 * default placement: the steps name no cloud), end. Each step calls the {@link StepService}.
 */
final class Model {
  static final String PROCESS_ID = "failover";
  static final int STEPS = 5;

  private Model() {}

  static List<String> steps() {
    List<String> steps = new ArrayList<>();
    for (int i = 1; i <= STEPS; i++) {
      steps.add("s" + i);
    }
    return steps;
  }

  static String bpmn(StepService service) {
    StringBuilder p = new StringBuilder();
    p.append("    <startEvent id=\"start\"/>\n");
    String previous = "start";
    for (String step : steps()) {
      // The first step is held until every start is answered, longer than the connector's default
      // 30 s answer timeout may be on a busy machine.
      p.append("    <serviceTask id=\"")
          .append(step)
          .append("\"><extensionElements><zeebe:taskDefinition type=\"http\"/><zeebe:taskHeaders>")
          .append("<zeebe:header key=\"url\" value=\"")
          .append(service.url(step))
          .append("\"/><zeebe:header key=\"method\" value=\"POST\"/>")
          .append("<zeebe:header key=\"timeout\" value=\"PT10M\"/>")
          .append("</zeebe:taskHeaders></extensionElements></serviceTask>\n");
      flow(p, previous, step);
      previous = step;
    }
    p.append("    <endEvent id=\"end\"/>\n");
    flow(p, previous, "end");
    return """
        <?xml version="1.0" encoding="UTF-8"?>
        <definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"
            xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"
            id="bench-failover" targetNamespace="urn:cob:bench">
          <process id="%s" isExecutable="true">
        %s  </process>
        </definitions>
        """
        .formatted(PROCESS_ID, p);
  }

  private static void flow(StringBuilder p, String from, String to) {
    p.append("    <sequenceFlow id=\"")
        .append(from)
        .append("_")
        .append(to)
        .append("\" sourceRef=\"")
        .append(from)
        .append("\" targetRef=\"")
        .append(to)
        .append("\"/>\n");
  }
}
