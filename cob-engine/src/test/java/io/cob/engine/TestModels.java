package io.cob.engine;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes BPMN documents for tests compactly: the flow nodes as XML, the sequence flows as {@code
 * "a->b"} or {@code "a->b if =x > 1"} (FEEL or {@code ${...}} conditions). A flow gets the id
 * {@code a_b}. The default namespace is BPMN; prefixes {@code zeebe}, {@code camunda} and {@code
 * cob} are declared.
 */
public final class TestModels {
  private static final Pattern FLOW =
      Pattern.compile("\\s*([\\w-]+)\\s*->\\s*([\\w-]+)\\s*(?:if\\s+(.+))?");

  private TestModels() {}

  public static String process(String id, String nodes, String... flows) {
    return definitions(processElement(id, nodes, flows));
  }

  public static String processElement(String id, String nodes, String... flows) {
    return "<process id=\""
        + id
        + "\" isExecutable=\"true\">\n"
        + nodes
        + "\n"
        + flows(flows)
        + "</process>\n";
  }

  public static String flows(String... flows) {
    StringBuilder sb = new StringBuilder();
    for (String f : flows) {
      Matcher m = FLOW.matcher(f);
      if (!m.matches()) {
        throw new IllegalArgumentException("flow '" + f + "' is not 'a->b' or 'a->b if condition'");
      }
      String fid = m.group(1) + "_" + m.group(2);
      sb.append("<sequenceFlow id=\"")
          .append(fid)
          .append("\" sourceRef=\"")
          .append(m.group(1))
          .append("\" targetRef=\"")
          .append(m.group(2))
          .append("\"");
      if (m.group(3) == null) {
        sb.append("/>\n");
      } else {
        sb.append("><conditionExpression>")
            .append(xmlEscape(m.group(3).strip()))
            .append("</conditionExpression></sequenceFlow>\n");
      }
    }
    return sb.toString();
  }

  public static String definitions(String content) {
    return """
        <?xml version="1.0" encoding="UTF-8"?>
        <definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"
            xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"
            xmlns:camunda="http://camunda.org/schema/1.0/bpmn"
            xmlns:cob="urn:cob:bpmn:1"
            id="defs" targetNamespace="urn:test">
        """
        + content
        + "</definitions>\n";
  }

  /** A service task with a job type. */
  public static String serviceTask(String id, String type) {
    return "<serviceTask id=\""
        + id
        + "\"><extensionElements><zeebe:taskDefinition type=\""
        + type
        + "\"/></extensionElements></serviceTask>\n";
  }

  public static String xmlEscape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
