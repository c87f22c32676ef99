package io.cob.engine.processor;

import io.cob.engine.command.InstanceCommand.PublishMessage;
import io.cob.engine.event.InstanceEvent.ElementActivated;
import io.cob.engine.event.InstanceEvent.ElementCompleted;
import io.cob.engine.event.InstanceEvent.MessageCorrelated;
import io.cob.engine.event.InstanceEvent.SubscriptionOpened;
import io.cob.engine.event.InstanceEvent.TimerCreated;
import io.cob.engine.event.InstanceEvent.TimerTriggered;
import io.cob.engine.port.StoreRows.BufferedMessage;
import io.cob.engine.state.ElementInstance;
import io.cob.engine.state.SubscriptionInfo;
import io.cob.engine.state.TimerInfo;
import io.cob.model.Activity;
import io.cob.model.BoundaryEvent;
import io.cob.model.EndEvent;
import io.cob.model.EventDefinition;
import io.cob.model.FlowNode;
import io.cob.model.IntermediateCatchEvent;
import io.cob.model.IntermediateThrowEvent;
import io.cob.model.JobDefinition;
import io.cob.model.MessageRef;
import io.cob.model.SequenceFlow;
import io.cob.model.TimerSpec;
import io.cob.model.timer.CycleSchedule;
import io.cob.model.timer.TimerSchedule;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Events: arming timers and opening message subscriptions for catch events, boundary events and
 * event-based gateways; reacting when one fires; throwing at end and throw events.
 */
final class EventBehavior {
  private final Behaviors b;
  private final ProcessingContext ctx;

  EventBehavior(Behaviors b) {
    this.b = b;
    this.ctx = b.ctx;
  }

  // ---- activation

  void activateEnd(EndEvent e, long key) {
    switch (e.result()) {
      case EventDefinition.Terminate t -> terminateScope(key);
      case EventDefinition.Error err ->
          b.errors.throwError(key, err.errorCode(), "error end event '" + e.id() + "'", Map.of());
      case EventDefinition.Message m -> throwMessage(key, m.message(), e.job());
      default -> b.flow.complete(key);
    }
  }

  void activateThrow(IntermediateThrowEvent e, long key) {
    if (e.result() instanceof EventDefinition.Message m) {
      throwMessage(key, m.message(), e.job());
    } else {
      b.flow.complete(key);
    }
  }

  private void throwMessage(long key, MessageRef message, JobDefinition job) {
    if (job != null) {
      b.tasks.createJob(key, job);
      return;
    }
    String name = ctx.evaluateString(message.name(), key, "message name");
    String correlationKey =
        ctx.evaluateOptionalString(message.correlationKey(), key, "correlation key");
    // Published after commit from the outbox, so that a crash cannot lose it.
    ctx.outbox(
        null,
        new PublishMessage(
            ctx.ids.newId(), name, correlationKey, ctx.state.visibleVariables(key), Duration.ZERO));
    b.flow.complete(key);
  }

  /** A terminate end event ends everything else in its scope, then the scope itself. */
  private void terminateScope(long key) {
    ElementInstance el = ctx.state.element(key);
    long scopeKey = el.scopeKey();
    for (ElementInstance sibling : ctx.state.childrenOf(scopeKey)) {
      if (sibling.key() != key) {
        b.flow.terminate(sibling.key());
      }
    }
    ctx.emit(new ElementCompleted(key, el.elementId(), el.elementType()));
    b.containers.completeScopeNow(scopeKey);
  }

  void activateCatch(IntermediateCatchEvent e, long key) {
    switch (e.trigger()) {
      case EventDefinition.Timer t -> armTimer(key, e.id(), t.timer());
      case EventDefinition.Message m -> openSubscription(key, e.id(), m.message());
      default ->
          throw new IncidentSignal(
              "UNSUPPORTED", "catch event '" + e.id() + "' has no timer or message");
    }
  }

  /**
   * Opens the timers and message subscriptions of an activity's boundary events. Those already open
   * are left alone, so that activation can be re-run after an incident without doubling them.
   */
  void openBoundaryEvents(Activity a, long key) {
    for (BoundaryEvent be : ctx.process.boundaryEvents(a.id())) {
      if (owns(key, be.id())) {
        continue;
      }
      switch (be.trigger()) {
        case EventDefinition.Timer t -> armTimer(key, be.id(), t.timer());
        case EventDefinition.Message m -> openSubscription(key, be.id(), m.message());
        default -> {
          // error boundary events are found when an error is thrown
        }
      }
    }
  }

  private boolean owns(long ownerKey, String targetElementId) {
    return ctx.state.timers().values().stream()
            .anyMatch(
                t -> t.elementKey() == ownerKey && t.targetElementId().equals(targetElementId))
        || ctx.state.subscriptions().values().stream()
            .anyMatch(
                s -> s.elementKey() == ownerKey && s.targetElementId().equals(targetElementId));
  }

  // ---- arming

  void armTimer(long ownerKey, String targetElementId, TimerSpec spec) {
    Object value = ctx.evaluate(spec.expression(), ownerKey, "timer of '" + targetElementId + "'");
    TimerSchedule schedule;
    try {
      schedule = TimerSchedule.parse(spec.kind(), String.valueOf(value));
    } catch (IllegalArgumentException ex) {
      throw new IncidentSignal(
          "EXPRESSION", "timer of '" + targetElementId + "': " + ex.getMessage());
    }
    Instant due = schedule.firstDue(ctx.now);
    int repetitions = 0;
    String interval = null;
    if (schedule instanceof CycleSchedule c) {
      repetitions = c.repetitions() < 0 ? -1 : Math.max(0, c.repetitions() - 1);
      interval = c.interval();
    }
    ctx.emit(new TimerCreated(ctx.newKey(), ownerKey, targetElementId, due, repetitions, interval));
  }

