package io.cob.model.parse;

import io.cob.model.Expression;
import io.cob.model.FlowNode;
import io.cob.model.SequenceFlow;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds the sequence flows of a process once all its nodes are known: resolves {@code sourceRef}
 * and {@code targetRef} (QName prefixes stripped) to nodes of the flow's own scope, reads the
 * {@code conditionExpression}, and gives flows written without an id the id {@code
 * flow_<source>_<target>_<n>}, n counting from 1 and skipping ids already taken.
 */
final class SequenceFlowReader {
  private static final Set<String> CHILDREN =
      Set.of("conditionExpression", "documentation", "extensionElements", "auditing", "monitoring");

  private final ParseContext ctx;

  SequenceFlowReader(ParseContext ctx) {
    this.ctx = ctx;
  }

  /**
   * @param unsupported ids of elements already reported as unsupported; a flow touching one is not
   *     reported again
   */
  List<SequenceFlow> read(
      List<ProcessReader.ScopedFlow> elements,
      Map<String, FlowNode> nodes,
      Set<String> unsupported) {
    List<SequenceFlow> flows = new ArrayList<>();
    for (ProcessReader.ScopedFlow scoped : elements) {
      XmlElement el = scoped.element();
      BpmnVocabulary.rejectUnknownChildren(ctx, el, el, CHILDREN);
      ListenerCheck.check(ctx, el);
      String source = ParseContext.ref(el.attr("sourceRef"));
      String target = ParseContext.ref(el.attr("targetRef"));
      endpoint(el, "sourceRef", source, scoped.scopeId(), nodes, unsupported);
      endpoint(el, "targetRef", target, scoped.scopeId(), nodes, unsupported);
      String id = ParseContext.isBlank(el.id()) ? generateId(source, target) : el.id();
      XmlElement condition = el.child(Namespaces.BPMN, "conditionExpression");
      Expression expression =
          condition == null || condition.text().isBlank()
              ? null
              : ctx.requiredExpression(el, "condition", condition.text().strip());
      flows.add(new SequenceFlow(id, el.attr("name"), source, target, expression, el.location()));
    }
    return flows;
  }

  private void endpoint(
      XmlElement el,
      String attr,
      String ref,
      String scopeId,
      Map<String, FlowNode> nodes,
      Set<String> unsupported) {
    if (ParseContext.isBlank(ref)) {
      ctx.problem(el, "a sequenceFlow needs a " + attr);
      return;
    }
    if (unsupported.contains(ref)) {
      return;
    }
    FlowNode node = nodes.get(ref);
    if (node == null) {
      ctx.problem(el, attr + " '" + ref + "' does not resolve to a flow node");
    } else if (!node.scopeId().equals(scopeId)) {
      ctx.problem(
          el,
          attr
              + " '"
              + ref
              + "' is in scope '"
              + node.scopeId()
              + "', not in the sequenceFlow's scope '"
              + scopeId
              + "'");
    }
  }

  private String generateId(String source, String target) {
    for (int n = 1; ; n++) {
      String id = "flow_" + source + "_" + target + "_" + n;
      if (!ctx.hasId(id)) {
        ctx.registerId(id);
        return id;
      }
    }
  }
}
