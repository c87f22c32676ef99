package io.cob.engine.processor;

import io.cob.engine.event.InstanceEvent;
import io.cob.engine.state.ElementInstance;
import io.cob.engine.state.InstanceState;
import io.cob.model.BoundaryEvent;
import io.cob.model.EventDefinition;
import java.util.Map;

/**
 * BPMN errors: the nearest enclosing activity with an error boundary event that matches the code
 * (an exact code before a catch-all at the same level) catches it; uncaught errors become
 * incidents.
 */
final class ErrorBehavior {
  private final Behaviors b;
  private final ProcessingContext ctx;

  ErrorBehavior(Behaviors b) {
    this.b = b;
    this.ctx = b.ctx;
  }

  /**
   * Throws an error from an element instance.
   *
   * @param fromKey the element that throws: its own boundary events are the first candidates
   */
  void throwError(long fromKey, String errorCode, String source, Map<String, Object> variables) {
    long k = fromKey;
    while (k != 0 && k != InstanceState.ROOT_KEY) {
      ElementInstance el = ctx.state.element(k);
      if (el == null) {
        break;
      }
      // Inner instances of a multi-instance activity share its id; its boundary events are on the
      // body.
      if (el.loopCounter() == null || !FlowControl.MI_BODY.equals(parentType(el))) {
        BoundaryEvent catcher = catcher(el.elementId(), errorCode);
        if (catcher != null) {
          Map<String, Object> vars = new java.util.LinkedHashMap<>(variables);
          b.events.triggerBoundary(el, catcher, vars);
          return;
        }
      }
      k = el.scopeKey();
    }
    if (ctx.state.parentInstanceId() != null) {
      // Nobody here catches it: the instance ends and its caller gets the error at the call
      // activity.
      b.flow.terminate(InstanceState.ROOT_KEY);
      ctx.emit(new InstanceEvent.InstanceEnded("TERMINATED"));
      b.containers.notifyParent(
          "TERMINATED", variables, errorCode, "error '" + errorCode + "' thrown by " + source);
      return;
    }
    b.flow.raiseIncident(
        fromKey,
        "UNHANDLED_ERROR",
        "error '"
            + errorCode
            + "' thrown by "
            + source
            + " was not caught by any error boundary event",
        null);
  }

  private String parentType(ElementInstance el) {
    ElementInstance parent = ctx.state.element(el.scopeKey());
    return parent == null ? null : parent.elementType();
  }

  private BoundaryEvent catcher(String activityId, String errorCode) {
    BoundaryEvent catchAll = null;
    for (BoundaryEvent be : ctx.process.boundaryEvents(activityId)) {
      if (be.trigger() instanceof EventDefinition.Error e) {
        if (e.errorCode() == null) {
          catchAll = catchAll == null ? be : catchAll;
        } else if (e.errorCode().equals(errorCode)) {
          return be;
        }
      }
    }
    return catchAll;
  }
}
