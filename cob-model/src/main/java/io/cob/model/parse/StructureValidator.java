package io.cob.model.parse;

import io.cob.model.Activity;
import io.cob.model.BoundaryEvent;
import io.cob.model.EndEvent;
import io.cob.model.EventBasedGateway;
import io.cob.model.EventDefinition;
import io.cob.model.ExclusiveGateway;
import io.cob.model.FlowNode;
import io.cob.model.InclusiveGateway;
import io.cob.model.IntermediateCatchEvent;
import io.cob.model.ProcessDefinition;
import io.cob.model.ReceiveTask;
import io.cob.model.SequenceFlow;
import io.cob.model.StartEvent;
import io.cob.model.SubProcess;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks that need a whole process: the graph around start, end and boundary events, default flows,
 * event-based gateways and start events of every scope; and, over a whole document, duplicate ids.
 *
 * <p>It deliberately accepts what Camunda accepts: nodes without incoming flows (they are simply
 * never reached), several none start events, processes that start only by message or timer, and an
 * empty pool's process.
 */
final class StructureValidator {
  private final ParseContext ctx;

  StructureValidator(ParseContext ctx) {
    this.ctx = ctx;
  }

  /**
   * Reports every element id used twice anywhere in the document (BPMN and diagram elements alike),
   * at the second use, and registers every id with the context.
   */
  static void checkIds(ParseContext ctx, XmlElement root) {
    Map<String, XmlElement> first = new HashMap<>();
    walk(ctx, root, first);
  }

  private static void walk(ParseContext ctx, XmlElement el, Map<String, XmlElement> first) {
    String id = el.id();
    if (id != null && (el.isBpmn() || Namespaces.DIAGRAM.contains(el.namespace()))) {
      XmlElement earlier = first.putIfAbsent(id, el);
      if (earlier != null) {
        ctx.problem(
            el,
            "duplicate id '"
                + id
                + "' (first used at line "
                + earlier.location().line()
                + ", column "
                + earlier.location().column()
                + ")");
      }
      ctx.registerId(id);
    }
    for (XmlElement child : el.children()) {
      walk(ctx, child, first);
    }
  }

  /**
   * @param inPool whether a collaboration participant shows this process: an executable process may
   *     then be empty (a pool drawn for documentation), but not otherwise start-less
   * @param unsupported ids of elements already reported as unsupported; references to them are not
   *     reported again
   */
  void validate(
      ProcessDefinition process, XmlElement processEl, boolean inPool, Set<String> unsupported) {
    if (process.executable()
        && process.startEvents(process.id()).isEmpty()
        && !(inPool && process.nodes().isEmpty())) {
      ctx.problem(processEl, "process '" + process.id() + "' has no start event");
    }
    for (FlowNode node : process.nodes().values()) {
      switch (node) {
        case StartEvent s -> startEvent(process, s);
        case EndEvent e -> {
          if (!process.outgoing(e.id()).isEmpty()) {
            ctx.problem(e, "an end event cannot have outgoing sequence flows");
          }
        }
        case BoundaryEvent b -> boundaryEvent(process, b, unsupported);
        case SubProcess sp -> {
          long starts = process.startEvents(sp.id()).size();
          if (starts != 1) {
            ctx.problem(sp, "a subProcess needs exactly one start event, not " + starts);
          }
        }
        case ExclusiveGateway g -> defaultFlow(process, g, g.defaultFlowId());
        case InclusiveGateway g -> defaultFlow(process, g, g.defaultFlowId());
        case EventBasedGateway g -> eventBasedGateway(process, g);
        default -> {
          // Nothing graph-related to check.
        }
      }
    }
  }

  private void startEvent(ProcessDefinition process, StartEvent s) {
    if (!process.incoming(s.id()).isEmpty()) {
      ctx.problem(s, "a start event cannot have incoming sequence flows");
    }
    if (!s.scopeId().equals(process.id()) && !(s.trigger() instanceof EventDefinition.None)) {
      ctx.problem(s, "a start event inside a subProcess must be a none start event");
    }
  }

  private void boundaryEvent(ProcessDefinition process, BoundaryEvent b, Set<String> unsupported) {
    if (!process.incoming(b.id()).isEmpty()) {
      ctx.problem(b, "a boundary event cannot have incoming sequence flows");
    }
    if (b.attachedTo() == null
        || b.attachedTo().isBlank()
        || unsupported.contains(b.attachedTo())) {
      return; // Reported already, with the event or with the element it is attached to.
    }
    FlowNode host = process.nodes().get(b.attachedTo());
    if (host == null) {
      ctx.problem(b, "attachedToRef '" + b.attachedTo() + "' does not resolve to an activity");
    } else if (!(host instanceof Activity)) {
      ctx.problem(
          b,
          "attachedToRef '"
              + b.attachedTo()
              + "' refers to a <"
              + host.tag()
              + ">, not an activity");
    } else if (!host.scopeId().equals(b.scopeId())) {
      ctx.problem(
          b,
          "attachedToRef '"
              + b.attachedTo()
              + "' is in scope '"
              + host.scopeId()
              + "', not in the boundaryEvent's scope '"
              + b.scopeId()
              + "'");
    }
  }

  private void defaultFlow(ProcessDefinition process, FlowNode gateway, String flowId) {
    if (flowId == null) {
      return;
    }
    SequenceFlow flow = process.flows().get(flowId);
    if (flow == null) {
      ctx.problem(gateway, "default '" + flowId + "' does not resolve to a sequenceFlow");
    } else if (!gateway.id().equals(flow.sourceId())) {
      ctx.problem(
          gateway, "default '" + flowId + "' is not an outgoing sequence flow of this gateway");
    }
  }

  private void eventBasedGateway(ProcessDefinition process, EventBasedGateway g) {
    List<SequenceFlow> outgoing = process.outgoing(g.id());
    for (SequenceFlow f : outgoing) {
      FlowNode target = process.nodes().get(f.targetId());
      if (target == null) {
        continue; // Reported with the flow.
      }
      boolean ok =
          target instanceof ReceiveTask
              || (target instanceof IntermediateCatchEvent c
                  && (c.trigger() instanceof EventDefinition.Message
                      || c.trigger() instanceof EventDefinition.Timer));
      if (!ok) {
        ctx.problem(
            g,
            "sequenceFlow '"
                + f.id()
                + "' leads to <"
                + target.tag()
                + "> '"
                + target.id()
                + "'; an eventBasedGateway may only lead to message or timer"
                + " intermediateCatchEvents or receiveTasks");
      }
    }
  }
}
