package io.cob.engine.processor;

import io.cob.engine.event.InstanceEvent.MultiInstanceStarted;
import io.cob.engine.event.InstanceEvent.VariablesSet;
import io.cob.engine.state.ElementInstance;
import io.cob.engine.state.ElementInstance.MultiInstanceProgress;
import io.cob.model.Activity;
import io.cob.model.MultiInstance;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Multi-instance activities: a body element instance runs the inner instances (all at once, or one
 * after the other), collects their outputs and stops early when the completion condition holds. The
 * input collection is evaluated once, when the body is activated, and recorded in the log. Boundary
 * events belong to the body.
 */
final class MultiInstanceBehavior {
  private final Behaviors b;
  private final ProcessingContext ctx;

  MultiInstanceBehavior(Behaviors b) {
    this.b = b;
    this.ctx = b.ctx;
  }

  void start(Activity a, long bodyKey) {
    MultiInstance mi = a.loop();
    List<Object> items = items(a, bodyKey);
    int total = items.size();
    if (mi.outputCollection() != null) {
      Map<String, Object> init = new LinkedHashMap<>();
      init.put(mi.outputCollection(), new ArrayList<>(Collections.nCopies(total, null)));
      ctx.emit(new VariablesSet(bodyKey, init));
    }
    if (total == 0) {
      b.flow.complete(bodyKey);
      return;
    }
    ctx.emit(new MultiInstanceStarted(bodyKey, a.id(), total, items));
    int now = mi.sequential() ? 1 : total;
    for (int i = 1; i <= now; i++) {
      activateInner(a, bodyKey, i);
    }
  }

  /** The collection iterated (or {@code cardinality} nulls when there is none). */
  private List<Object> items(Activity a, long bodyKey) {
    MultiInstance mi = a.loop();
    ElementInstance body = ctx.state.element(bodyKey);
    if (mi.inputCollection() != null) {
      Object v =
          ctx.evaluate(
              mi.inputCollection(), body.scopeKey(), "input collection of '" + a.id() + "'");
      if (v instanceof List<?> l) {
        return new ArrayList<>(l);
      }
      throw new IncidentSignal(
          "EXPRESSION",
          "input collection of '"
              + a.id()
              + "': '"
              + mi.inputCollection()
              + "' evaluated to "
              + v
              + ", expected a list");
    }
    if (mi.loopCardinality() != null) {
      long n =
          ctx.evaluateLong(
              mi.loopCardinality(), body.scopeKey(), "loop cardinality of '" + a.id() + "'");
      return new ArrayList<>(Collections.nCopies((int) Math.max(0, n), null));
    }
    throw new IncidentSignal(
        "EXPRESSION",
        "multi-instance '" + a.id() + "' has neither input collection nor cardinality");
  }

  private void activateInner(Activity a, long bodyKey, int loopCounter) {
    MultiInstance mi = a.loop();
    Map<String, Object> locals = new LinkedHashMap<>();
    locals.put("loopCounter", (long) loopCounter);
    if (mi.inputElement() != null) {
      List<Object> items = ctx.state.element(bodyKey).multiInstance().items();
      locals.put(
          mi.inputElement(), loopCounter <= items.size() ? items.get(loopCounter - 1) : null);
    }
    // Activation checks that the body is still there: it may have been interrupted meanwhile.
    ctx.later(() -> b.flow.activate(a, bodyKey, null, loopCounter, List.of(), locals));
  }

  /**
   * Before an inner instance ends: puts its output element into the output collection and tells
   * whether the completion condition now holds.
   */
  boolean collectOutput(Activity a, ElementInstance inner) {
    MultiInstance mi = a.loop();
    long bodyKey = inner.scopeKey();
    if (mi.outputCollection() != null && mi.outputElement() != null) {
      Object out;
      try {
        out = ctx.evaluate(mi.outputElement(), inner.key(), "output element of '" + a.id() + "'");
      } catch (IncidentSignal s) {
        throw new IncidentSignal("OUTPUT_MAPPING", s.getMessage());
      }
      Object current = ctx.state.localVariables(bodyKey).get(mi.outputCollection());
      List<Object> list = current instanceof List<?> l ? new ArrayList<>(l) : new ArrayList<>();
      int index = inner.loopCounter() - 1;
      while (list.size() <= index) {
        list.add(null);
      }
      list.set(index, out);
      Map<String, Object> update = new LinkedHashMap<>();
      update.put(mi.outputCollection(), list);
      ctx.emit(new VariablesSet(bodyKey, update));
    }
    if (mi.completionCondition() == null) {
      return false;
    }
    MultiInstanceProgress p = ctx.state.element(bodyKey).multiInstance();
    long completed = p.completed() + 1L;
    long active = ctx.state.childrenOf(bodyKey).size() - 1L;
    Map<String, Object> vars = ctx.state.visibleVariables(inner.key());
    // Camunda 8 names, and the Camunda 7 ones so that models written for it keep working.
    vars.put("numberOfInstances", (long) p.total());
    vars.put("numberOfCompletedInstances", completed);
    vars.put("numberOfActiveInstances", active);
    vars.put("numberOfTerminatedInstances", (long) p.terminated());
    vars.putIfAbsent("nrOfInstances", (long) p.total());
    vars.putIfAbsent("nrOfCompletedInstances", completed);
    vars.putIfAbsent("nrOfActiveInstances", active);
    Object v;
    try {
      v = ctx.evaluate(mi.completionCondition(), vars, "completion condition of '" + a.id() + "'");
    } catch (IncidentSignal s) {
      throw new IncidentSignal("COMPLETION_CONDITION", s.getMessage());
    }
    return Boolean.TRUE.equals(v);
  }

  /** After an inner instance ended: start the next, finish early, or finish when all are done. */
  void innerCompleted(Activity a, long bodyKey, boolean stopEarly) {
    ElementInstance body = ctx.state.element(bodyKey);
    if (body == null) {
      return;
    }
    if (stopEarly) {
      for (ElementInstance inner : ctx.state.childrenOf(bodyKey)) {
        b.flow.terminate(inner.key());
      }
      b.flow.complete(bodyKey);
      return;
    }
    MultiInstanceProgress p = body.multiInstance();
    if (a.loop().sequential() && p.started() < p.total()) {
      activateInner(a, bodyKey, p.started() + 1);
    } else if (p.ended() >= p.total() && ctx.state.childrenOf(bodyKey).isEmpty()) {
      b.flow.complete(bodyKey);
    }
  }

  /** When the body completes, its output collection goes to the enclosing scopes. */
  void propagateOutputCollection(Activity a, ElementInstance body) {
    String name = a.loop().outputCollection();
    if (name == null) {
      return;
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put(name, ctx.state.localVariables(body.key()).get(name));
    b.variables.propagate(body.scopeKey(), out);
  }
}
