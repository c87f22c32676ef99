package io.cob.engine.processor;

import io.cob.engine.event.EventRecord;
import io.cob.engine.event.InstanceEvent;
import io.cob.engine.port.IdGenerator;
import io.cob.engine.port.StoreRows.OutboxRow;
import io.cob.engine.state.EventApplier;
import io.cob.engine.state.InstanceState;
import io.cob.engine.value.Values;
import io.cob.model.Expression;
import io.cob.model.ProcessDefinition;
import io.cob.model.expr.ExpressionEvaluator;
import io.cob.model.expr.ExpressionException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * The working memory of one command being processed against one instance: emits events (applying
 * each at once, so later steps see its effect), hands out keys, and runs the agenda of follow-up
 * steps until every token has reached a wait state.
 */
final class ProcessingContext {
  final InstanceState state;
  final ProcessDefinition process;
  final Instant now;
  final ExpressionEvaluator evaluator;
  final IdGenerator ids;
  final ProcessingSettings settings;
  final ProcessLookup processes;
  final MessageBuffer buffer;

  final List<EventRecord> events = new ArrayList<>();
  final List<OutboxRow> outbox = new ArrayList<>();

  /** Buffered messages this command took, marked as taken by this instance's process. */
  final List<io.cob.engine.port.StoreRows.BufferedMessage> takenMessages = new ArrayList<>();

  /** Element instances that already took a buffered message in this command. */
  final java.util.Set<Long> ownersWithEarlyMessage = new java.util.HashSet<>();

  /**
   * Placements decided when a job step was activated in this command, by element instance key,
   * taken when its job is created: the cloud in {@code ElementActivated} and the one recorded in
   * {@code StepPlaced} are then the same decision.
   */
  final Map<Long, io.cob.engine.processor.placement.PlacementDecision> pendingPlacements =
      new java.util.HashMap<>();

  private final ArrayDeque<Runnable> agenda = new ArrayDeque<>();

  /**
   * Joining inclusive gateways to re-check once nothing else is left to do: "scopeKey/gatewayId".
   */
  final LinkedHashSet<String> inclusiveChecks = new LinkedHashSet<>();

  /**
   * Scopes that may have become empty. Checked only when the agenda is empty, because a token still
   * on its way (queued) would otherwise be missed.
   */
  final LinkedHashSet<Long> scopeChecks = new LinkedHashSet<>();

  ProcessingContext(
      InstanceState state,
      ProcessDefinition process,
      Instant now,
      ExpressionEvaluator evaluator,
      IdGenerator ids,
      ProcessingSettings settings,
      ProcessLookup processes,
      MessageBuffer buffer) {
    this.state = state;
    this.process = process;
    this.now = now;
    this.evaluator = evaluator;
    this.ids = ids;
    this.settings = settings;
    this.processes = processes;
    this.buffer = buffer;
  }

  void emit(InstanceEvent event) {
    EventRecord r = new EventRecord(state.lastSeq() + 1, now, event);
    EventApplier.apply(state, r);
    events.add(r);
  }

  /** A fresh key; the event that introduces it must be emitted before the next call. */
  long newKey() {
    return state.peekNextKey();
  }

  void later(Runnable step) {
    agenda.add(step);
  }

  /**
   * Runs queued steps until none is left. Scope completion and inclusive joins are checked only
   * when all else is done, one at a time, since each may queue new steps.
   */
  void drain(
      java.util.function.LongConsumer scopeCheck,
      java.util.function.Consumer<String> inclusiveCheck) {
    while (true) {
      Runnable next = agenda.poll();
      if (next != null) {
        next.run();
        continue;
      }
      if (!scopeChecks.isEmpty()) {
        Long scope = scopeChecks.iterator().next();
        scopeChecks.remove(scope);
        scopeCheck.accept(scope);
        continue;
      }
      if (inclusiveChecks.isEmpty()) {
        return;
      }
      String check = inclusiveChecks.iterator().next();
      inclusiveChecks.remove(check);
      inclusiveCheck.accept(check);
    }
  }

  void outbox(String targetInstanceId, io.cob.engine.command.InstanceCommand command) {
    outbox.add(new OutboxRow(ids.newId(), now, targetInstanceId, command));
  }

  // ---- expressions

  Object evaluate(Expression e, long scopeKey, String what) {
    try {
      return Values.canonical(evaluator.evaluate(e, state.visibleVariables(scopeKey)));
    } catch (ExpressionException | IllegalArgumentException ex) {
      throw new IncidentSignal(
          "EXPRESSION", what + ": failed to evaluate '" + e + "': " + ex.getMessage());
    }
  }

  Object evaluate(Expression e, Map<String, Object> variables, String what) {
    try {
      return Values.canonical(evaluator.evaluate(e, variables));
    } catch (ExpressionException | IllegalArgumentException ex) {
      throw new IncidentSignal(
          "EXPRESSION", what + ": failed to evaluate '" + e + "': " + ex.getMessage());
    }
  }

  String evaluateString(Expression e, long scopeKey, String what) {
    Object v = evaluate(e, scopeKey, what);
    if (v == null) {
      throw new IncidentSignal(
          "EXPRESSION", what + ": '" + e + "' evaluated to null, expected a string");
    }
    return v instanceof String s ? s : String.valueOf(v);
  }

  /** A string, or null when the expression is absent or yields null. */
  String evaluateOptionalString(Expression e, long scopeKey, String what) {
    if (e == null) {
      return null;
    }
    Object v = evaluate(e, scopeKey, what);
    return v == null ? null : v instanceof String s ? s : String.valueOf(v);
  }

  long evaluateLong(Expression e, long scopeKey, String what) {
    Object v = evaluate(e, scopeKey, what);
    if (v instanceof Long l) {
      return l;
    }
    if (v instanceof BigDecimal bd) {
      return bd.longValue();
    }
    if (v instanceof String s) {
      try {
        return Long.parseLong(s.strip());
      } catch (NumberFormatException ex) {
        // fall through to the error below
      }
    }
    throw new IncidentSignal(
        "EXPRESSION", what + ": '" + e + "' evaluated to " + v + ", expected a number");
  }

  boolean evaluateCondition(Expression e, long scopeKey, String what) {
    Object v = evaluate(e, scopeKey, what);
    if (v instanceof Boolean b) {
      return b;
    }
    if (v == null) {
      return false;
    }
    throw new IncidentSignal(
        "EXPRESSION", what + ": '" + e + "' evaluated to " + v + ", expected a boolean");
  }

  /** A list of strings from a FEEL list, or a comma-separated string. */
  List<String> evaluateStringList(Expression e, long scopeKey, String what) {
    if (e == null) {
      return List.of();
    }
    Object v = evaluate(e, scopeKey, what);
    List<String> out = new ArrayList<>();
    if (v instanceof List<?> l) {
      for (Object o : l) {
        if (o != null) {
          out.add(String.valueOf(o));
        }
      }
    } else if (v != null) {
      for (String part : String.valueOf(v).split(",")) {
        if (!part.isBlank()) {
          out.add(part.strip());
        }
      }
    }
    return out;
  }
}
