package io.cob.engine.processor;

import io.cob.engine.command.InstanceCommand.CancelInstance;
import io.cob.engine.event.InstanceEvent.ElementActivated;
import io.cob.engine.event.InstanceEvent.ElementCompleted;
import io.cob.engine.event.InstanceEvent.ElementTerminated;
import io.cob.engine.event.InstanceEvent.IncidentCreated;
import io.cob.engine.event.InstanceEvent.IncidentResolved;
import io.cob.engine.event.InstanceEvent.JobCanceled;
import io.cob.engine.event.InstanceEvent.SubscriptionClosed;
import io.cob.engine.event.InstanceEvent.TimerCanceled;
import io.cob.engine.event.InstanceEvent.TokenArrivedAtJoin;
import io.cob.engine.event.InstanceEvent.UserTaskCanceled;
import io.cob.engine.event.InstanceEvent.VariablesSet;
import io.cob.engine.processor.placement.PlacementDecision;
import io.cob.engine.state.ElementInstance;
import io.cob.engine.state.IncidentInfo;
import io.cob.engine.state.InstanceState;
import io.cob.engine.state.JobInfo;
import io.cob.engine.state.SubscriptionInfo;
import io.cob.engine.state.TimerInfo;
import io.cob.engine.state.UserTaskInfo;
import io.cob.model.Activity;
import io.cob.model.BoundaryEvent;
import io.cob.model.CallActivity;
import io.cob.model.EndEvent;
import io.cob.model.EventBasedGateway;
import io.cob.model.ExclusiveGateway;
import io.cob.model.FlowNode;
import io.cob.model.InclusiveGateway;
import io.cob.model.IntermediateCatchEvent;
import io.cob.model.IntermediateThrowEvent;
import io.cob.model.IoMapping;
import io.cob.model.ParallelGateway;
import io.cob.model.ReceiveTask;
import io.cob.model.SequenceFlow;
import io.cob.model.ServiceTask;
import io.cob.model.StartEvent;
import io.cob.model.SubProcess;
import io.cob.model.Task;
import io.cob.model.UserTask;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Moves tokens: a token arrives at a node (joining where the node joins), the node's element
 * instance is activated, does its work (through the element behaviours), completes and leaves over
 * its outgoing flows; a scope completes when nothing is left inside it. Terminating an element
 * withdraws everything it owns, recursively.
 */
final class FlowControl {
  static final String MI_BODY = "multiInstanceBody";
  private final Behaviors b;
  private final ProcessingContext ctx;

  FlowControl(Behaviors b) {
    this.b = b;
    this.ctx = b.ctx;
  }

  /** A token arrives at {@code node} in scope {@code scopeKey} over {@code viaFlow}. */
  void arrive(FlowNode node, long scopeKey, String viaFlow) {
    if (ctx.state.element(scopeKey) == null) {
      return; // the scope ended meanwhile (interrupted); the token vanishes with it
    }
    boolean joins =
        (node instanceof ParallelGateway || node instanceof InclusiveGateway)
            && ctx.process.incoming(node.id()).size() > 1;
    if (!joins) {
      activate(node, scopeKey, viaFlow, null, List.of(), Map.of());
      return;
    }
    ctx.emit(new TokenArrivedAtJoin(scopeKey, node.id(), viaFlow));
    if (node instanceof ParallelGateway) {
      List<String> arrived = ctx.state.joinArrivals(scopeKey, node.id());
      List<String> joined = new ArrayList<>();
      for (SequenceFlow in : ctx.process.incoming(node.id())) {
        if (!arrived.contains(in.id())) {
          return;
        }
        joined.add(in.id());
      }
      activate(node, scopeKey, viaFlow, null, joined, Map.of());
    } else {
      ctx.inclusiveChecks.add(scopeKey + "/" + node.id());
    }
  }

  /**
   * Activates an element instance and starts its behaviour. An activity with multi-instance
   * characteristics is first activated as its body, which then activates the inner instances (those
   * have a loop counter).
   */
  long activate(
      FlowNode node,
      long scopeKey,
      String viaFlow,
      Integer loopCounter,
      List<String> joined,
      Map<String, Object> locals) {
    if (!ctx.state.isActive() || ctx.state.element(scopeKey) == null) {
      return -1; // the scope was interrupted or ended while this step waited: nothing to activate
    }
    boolean body = node instanceof Activity a && a.loop() != null && loopCounter == null;
    String cloud = node.header().extensions().get("cloud");
    PlacementDecision placement = null;
    if (!body && PlacementBehavior.createsJob(node)) {
      // Decided before the element is activated so that ElementActivated names the cloud too.
      placement = b.placement.decide(node.id());
      if (placement instanceof PlacementDecision.Placed p) {
        cloud = p.cloud();
      }
    }
    long key = ctx.newKey();
    ctx.emit(
        new ElementActivated(
            key,
            node.id(),
            body ? MI_BODY : node.tag(),
            scopeKey,
            viaFlow,
            loopCounter,
            joined,
            cloud));
    if (placement != null) {
      ctx.pendingPlacements.put(key, placement);
    }
    if (!locals.isEmpty()) {
      ctx.emit(new VariablesSet(key, locals));
    }
    runActivation(key);
    return key;
  }

