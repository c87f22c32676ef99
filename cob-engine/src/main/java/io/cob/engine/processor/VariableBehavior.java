package io.cob.engine.processor;

import io.cob.engine.event.InstanceEvent.VariablesSet;
import io.cob.engine.state.ElementInstance;
import io.cob.engine.state.InstanceState;
import io.cob.engine.value.Values;
import io.cob.model.IoMapping;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Variable scoping: input mappings create local variables of an element; output mappings and
 * results (of jobs, user tasks, messages) are propagated, each variable to the nearest enclosing
 * scope that already declares it, or else to the process instance.
 */
final class VariableBehavior {
  private final ProcessingContext ctx;

  VariableBehavior(ProcessingContext ctx) {
    this.ctx = ctx;
  }

  /** Evaluates the input mappings in the element's parent scope and sets them as its locals. */
  void applyInputs(long key, IoMapping io, String elementId) {
    if (io == null || io.inputs().isEmpty()) {
      return;
    }
    ElementInstance el = ctx.state.element(key);
    Map<String, Object> visible = ctx.state.visibleVariables(el.scopeKey());
    visible.putAll(ctx.state.localVariables(key));
    Map<String, Object> locals = new LinkedHashMap<>();
    for (IoMapping.Mapping m : io.inputs()) {
      Object value = ctx.evaluate(m.source(), visible, elementId + " input '" + m.target() + "'");
      assign(locals, visible, m.target(), value);
      visible.put(rootName(m.target()), locals.get(rootName(m.target())));
    }
    ctx.emit(new VariablesSet(key, locals));
  }

  /**
   * Evaluates the output mappings in the element's own scope and propagates the results from its
   * parent scope.
   */
  void applyOutputs(long key, IoMapping io, String elementId) {
    if (io == null || io.outputs().isEmpty()) {
      return;
    }
    ElementInstance el = ctx.state.element(key);
    Map<String, Object> visible = ctx.state.visibleVariables(key);
    Map<String, Object> parentVisible = ctx.state.visibleVariables(el.scopeKey());
    Map<String, Object> results = new LinkedHashMap<>();
    for (IoMapping.Mapping m : io.outputs()) {
      Object value = ctx.evaluate(m.source(), visible, elementId + " output '" + m.target() + "'");
      assign(results, parentVisible, m.target(), value);
    }
    propagate(el.scopeKey(), results);
  }

  /**
   * Sets result variables of an element: when it has output mappings they become its locals (the
   * mappings then pick from them); otherwise they are propagated from the element's scope.
   */
  void setResult(long key, IoMapping io, Map<String, Object> variables) {
    if (variables == null || variables.isEmpty()) {
      return;
    }
    Map<String, Object> vars = Values.canonicalMap(variables);
    if (io != null && !io.outputs().isEmpty()) {
      ctx.emit(new VariablesSet(key, vars));
    } else {
      propagate(key, vars);
    }
  }

  /**
   * Sets each variable in the nearest scope from {@code fromKey} upward that declares it, else at
   * the root.
   */
  void propagate(long fromKey, Map<String, Object> variables) {
    if (variables.isEmpty()) {
      return;
    }
    Map<Long, Map<String, Object>> byScope = new TreeMap<>();
    for (Map.Entry<String, Object> v : variables.entrySet()) {
      long target = InstanceState.ROOT_KEY;
      long k = fromKey;
      while (k != 0) {
        if (ctx.state.declares(k, v.getKey())) {
          target = k;
          break;
        }
        ElementInstance e = ctx.state.element(k);
        k = e == null ? 0 : e.scopeKey();
      }
      byScope.computeIfAbsent(target, t -> new LinkedHashMap<>()).put(v.getKey(), v.getValue());
    }
    byScope.forEach((scope, vars) -> ctx.emit(new VariablesSet(scope, vars)));
  }

  /** Sets one variable (or a dotted path into a context variable) in a scope, no propagation. */
  void setLocal(long scopeKey, String name, Object value) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put(name, Values.canonical(value));
    ctx.emit(new VariablesSet(scopeKey, m));
  }

  /**
   * Puts {@code value} at {@code target} into {@code out}; a dotted target {@code a.b.c} updates a
   * copy of the context {@code a} taken from {@code out} or else from {@code visible}.
   */
  @SuppressWarnings("unchecked")
  private static void assign(
      Map<String, Object> out, Map<String, Object> visible, String target, Object value) {
    String[] path = target.split("\\.");
    if (path.length == 1) {
      out.put(target, value);
      return;
    }
    Object current = out.containsKey(path[0]) ? out.get(path[0]) : visible.get(path[0]);
    Map<String, Object> root =
        current instanceof Map<?, ?> m ? deepCopy((Map<String, Object>) m) : new LinkedHashMap<>();
    Map<String, Object> node = root;
    for (int i = 1; i < path.length - 1; i++) {
      Object child = node.get(path[i]);
      Map<String, Object> next =
          child instanceof Map<?, ?> cm
              ? deepCopy((Map<String, Object>) cm)
              : new LinkedHashMap<>();
      node.put(path[i], next);
      node = next;
    }
    node.put(path[path.length - 1], value);
    out.put(path[0], root);
  }

  private static Map<String, Object> deepCopy(Map<String, Object> m) {
    return new LinkedHashMap<>(m);
  }

  private static String rootName(String target) {
    int dot = target.indexOf('.');
    return dot < 0 ? target : target.substring(0, dot);
  }
}
