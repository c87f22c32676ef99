package io.cob.engine.processor;

import io.cob.engine.command.InstanceCommand.ChildEnded;
import io.cob.engine.command.InstanceCommand.StartInstance;
import io.cob.engine.event.InstanceEvent.ChildInstanceStarted;
import io.cob.engine.event.InstanceEvent.ElementCompleted;
import io.cob.engine.event.InstanceEvent.InstanceEnded;
import io.cob.engine.state.ElementInstance;
import io.cob.engine.state.InstanceState;
import io.cob.model.CallActivity;
import io.cob.model.StartEvent;
import io.cob.model.SubProcess;
import java.util.LinkedHashMap;
import java.util.Map;

/** Scopes: the process instance itself, embedded subprocesses, and call activities. */
final class ContainerBehavior {
  private final Behaviors b;
  private final ProcessingContext ctx;

  ContainerBehavior(Behaviors b) {
    this.b = b;
    this.ctx = b.ctx;
  }

  void activateSubProcess(SubProcess s, long key) {
    StartEvent start =
        ctx.process
            .noneStartEvent(s.id())
            .orElseThrow(
                () ->
                    new IncidentSignal(
                        "UNSUPPORTED", "subprocess '" + s.id() + "' has no none start event"));
    ctx.later(() -> b.flow.arrive(start, key, null));
  }

  void activateCall(CallActivity c, long key) {
    String processId =
        ctx.evaluateString(c.calledElement(), key, "called element of '" + c.id() + "'");
    var called =
        ctx.processes
            .find(processId, 0)
            .orElseThrow(
                () ->
                    new IncidentSignal(
                        "CALLED_ELEMENT",
                        "call activity '"
                            + c.id()
                            + "' calls process '"
                            + processId
                            + "', which is not deployed"));
    if (called.definition().noneStartEvent(processId).isEmpty()) {
      throw new IncidentSignal(
          "CALLED_ELEMENT",
          "call activity '"
              + c.id()
              + "' calls process '"
              + processId
              + "', which has no none start event");
    }
    // As in Camunda 8: every variable the call activity sees (its input mappings included), or
    // only its input mappings when propagateAllParentVariables is off.
    Map<String, Object> vars =
        c.propagateAllParentVariables()
            ? ctx.state.visibleVariables(key)
            : new LinkedHashMap<>(ctx.state.localVariables(key));
    String childId = ctx.ids.newId();
    ctx.emit(new ChildInstanceStarted(key, c.id(), childId, processId));
    ctx.outbox(
        childId,
        new StartInstance(
            childId,
            processId,
            0,
            null,
            vars,
            null,
            ctx.state.instanceId(),
            key,
            // The called instance is part of its caller's trace.
            ctx.state.traceparent()));
  }

  /**
   * The called child ended: a completed child's variables come back; an error it did not catch is
   * thrown on at the call activity; a child ended otherwise is an incident.
   */
  void childEnded(
      ElementInstance el,
      CallActivity c,
      String childState,
      Map<String, Object> variables,
      String errorCode) {
    if (errorCode != null) {
      b.errors.throwError(
          el.key(), errorCode, "the instance called by '" + c.id() + "'", variables);
      return;
    }
    if (!"COMPLETED".equals(childState)) {
      b.flow.raiseIncident(
          el.key(),
          "CALLED_INSTANCE",
          "the instance called by '" + c.id() + "' ended " + childState,
          null);
      return;
    }
    if (!c.io().outputs().isEmpty()) {
      b.variables.setResult(el.key(), c.io(), variables);
    } else if (c.propagateAllChildVariables()) {
      b.variables.setResult(el.key(), c.io(), variables);
    }
    b.flow.complete(el.key());
  }

  /** Completes a scope at once, whatever is left in it (after a terminate end event). */
  void completeScopeNow(long scopeKey) {
    String prefix = scopeKey + "/";
    boolean waitingJoins =
        ctx.state.allJoinArrivals().keySet().stream().anyMatch(k -> k.startsWith(prefix));
    if (scopeKey == InstanceState.ROOT_KEY) {
      completeProcess();
    } else if (!waitingJoins) {
      b.flow.complete(scopeKey);
    } else {
      // Tokens waiting at joins are dropped with the scope: completing the scope removes them.
      b.flow.complete(scopeKey);
    }
  }

  /** The process instance completes: its variables go to the parent, if any. */
  void completeProcess() {
    if (!ctx.state.isActive()) {
      return;
    }
    Map<String, Object> result =
        new LinkedHashMap<>(ctx.state.localVariables(InstanceState.ROOT_KEY));
    ctx.emit(new ElementCompleted(InstanceState.ROOT_KEY, ctx.state.processId(), "process"));
    ctx.emit(new InstanceEnded("COMPLETED"));
    notifyParent("COMPLETED", result);
  }

  void notifyParent(String state, Map<String, Object> variables) {
    notifyParent(state, variables, null, null);
  }

  void notifyParent(
      String state, Map<String, Object> variables, String errorCode, String errorMessage) {
    if (ctx.state.parentInstanceId() != null) {
      ctx.outbox(
          ctx.state.parentInstanceId(),
          new ChildEnded(
              ctx.state.parentInstanceId(),
              ctx.state.parentElementKey(),
              ctx.state.instanceId(),
              state,
              variables,
              errorCode,
              errorMessage));
    }
  }
}