  /** Runs (or, after an incident was resolved, re-runs) the behaviour of an activated element. */
  void runActivation(long key) {
    ElementInstance el = ctx.state.element(key);
    FlowNode node = ctx.process.node(el.elementId());
    try {
      if (MI_BODY.equals(el.elementType())) {
        b.events.openBoundaryEvents((Activity) node, key);
        b.multiInstance.start((Activity) node, key);
        return;
      }
      // Input mappings first: boundary events and the behaviour may use the locals they create.
      b.variables.applyInputs(key, ioOf(node), node.id());
      if (node instanceof Activity a && el.loopCounter() == null) {
        b.events.openBoundaryEvents(a, key);
      }
      switch (node) {
        case StartEvent s -> complete(key);
        case EndEvent e -> b.events.activateEnd(e, key);
        case IntermediateCatchEvent e -> b.events.activateCatch(e, key);
        case IntermediateThrowEvent e -> b.events.activateThrow(e, key);
        case BoundaryEvent e -> complete(key);
        case Task t -> complete(key);
        case ServiceTask t -> b.tasks.activateService(t, key);
        case ReceiveTask t -> b.tasks.activateReceive(t, key);
        case UserTask t -> b.tasks.activateUser(t, key);
        case SubProcess s -> b.containers.activateSubProcess(s, key);
        case CallActivity c -> b.containers.activateCall(c, key);
        case ExclusiveGateway g -> b.gateways.activateExclusive(g, key);
        case ParallelGateway g -> completeGateway(key, ctx.process.outgoing(g.id()));
        case InclusiveGateway g -> b.gateways.activateInclusive(g, key);
        case EventBasedGateway g -> b.gateways.activateEventBased(g, key);
      }
    } catch (IncidentSignal s) {
      raiseIncident(key, s.kind, s.getMessage(), null);
    }
  }

  void raiseIncident(long elementKey, String kind, String message, Long jobKey) {
    ElementInstance el = ctx.state.element(elementKey);
    ctx.emit(
        new IncidentCreated(
            ctx.newKey(), elementKey, el == null ? null : el.elementId(), jobKey, kind, message));
  }

  /**
   * The element did its work: apply its output mappings, withdraw its boundary events, end it and
   * move on. Does nothing when the element is gone already.
   */
  void complete(long key) {
    ElementInstance el = ctx.state.element(key);
    if (el == null) {
      return;
    }
    if (key == InstanceState.ROOT_KEY) {
      b.containers.completeProcess();
      return;
    }
    FlowNode node = ctx.process.node(el.elementId());
    boolean body = MI_BODY.equals(el.elementType());
    boolean inner = el.loopCounter() != null;
    boolean stopEarly = false;
    List<SequenceFlow> leaving = List.of();
    try {
      if (body) {
        b.multiInstance.propagateOutputCollection((Activity) node, el);
      } else {
        b.variables.applyOutputs(key, ioOf(node), node.id());
      }
      if (inner) {
        stopEarly = b.multiInstance.collectOutput((Activity) node, el);
      } else {
        leaving = leavingFlows(el, node);
      }
    } catch (IncidentSignal s) {
      // The token stays at the element; resolving the incident completes it again.
      String kind = COMPLETION_KINDS.contains(s.kind) ? s.kind : "OUTPUT_MAPPING";
      raiseIncident(key, kind, s.getMessage(), null);
      return;
    }
    for (IncidentInfo i : List.copyOf(ctx.state.incidents().values())) {
      if (i.elementKey() == key) {
        ctx.emit(new IncidentResolved(i.incidentKey(), i.elementId()));
      }
    }
    closeOwnedEvents(key);
    ctx.emit(new ElementCompleted(key, el.elementId(), el.elementType()));
    if (inner) {
      try {
        b.multiInstance.innerCompleted((Activity) node, el.scopeKey(), stopEarly);
      } catch (IncidentSignal s) {
        raiseIncident(el.scopeKey(), s.kind, s.getMessage(), null);
      }
      return;
    }
    take(el.scopeKey(), leaving);
  }

  /**
   * Incident kinds raised while an element completes; resolving one of them completes the element
   * again instead of re-running its activation.
   */
  static final java.util.Set<String> COMPLETION_KINDS =
      java.util.Set.of("OUTPUT_MAPPING", "FLOW_CONDITION", "COMPLETION_CONDITION");

