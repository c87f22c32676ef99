package io.cob.model.parse;

import java.util.HashSet;
import java.util.Set;

/**
 * Which BPMN elements may appear where. Anything in the BPMN namespace that is not listed for a
 * position is reported as unsupported: a model must never run with part of it silently dropped.
 */
final class BpmnVocabulary {

  /** Flow nodes cob can run. */
  static final Set<String> FLOW_NODES =
      Set.of(
          "startEvent",
          "endEvent",
          "intermediateCatchEvent",
          "intermediateThrowEvent",
          "boundaryEvent",
          "task",
          "manualTask",
          "serviceTask",
          "sendTask",
          "businessRuleTask",
          "scriptTask",
          "receiveTask",
          "userTask",
          "subProcess",
          "callActivity",
          "exclusiveGateway",
          "inclusiveGateway",
          "parallelGateway",
          "eventBasedGateway");

  /** Inside a process or subProcess: accepted, and without effect on execution. */
  static final Set<String> SCOPE_IGNORED =
      Set.of(
          "documentation",
          "extensionElements",
          "textAnnotation",
          "association",
          "dataObject",
          "dataObjectReference",
          "dataStoreReference",
          "ioSpecification",
          "property",
          "group",
          "auditing",
          "monitoring",
          "supports");

  /** Inside any flow node: accepted, and without effect on execution. */
  static final Set<String> NODE_IGNORED =
      Set.of(
          "incoming",
          "outgoing",
          "documentation",
          "extensionElements",
          "ioSpecification",
          "property",
          "dataInputAssociation",
          "dataOutputAssociation",
          "dataInput",
          "dataOutput",
          "inputSet",
          "outputSet",
          "auditing",
          "monitoring");

  /** Every BPMN event definition, so that an unsupported one can be named. */
  static final Set<String> EVENT_DEFINITIONS =
      Set.of(
          "messageEventDefinition",
          "timerEventDefinition",
          "errorEventDefinition",
          "terminateEventDefinition",
          "signalEventDefinition",
          "escalationEventDefinition",
          "compensateEventDefinition",
          "conditionalEventDefinition",
          "linkEventDefinition",
          "cancelEventDefinition",
          "eventDefinitionRef");

  static final Set<String> LOOPS =
      Set.of("multiInstanceLoopCharacteristics", "standardLoopCharacteristics");

  /** Directly inside {@code <definitions>}: accepted, and without effect on execution. */
  static final Set<String> DEFINITIONS_IGNORED =
      Set.of(
          "documentation",
          "extensionElements",
          "import",
          "itemDefinition",
          "signal",
          "escalation",
          "category",
          "dataStore",
          "interface",
          "resource",
          "correlationProperty",
          "partnerEntity",
          "partnerRole",
          "endPoint",
          "textAnnotation",
          "association",
          "group");

  /** Directly inside {@code <collaboration>}: accepted, and without effect on execution. */
  static final Set<String> COLLABORATION_IGNORED =
      Set.of(
          "documentation",
          "extensionElements",
          "textAnnotation",
          "association",
          "group",
          "correlationKey",
          "participantAssociation",
          "messageFlowAssociation");

  private BpmnVocabulary() {}

  static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> s = new HashSet<>(a);
    s.addAll(b);
    return Set.copyOf(s);
  }

  /**
   * Reports every child of {@code element} in the BPMN namespace that is not in {@code allowed},
   * and every non-extension child in cob's namespace (ours, so a typo there is an error, whereas
   * other vendors' elements are ignored).
   *
   * @param subject where problems are reported
   */
  static void rejectUnknownChildren(
      ParseContext ctx, XmlElement subject, XmlElement element, Set<String> allowed) {
    for (XmlElement child : element.children()) {
      if (child.isBpmn() && !allowed.contains(child.localName())) {
        ctx.problem(subject, "unsupported element <" + child.localName() + ">");
      } else if (child.namespace().equals(Namespaces.COB)) {
        ctx.problem(
            subject,
            "unknown element <cob:"
                + child.localName()
                + "> (cob extensions belong in <extensionElements>)");
      }
    }
  }
}
