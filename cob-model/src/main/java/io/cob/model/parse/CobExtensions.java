package io.cob.model.parse;

import io.cob.model.PlacementPolicy;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Reads cob's own attributes ({@code urn:cob:bpmn:1}) and checks cob extension elements.
 *
 * <p>The placement attributes {@code cob:cloud} and {@code cob:placement} may be written on any
 * flow node, lane or process, and {@code cob:standby}, {@code cob:replication} and {@code
 * cob:residency} (about an instance as a whole) on a process or its pool; they end up, without
 * prefix, in the element's extensions map. Other cob attributes and elements have a meaning only on
 * some elements (listed in the {@link Vocabulary} constants); written anywhere else, or misspelled,
 * they are problems: cob's namespace is ours, so an unknown name there is a mistake rather than
 * another vendor's feature. A {@code cob:placement} must be a valid {@link PlacementPolicy} and a
 * {@code cob:cloud} a plain name; otherwise the element gets a problem.
 */
final class CobExtensions {
  /** The keys copied into extension maps. */
  static final Set<String> PLACEMENT =
      Set.of("cloud", "placement", "standby", "residency", "replication");

  /** Of those, the ones about an instance as a whole: meaningful on a process or its pool only. */
  static final Set<String> WHOLE_INSTANCE = Set.of("standby", "replication", "residency");

  /** The cob attributes and extension elements meaningful on one kind of element. */
  record Vocabulary(Set<String> attributes, Set<String> elements) {
    Vocabulary plus(Vocabulary other) {
      return new Vocabulary(
          BpmnVocabulary.union(attributes, other.attributes),
          BpmnVocabulary.union(elements, other.elements));
    }
  }

  static final Vocabulary NONE = new Vocabulary(Set.of(), Set.of());
  static final Vocabulary IO = new Vocabulary(Set.of(), Set.of("ioMapping", "input", "output"));
  static final Vocabulary JOB =
      new Vocabulary(Set.of("type", "retries"), Set.of("taskDefinition", "taskHeaders", "header"));
  static final Vocabulary USER_TASK =
      new Vocabulary(
          Set.of("assignee", "candidateGroups", "candidateUsers", "formKey", "dueDate"), Set.of());
  static final Vocabulary CALL_ACTIVITY =
      new Vocabulary(
          Set.of("calledElement", "propagateAllChildVariables", "propagateAllParentVariables"),
          Set.of());
  static final Vocabulary MESSAGE =
      new Vocabulary(Set.of("correlationKey"), Set.of("subscription"));
  static final Vocabulary LOOP = new Vocabulary(Set.of(), Set.of("loopCharacteristics"));

  private final ParseContext ctx;

  CobExtensions(ParseContext ctx) {
    this.ctx = ctx;
  }

  /**
   * Returns the placement extensions of an element and reports any cob attribute or extension
   * element that has no meaning on it.
   */
  Map<String, String> read(XmlElement element, Vocabulary meaningful) {
    return read(element, element, meaningful);
  }

  /** As {@link #read(XmlElement, Vocabulary)}, reporting at {@code subject}. */
  Map<String, String> read(XmlElement subject, XmlElement element, Vocabulary meaningful) {
    Map<String, String> result = new LinkedHashMap<>();
    Set<String> reported = new HashSet<>();
    element
        .attributesIn(Namespaces.COB)
        .forEach(
            (name, value) -> {
              if (WHOLE_INSTANCE.contains(name)
                  && !element.localName().equals("process")
                  && !element.localName().equals("participant")) {
                ctx.problem(
                    subject,
                    "attribute cob:"
                        + name
                        + " has no meaning on <"
                        + element.localName()
                        + ">: an instance is replicated as a whole; write it on the process or"
                        + " its pool");
              } else if (PLACEMENT.contains(name)) {
                checkPlacement(subject, name, value);
                result.put(name, value);
              } else if (!meaningful.attributes().contains(name)) {
                ctx.problem(
                    subject,
                    "attribute cob:" + name + " has no meaning on <" + element.localName() + ">");
              }
            });
    for (XmlElement ext : element.extensionElements()) {
      if (ext.namespace().equals(Namespaces.COB)
          && !meaningful.elements().contains(ext.localName())
          && reported.add(ext.localName())) {
        ctx.problem(
            subject,
            "extension element <cob:"
                + ext.localName()
                + "> has no meaning on <"
                + element.localName()
                + ">");
      }
    }
    return result;
  }

  /**
   * A cloud name must be a plain name, and a policy must parse ({@link PlacementPolicy}); whether
   * the cloud exists is known only to the engine, when it places the step.
   */
  private void checkPlacement(XmlElement subject, String name, String value) {
    switch (name) {
      case "cloud" -> {
        if (value.isBlank()) {
          ctx.problem(subject, "cob:cloud is empty; name a cloud or leave the attribute out");
        } else if (value.strip().startsWith("=")) {
          ctx.problem(
              subject, "cob:cloud names a cloud; an expression ('" + value + "') is not supported");
        }
      }
      case "placement" -> {
        try {
          PlacementPolicy.parse(value);
        } catch (IllegalArgumentException e) {
          ctx.problem(subject, "cob:placement: " + e.getMessage());
        }
      }
      case "residency" -> {
        try {
          io.cob.model.ProcessDefinition.parseResidency(value);
        } catch (IllegalArgumentException e) {
          ctx.problem(subject, "cob:residency: " + e.getMessage());
        }
      }
      case "standby" -> {
        try {
          if (io.cob.model.ProcessDefinition.isPolicy(value)) {
            PlacementPolicy.parse(value);
          } else {
            io.cob.model.ProcessDefinition.parseStandby(value);
          }
        } catch (IllegalArgumentException e) {
          ctx.problem(subject, "cob:standby: " + e.getMessage());
        }
      }
      case "replication" -> {
        try {
          io.cob.model.ProcessDefinition.parseReplication(value);
        } catch (IllegalArgumentException e) {
          ctx.problem(subject, "cob:replication: " + e.getMessage());
        }
      }
      default -> throw new IllegalStateException("no check for cob:" + name);
    }
  }
}
