package io.cob.engine.processor;

import io.cob.engine.state.ElementInstance;
import io.cob.model.EventBasedGateway;
import io.cob.model.EventDefinition;
import io.cob.model.ExclusiveGateway;
import io.cob.model.FlowNode;
import io.cob.model.InclusiveGateway;
import io.cob.model.IntermediateCatchEvent;
import io.cob.model.ReceiveTask;
import io.cob.model.SequenceFlow;
import java.util.ArrayList;
import java.util.List;

/** Gateways choose flows; the inclusive join decides when it may fire. */
final class GatewayBehavior {
  private final Behaviors b;
  private final ProcessingContext ctx;

  GatewayBehavior(Behaviors b) {
    this.b = b;
    this.ctx = b.ctx;
  }

  void activateExclusive(ExclusiveGateway g, long key) {
    long scope = ctx.state.element(key).scopeKey();
    List<SequenceFlow> out = ctx.process.outgoing(g.id());
    SequenceFlow chosen = null;
    for (SequenceFlow f : out) {
      if (f.id().equals(g.defaultFlowId())) {
        continue;
      }
      if (f.condition() == null
          || ctx.evaluateCondition(f.condition(), scope, "condition of flow '" + f.id() + "'")) {
        chosen = f;
        break;
      }
    }
    if (chosen == null && g.defaultFlowId() != null) {
      chosen = ctx.process.flow(g.defaultFlowId());
    }
    if (chosen == null) {
      throw new IncidentSignal(
          "CONDITION",
          "no outgoing flow of exclusive gateway '"
              + g.id()
              + "' has a condition that holds, and it has no default flow");
    }
    b.flow.completeGateway(key, List.of(chosen));
  }

  void activateInclusive(InclusiveGateway g, long key) {
    long scope = ctx.state.element(key).scopeKey();
    List<SequenceFlow> chosen = new ArrayList<>();
    for (SequenceFlow f : ctx.process.outgoing(g.id())) {
      if (f.id().equals(g.defaultFlowId())) {
        continue;
      }
      if (f.condition() == null
          || ctx.evaluateCondition(f.condition(), scope, "condition of flow '" + f.id() + "'")) {
        chosen.add(f);
      }
    }
    if (chosen.isEmpty() && g.defaultFlowId() != null) {
      chosen.add(ctx.process.flow(g.defaultFlowId()));
    }
    if (chosen.isEmpty() && !ctx.process.outgoing(g.id()).isEmpty()) {
      throw new IncidentSignal(
          "CONDITION",
          "no outgoing flow of inclusive gateway '"
              + g.id()
              + "' has a condition that holds, and it has no default flow");
    }
    b.flow.completeGateway(key, chosen);
  }

  void activateEventBased(EventBasedGateway g, long key) {
    for (SequenceFlow f : ctx.process.outgoing(g.id())) {
      FlowNode target = ctx.process.node(f.targetId());
      switch (target) {
        case IntermediateCatchEvent c when c.trigger() instanceof EventDefinition.Timer t ->
            b.events.armTimer(key, c.id(), t.timer());
        case IntermediateCatchEvent c when c.trigger() instanceof EventDefinition.Message m ->
            b.events.openSubscription(key, c.id(), m.message());
        case ReceiveTask r -> b.events.openSubscription(key, r.id(), r.message());
        default ->
            throw new IncidentSignal(
                "UNSUPPORTED",
                "event-based gateway '"
                    + g.id()
                    + "' leads to '"
                    + target.id()
                    + "', which is no message or timer catch event");
      }
    }
  }

  /**
   * Fires a joining inclusive gateway when tokens wait at it and no other token of its scope can
   * still reach it.
   */
  void checkInclusiveJoin(String check) {
    int slash = check.indexOf('/');
    long scopeKey = Long.parseLong(check.substring(0, slash));
    String gatewayId = check.substring(slash + 1);
    List<String> arrived = ctx.state.joinArrivals(scopeKey, gatewayId);
    if (arrived.isEmpty() || ctx.state.element(scopeKey) == null) {
      return;
    }
    ProcessGraph graph = ProcessGraph.of(ctx.process);
    for (ElementInstance child : ctx.state.childrenOf(scopeKey)) {
      if (graph.canReach(child.elementId(), gatewayId)) {
        return;
      }
    }
    for (String other : ctx.state.allJoinArrivals().keySet()) {
      String prefix = scopeKey + "/";
      if (other.startsWith(prefix) && !other.equals(check)) {
        String otherGateway = other.substring(prefix.length());
        if (graph.canReach(otherGateway, gatewayId)) {
          return;
        }
      }
    }
    // One token per distinct incoming flow joins; surplus tokens on the same flow wait for the next
    // round.
    List<String> joined = new ArrayList<>();
    for (String flowId : arrived) {
      if (!joined.contains(flowId)) {
        joined.add(flowId);
      }
    }
    FlowNode gateway = ctx.process.node(gatewayId);
    b.flow.activate(
        gateway, scopeKey, joined.get(joined.size() - 1), null, joined, java.util.Map.of());
    if (!ctx.state.joinArrivals(scopeKey, gatewayId).isEmpty()) {
      // Surplus tokens (a second one on the same flow) form the next round, checked once the
      // tokens of this round have moved on.
      ctx.inclusiveChecks.add(check);
    }
  }
}
