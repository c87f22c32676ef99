package io.cob.engine.processor;

import io.cob.model.BoundaryEvent;
import io.cob.model.ProcessDefinition;
import io.cob.model.SequenceFlow;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reachability within a process graph (over sequence flows and boundary events), computed lazily
 * and cached per definition. Used by the inclusive join to know whether a token may still come.
 */
final class ProcessGraph {
  private static final Map<ProcessDefinition, ProcessGraph> CACHE =
      java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());
  private final ProcessDefinition process;
  private final Map<String, Set<String>> reachable = new ConcurrentHashMap<>();

  private ProcessGraph(ProcessDefinition process) {
    this.process = process;
  }

  static ProcessGraph of(ProcessDefinition process) {
    return CACHE.computeIfAbsent(process, ProcessGraph::new);
  }

  /**
   * Whether a token at {@code fromId} can get to {@code toId} (a node never reaches itself unless
   * in a loop).
   */
  boolean canReach(String fromId, String toId) {
    return reachable.computeIfAbsent(fromId, this::explore).contains(toId);
  }

  private Set<String> explore(String fromId) {
    Set<String> seen = new HashSet<>();
    ArrayDeque<String> todo = new ArrayDeque<>();
    todo.add(fromId);
    while (!todo.isEmpty()) {
      String n = todo.poll();
      for (SequenceFlow f : process.outgoing(n)) {
        if (seen.add(f.targetId())) {
          todo.add(f.targetId());
        }
      }
      for (BoundaryEvent be : process.boundaryEvents(n)) {
        if (seen.add(be.id())) {
          todo.add(be.id());
        }
      }
    }
    return seen;
  }
}
