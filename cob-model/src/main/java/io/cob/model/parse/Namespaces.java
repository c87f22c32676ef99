package io.cob.model.parse;

import java.util.Set;

/**
 * The XML namespaces the parser recognises. Elements and attributes are always matched by namespace
 * URI, never by prefix: {@code bpmn:}, {@code bpmn2:} and a default namespace all occur in real
 * models.
 */
final class Namespaces {
  /** The BPMN 2.0 model namespace. */
  static final String BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL";

  /** Diagram interchange namespaces: their content is accepted and ignored. */
  static final String BPMNDI = "http://www.omg.org/spec/BPMN/20100524/DI";

  static final String DC = "http://www.omg.org/spec/DD/20100524/DC";
  static final String DI = "http://www.omg.org/spec/DD/20100524/DI";

  /** cob's own extension namespace; unknown names in it are problems, not ignored. */
  static final String COB = "urn:cob:bpmn:1";

  /** Camunda 8 (Zeebe) extensions. */
  static final String ZEEBE = "http://camunda.org/schema/zeebe/1.0";

  /** Camunda 7 extensions. */
  static final String CAMUNDA = "http://camunda.org/schema/1.0/bpmn";

  /** Flowable extensions; read like Camunda 7 where the attribute names agree. */
  static final String FLOWABLE = "http://flowable.org/bpmn";

  /** Activiti extensions; read like Camunda 7 where the attribute names agree. */
  static final String ACTIVITI = "http://activiti.org/bpmn";

  /**
   * The "classic" engines share Camunda 7's attribute vocabulary ({@code class}, {@code assignee},
   * {@code collection}...), so they are read through one code path.
   */
  static final Set<String> CLASSIC = Set.of(CAMUNDA, FLOWABLE, ACTIVITI);

  static final Set<String> DIAGRAM = Set.of(BPMNDI, DC, DI);

  private Namespaces() {}

  /** A short prefix for messages, so that problems read like the XML the user wrote. */
  static String prefixFor(String namespace) {
    return switch (namespace) {
      case BPMN -> "bpmn";
      case COB -> "cob";
      case ZEEBE -> "zeebe";
      case CAMUNDA -> "camunda";
      case FLOWABLE -> "flowable";
      case ACTIVITI -> "activiti";
      default -> "";
    };
  }
}
