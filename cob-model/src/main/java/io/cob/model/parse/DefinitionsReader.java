package io.cob.model.parse;

import io.cob.model.Collaboration;
import io.cob.model.Expression;
import io.cob.model.MessageRef;
import io.cob.model.ProcessDefinition;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a {@code <definitions>} element: first the document-level {@code <message>} and {@code
 * <error>} definitions and the ids, then every process and collaboration. Diagram (DI) content and
 * other vendors' elements are ignored; unknown BPMN elements are reported.
 */
final class DefinitionsReader {
  /** What a document contains. */
  record Contents(List<ProcessDefinition> processes, List<Collaboration> collaborations) {}

  private final ParseContext ctx;
  private final CobExtensions cob;
  private final ProcessReader processes;

  DefinitionsReader(ParseContext ctx, CobExtensions cob, ProcessReader processes) {
    this.ctx = ctx;
    this.cob = cob;
    this.processes = processes;
  }

  Contents read(XmlElement root) {
    if (!root.isBpmn("definitions")) {
      ctx.problem(
          root,
          "the root element must be <definitions> in namespace "
              + Namespaces.BPMN
              + ", not <"
              + root.localName()
              + ">"
              + (root.namespace().isEmpty()
                  ? " without namespace"
                  : " in namespace " + root.namespace()));
      return new Contents(List.of(), List.of());
    }
    StructureValidator.checkIds(ctx, root);
    for (XmlElement child : root.children(Namespaces.BPMN, "message")) {
      message(child);
    }
    for (XmlElement child : root.children(Namespaces.BPMN, "error")) {
      error(child);
    }
    Map<String, Map<String, String>> pools = poolExtensions(root);

    List<ProcessDefinition> processList = new ArrayList<>();
    List<Collaboration> collaborations = new ArrayList<>();
    Set<String> processIds = new HashSet<>();
    root.children(Namespaces.BPMN, "process").forEach(p -> processIds.add(p.id()));
    for (XmlElement child : root.children()) {
      if (!child.isBpmn()) {
        if (child.namespace().equals(Namespaces.COB)) {
          ctx.problem(root, "unknown element <cob:" + child.localName() + ">");
        }
        continue;
      }
      switch (child.localName()) {
        case "process" -> processList.add(processes.read(child, pools.get(child.id())));
        case "collaboration" -> collaborations.add(collaboration(child, processIds));
        case "message", "error" -> {
          // Read above: flow elements refer to them.
        }
        default -> {
          if (!BpmnVocabulary.DEFINITIONS_IGNORED.contains(child.localName())) {
            ctx.problem(child, "unsupported element <" + child.localName() + ">");
          }
        }
      }
    }
    return new Contents(processList, collaborations);
  }

  /**
   * A message's name may be an expression; its correlation key comes from {@code zeebe:subscription
   * correlationKey}, {@code <cob:subscription correlationKey>} or the {@code cob:correlationKey}
   * attribute, later overriding earlier.
   */
  private void message(XmlElement m) {
    cob.read(m, CobExtensions.MESSAGE);
    if (ParseContext.isBlank(m.id())) {
      ctx.problem(m, "a <message> needs an id");
      return;
    }
    String key = null;
    XmlElement zeebe = m.extension(Namespaces.ZEEBE, "subscription");
    if (zeebe != null) {
      key = zeebe.attr("correlationKey");
    }
    XmlElement cobSub = m.extension(Namespaces.COB, "subscription");
    if (cobSub != null && cobSub.attr("correlationKey") != null) {
      key = cobSub.attr("correlationKey");
    }
    if (m.attr(Namespaces.COB, "correlationKey") != null) {
      key = m.attr(Namespaces.COB, "correlationKey");
    }
    String name = m.attr("name");
    Expression nameExpr = ParseContext.isBlank(name) ? null : ctx.expression(m, "name", name);
    Expression keyExpr =
        ParseContext.isBlank(key) ? null : ctx.expression(m, "correlationKey", key);
    ctx.defineMessage(new MessageRef(m.id(), nameExpr, keyExpr));
  }

  private void error(XmlElement e) {
    cob.read(e, CobExtensions.NONE);
    if (ParseContext.isBlank(e.id())) {
      ctx.problem(e, "an <error> needs an id");
      return;
    }
    ctx.defineError(new ParseContext.ErrorDef(e.id(), e.attr("name"), e.attr("errorCode")));
  }

  /** Placement attributes written on pools, by the id of the process each pool shows. */
  private Map<String, Map<String, String>> poolExtensions(XmlElement root) {
    Map<String, Map<String, String>> result = new HashMap<>();
    for (XmlElement c : root.children(Namespaces.BPMN, "collaboration")) {
      for (XmlElement p : c.children(Namespaces.BPMN, "participant")) {
        Map<String, String> placement = cob.read(p, CobExtensions.NONE);
        String processId = ParseContext.ref(p.attr("processRef"));
        if (!ParseContext.isBlank(processId)) {
          result.computeIfAbsent(processId, k -> new HashMap<>()).putAll(placement);
        }
      }
    }
    return result;
  }

  private Collaboration collaboration(XmlElement c, Set<String> processIds) {
    List<Collaboration.Participant> participants = new ArrayList<>();
    List<Collaboration.MessageFlow> messageFlows = new ArrayList<>();
    for (XmlElement child : c.children()) {
      if (!child.isBpmn()) {
        continue;
      }
      switch (child.localName()) {
        case "participant" -> {
          String processId =
              ParseContext.isBlank(child.attr("processRef"))
                  ? null
                  : ParseContext.ref(child.attr("processRef"));
          if (processId != null && !processIds.contains(processId)) {
            ctx.problem(child, "processRef '" + processId + "' does not resolve to a <process>");
          }
          participants.add(
              new Collaboration.Participant(child.id(), child.attr("name"), processId));
        }
        case "messageFlow" -> messageFlows.add(messageFlow(child));
        default -> {
          if (!BpmnVocabulary.COLLABORATION_IGNORED.contains(child.localName())) {
            ctx.problem(child, "unsupported element <" + child.localName() + ">");
          }
        }
      }
    }
    return new Collaboration(c.id(), participants, messageFlows);
  }

  private Collaboration.MessageFlow messageFlow(XmlElement f) {
    String source = ParseContext.ref(f.attr("sourceRef"));
    String target = ParseContext.ref(f.attr("targetRef"));
    for (String[] end : new String[][] {{"sourceRef", source}, {"targetRef", target}}) {
      if (ParseContext.isBlank(end[1])) {
        ctx.problem(f, "a messageFlow needs a " + end[0]);
      } else if (!ctx.hasId(end[1])) {
        ctx.problem(f, end[0] + " '" + end[1] + "' does not resolve to an element");
      }
    }
    String message =
        ParseContext.isBlank(f.attr("messageRef")) ? null : ParseContext.ref(f.attr("messageRef"));
    if (message != null && !ctx.hasMessage(message)) {
      ctx.problem(f, "messageRef '" + message + "' does not resolve to a <message>");
    }
    return new Collaboration.MessageFlow(f.id(), f.attr("name"), source, target, message);
  }
}