  void openSubscription(long ownerKey, String targetElementId, MessageRef message) {
    String name =
        ctx.evaluateString(message.name(), ownerKey, "message name of '" + targetElementId + "'");
    String correlationKey = null;
    if (message.correlationKey() != null) {
      // A key that evaluates to nothing would match every message sent without one: refuse it.
      correlationKey =
          ctx.evaluateString(
              message.correlationKey(), ownerKey, "correlation key of '" + targetElementId + "'");
    }
    long subKey = ctx.newKey();
    ctx.emit(new SubscriptionOpened(subKey, ownerKey, targetElementId, name, correlationKey));
    // One early message per owner: the first one taken closes the owner's other subscriptions
    // (event-based gateway), so taking more would lose them.
    if (ctx.ownersWithEarlyMessage.contains(ownerKey)) {
      return;
    }
    Optional<BufferedMessage> early = ctx.buffer.take(name, correlationKey, ctx.state.processId());
    if (early.isPresent()) {
      ctx.ownersWithEarlyMessage.add(ownerKey);
      BufferedMessage m = early.get();
      ctx.takenMessages.add(m);
      SubscriptionInfo sub = ctx.state.subscriptions().get(subKey);
      ctx.later(() -> onMessage(sub, m.id(), m.name(), m.variables()));
    }
  }

  // ---- firing

  /** A timer fired. */
  void onTimer(TimerInfo t) {
    ctx.emit(new TimerTriggered(t.timerKey(), t.targetElementId()));
    ElementInstance owner = ctx.state.element(t.elementKey());
    if (owner == null) {
      return;
    }
    FlowNode target = ctx.process.node(t.targetElementId());
    if (target instanceof BoundaryEvent be) {
      if (!be.cancelActivity() && t.repetitionsLeft() != 0 && t.interval() != null) {
        Instant next = TimerSchedule.nextDue(t.dueAt(), t.interval());
        int left = t.repetitionsLeft() < 0 ? -1 : t.repetitionsLeft() - 1;
        ctx.emit(new TimerCreated(ctx.newKey(), owner.key(), be.id(), next, left, t.interval()));
      }
      triggerBoundary(owner, be, Map.of());
    } else if ("eventBasedGateway".equals(owner.elementType())) {
      triggerEventGateway(owner, target, Map.of());
    } else {
      b.flow.complete(owner.key());
    }
  }

  /** A message was correlated to a subscription. */
  void onMessage(SubscriptionInfo s, String messageId, String name, Map<String, Object> variables) {
    if (s == null || !ctx.state.subscriptions().containsKey(s.subscriptionKey())) {
      return;
    }
    ctx.emit(
        new MessageCorrelated(
            s.subscriptionKey(), s.targetElementId(), messageId, name, variables));
    ElementInstance owner = ctx.state.element(s.elementKey());
    if (owner == null) {
      return;
    }
    FlowNode target = ctx.process.node(s.targetElementId());
    if (target instanceof BoundaryEvent be) {
      if (!be.cancelActivity()) {
        // A non-interrupting message boundary event keeps listening for the next message.
        ctx.emit(
            new SubscriptionOpened(
                ctx.newKey(), owner.key(), be.id(), s.messageName(), s.correlationKey()));
      }
      triggerBoundary(owner, be, variables);
    } else if ("eventBasedGateway".equals(owner.elementType())) {
      triggerEventGateway(owner, target, variables);
    } else {
      b.variables.setResult(owner.key(), FlowControl.ioOf(target), variables);
      b.flow.complete(owner.key());
    }
  }

  /**
   * Activates a boundary event of {@code owner}; interrupting ones terminate the activity first.
   */
  void triggerBoundary(ElementInstance owner, BoundaryEvent be, Map<String, Object> variables) {
    long scopeKey = owner.scopeKey();
    if (be.cancelActivity()) {
      b.flow.terminate(owner.key());
    }
    long key = ctx.newKey();
    ctx.emit(
        new ElementActivated(
            key,
            be.id(),
            be.tag(),
            scopeKey,
            null,
            null,
            List.of(),
            be.header().extensions().get("cloud")));
    b.variables.setResult(key, be.io(), variables);
    b.flow.complete(key);
  }

  /** The first event after an event-based gateway happened: the others are withdrawn. */
  private void triggerEventGateway(
      ElementInstance gateway, FlowNode target, Map<String, Object> variables) {
    b.flow.closeOwnedEvents(gateway.key());
    ctx.emit(new ElementCompleted(gateway.key(), gateway.elementId(), gateway.elementType()));
    String via =
        ctx.process.outgoing(gateway.elementId()).stream()
            .filter(f -> f.targetId().equals(target.id()))
            .map(SequenceFlow::id)
            .findFirst()
            .orElse(null);
    long key = ctx.newKey();
    ctx.emit(
        new ElementActivated(
            key,
            target.id(),
            target.tag(),
            gateway.scopeKey(),
            via,
            null,
            List.of(),
            target.header().extensions().get("cloud")));
    b.variables.setResult(key, FlowControl.ioOf(target), variables);
    b.flow.complete(key);
  }
}