  /** Completes a gateway and takes the given flows. */
  void completeGateway(long key, List<SequenceFlow> flows) {
    ElementInstance el = ctx.state.element(key);
    ctx.emit(new ElementCompleted(key, el.elementId(), el.elementType()));
    take(el.scopeKey(), flows);
  }

  /** The outgoing flows of a completing element whose conditions hold (all unconditional ones). */
  private List<SequenceFlow> leavingFlows(ElementInstance el, FlowNode node) {
    List<SequenceFlow> taken = new ArrayList<>();
    try {
      for (SequenceFlow f : ctx.process.outgoing(node.id())) {
        if (f.condition() == null
            || ctx.evaluateCondition(
                f.condition(), el.scopeKey(), "condition of flow '" + f.id() + "'")) {
          taken.add(f);
        }
      }
    } catch (IncidentSignal s) {
      throw new IncidentSignal("FLOW_CONDITION", s.getMessage());
    }
    return taken;
  }

  /**
   * Sends tokens over the flows. The scope may have become empty, and a joining inclusive gateway
   * of the scope may now be free to fire (a token that could have reached it went elsewhere): both
   * are checked once nothing else is left to do.
   */
  void take(long scopeKey, List<SequenceFlow> flows) {
    for (SequenceFlow f : flows) {
      FlowNode target = ctx.process.node(f.targetId());
      ctx.later(() -> arrive(target, scopeKey, f.id()));
    }
    ctx.scopeChecks.add(scopeKey);
    String prefix = scopeKey + "/";
    for (String join : ctx.state.allJoinArrivals().keySet()) {
      if (join.startsWith(prefix)
          && ctx.process.node(join.substring(prefix.length())) instanceof InclusiveGateway) {
        ctx.inclusiveChecks.add(join);
      }
    }
  }

  /** Completes a scope (process or subprocess) once nothing is left inside it. */
  void checkScope(long scopeKey) {
    ElementInstance scope = ctx.state.element(scopeKey);
    if (scope == null
        || MI_BODY.equals(scope.elementType())
        || "callActivity".equals(scope.elementType())) {
      return;
    }
    if (!ctx.state.childrenOf(scopeKey).isEmpty()) {
      return;
    }
    String prefix = scopeKey + "/";
    for (String k : ctx.state.allJoinArrivals().keySet()) {
      if (k.startsWith(prefix)) {
        return; // a token waits at a join in this scope
      }
    }
    complete(scopeKey);
  }

  /** Terminates an element instance and everything inside it; withdraws what it owns. */
  void terminate(long key) {
    ElementInstance el = ctx.state.element(key);
    if (el == null) {
      return;
    }
    List<ElementInstance> children = ctx.state.childrenOf(key);
    for (int i = children.size() - 1; i >= 0; i--) {
      terminate(children.get(i).key());
    }
    closeOwnedEvents(key);
    for (JobInfo j : List.copyOf(ctx.state.jobs().values())) {
      if (j.elementKey() == key) {
        ctx.emit(new JobCanceled(j.jobKey(), j.elementId()));
      }
    }
    for (UserTaskInfo t : List.copyOf(ctx.state.userTasks().values())) {
      if (t.elementKey() == key) {
        ctx.emit(new UserTaskCanceled(t.taskKey(), t.elementId()));
      }
    }
    for (IncidentInfo i : List.copyOf(ctx.state.incidents().values())) {
      if (i.elementKey() == key) {
        ctx.emit(new IncidentResolved(i.incidentKey(), i.elementId()));
      }
    }
    if (el.childInstanceId() != null) {
      ctx.outbox(el.childInstanceId(), new CancelInstance(el.childInstanceId()));
    }
    ctx.emit(new ElementTerminated(key, el.elementId(), el.elementType()));
  }

  /**
   * Withdraws the timers and message subscriptions an element owns (its boundary events, its own
   * wait).
   */
  void closeOwnedEvents(long key) {
    for (TimerInfo t : List.copyOf(ctx.state.timers().values())) {
      if (t.elementKey() == key) {
        ctx.emit(new TimerCanceled(t.timerKey(), t.targetElementId()));
      }
    }
    for (SubscriptionInfo s : List.copyOf(ctx.state.subscriptions().values())) {
      if (s.elementKey() == key) {
        ctx.emit(new SubscriptionClosed(s.subscriptionKey(), s.targetElementId()));
      }
    }
  }

  static IoMapping ioOf(FlowNode node) {
    return switch (node) {
      case Activity a -> a.io();
      case StartEvent s -> s.io();
      case EndEvent e -> e.io();
      case IntermediateCatchEvent e -> e.io();
      case IntermediateThrowEvent e -> e.io();
      case BoundaryEvent e -> e.io();
      default -> IoMapping.NONE;
    };
  }
}
