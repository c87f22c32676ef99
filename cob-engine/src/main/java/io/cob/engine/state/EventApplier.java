package io.cob.engine.state;

import io.cob.engine.event.EventRecord;
import io.cob.engine.event.InstanceEvent;
import io.cob.engine.event.InstanceEvent.ChildInstanceEnded;
import io.cob.engine.event.InstanceEvent.ChildInstanceStarted;
import io.cob.engine.event.InstanceEvent.ElementActivated;
import io.cob.engine.event.InstanceEvent.ElementCompleted;
import io.cob.engine.event.InstanceEvent.ElementTerminated;
import io.cob.engine.event.InstanceEvent.IncidentCreated;
import io.cob.engine.event.InstanceEvent.IncidentResolved;
import io.cob.engine.event.InstanceEvent.InstanceCreated;
import io.cob.engine.event.InstanceEvent.InstanceEnded;
import io.cob.engine.event.InstanceEvent.InstanceTraced;
import io.cob.engine.event.InstanceEvent.JobCanceled;
import io.cob.engine.event.InstanceEvent.JobCompleted;
import io.cob.engine.event.InstanceEvent.JobCreated;
import io.cob.engine.event.InstanceEvent.JobErrorThrown;
import io.cob.engine.event.InstanceEvent.JobFailed;
import io.cob.engine.event.InstanceEvent.JobRanRemotely;
import io.cob.engine.event.InstanceEvent.JobRetriesUpdated;
import io.cob.engine.event.InstanceEvent.MessageCorrelated;
import io.cob.engine.event.InstanceEvent.MultiInstanceStarted;
import io.cob.engine.event.InstanceEvent.OwnershipTaken;
import io.cob.engine.event.InstanceEvent.ReplicaConflict;
import io.cob.engine.event.InstanceEvent.StepPlaced;
import io.cob.engine.event.InstanceEvent.SubscriptionClosed;
import io.cob.engine.event.InstanceEvent.SubscriptionOpened;
import io.cob.engine.event.InstanceEvent.TimerCanceled;
import io.cob.engine.event.InstanceEvent.TimerCreated;
import io.cob.engine.event.InstanceEvent.TimerTriggered;
import io.cob.engine.event.InstanceEvent.TokenArrivedAtJoin;
import io.cob.engine.event.InstanceEvent.UserTaskCanceled;
import io.cob.engine.event.InstanceEvent.UserTaskCompleted;
import io.cob.engine.event.InstanceEvent.UserTaskCreated;
import io.cob.engine.event.InstanceEvent.VariablesSet;
import io.cob.engine.state.ElementInstance.MultiInstanceProgress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * The only code that changes an {@link InstanceState}: one small method per event type. Applying
 * the same events to a fresh state always yields the same state (replay), so appliers must not read
 * clocks, generate ids or consult anything but the event and the state.
 *
 * <p>When the meaning of an event changes, a new event type (and applier) is added; existing
 * appliers are never edited in a way that changes the state old logs produce.
 */
public final class EventApplier {
  private EventApplier() {}

  /** Applies one recorded event. Sequence numbers must follow each other without gaps. */
  public static void apply(InstanceState s, EventRecord record) {
    if (record.seq() != s.lastSeq + 1) {
      throw new IllegalStateException(
          "instance "
              + s.instanceId
              + ": event seq "
              + record.seq()
              + " does not follow "
              + s.lastSeq);
    }
    apply(s, record.event(), record.at());
    s.lastSeq = record.seq();
  }

  /** Rebuilds a state from a whole log. */
  public static InstanceState replay(List<EventRecord> log) {
    InstanceState s = new InstanceState();
    for (EventRecord r : log) {
      apply(s, r);
    }
    return s;
  }

  private static void apply(InstanceState s, InstanceEvent event, Instant at) {
    switch (event) {
      case InstanceCreated e -> instanceCreated(s, e, at);
      case InstanceTraced e -> s.traceparent = e.traceparent();
      case ElementActivated e -> elementActivated(s, e);
      case ElementCompleted e -> elementEnded(s, e.key(), true);
      case ElementTerminated e -> elementEnded(s, e.key(), false);
      case TokenArrivedAtJoin e ->
          s.joinArrivals
              .computeIfAbsent(
                  InstanceState.joinKey(e.scopeKey(), e.elementId()), k -> new ArrayList<>())
              .add(e.flowId());
      case VariablesSet e ->
          s.variables
              .computeIfAbsent(e.scopeKey(), k -> new LinkedHashMap<>())
              .putAll(e.variables());
      case MultiInstanceStarted e ->
          s.elements.computeIfPresent(
              e.bodyKey(),
              (k, el) ->
                  el.withMultiInstance(new MultiInstanceProgress(e.total(), 0, 0, 0, e.items())));
      case StepPlaced e ->
          s.elements.computeIfPresent(e.elementKey(), (k, el) -> el.withCloud(e.cloud()));
      case JobCreated e -> jobCreated(s, e, at);
      case JobRanRemotely e -> {
        // History only: where the job ran changes nothing of the state.
      }
      case JobCompleted e -> s.jobs.remove(e.jobKey());
      case JobFailed e ->
          s.jobs.computeIfPresent(
              e.jobKey(),
              (k, j) ->
                  new JobInfo(
                      j.jobKey(),
                      j.elementKey(),
                      j.elementId(),
                      j.type(),
                      e.retries(),
                      j.failures() + 1,
                      e.retryAt(),
                      e.errorMessage(),
                      j.headers(),
                      j.cloud()));
      case JobErrorThrown e -> s.jobs.remove(e.jobKey());
      case JobCanceled e -> s.jobs.remove(e.jobKey());
      case JobRetriesUpdated e ->
          s.jobs.computeIfPresent(
              e.jobKey(),
              (k, j) ->
                  new JobInfo(
                      j.jobKey(),
                      j.elementKey(),
                      j.elementId(),
                      j.type(),
                      e.retries(),
                      0,
                      at,
                      j.errorMessage(),
                      j.headers(),
                      j.cloud()));
      case TimerCreated e -> {
        bumpKey(s, e.timerKey());
        s.timers.put(
            e.timerKey(),
            new TimerInfo(
                e.timerKey(),
                e.elementKey(),
                e.targetElementId(),
                e.dueAt(),
                e.repetitionsLeft(),
                e.interval()));
      }
      case TimerTriggered e -> s.timers.remove(e.timerKey());
      case TimerCanceled e -> s.timers.remove(e.timerKey());
      case SubscriptionOpened e -> {
        bumpKey(s, e.subscriptionKey());
        s.subscriptions.put(
            e.subscriptionKey(),
            new SubscriptionInfo(
                e.subscriptionKey(),
                e.elementKey(),
                e.targetElementId(),
                e.messageName(),
                e.correlationKey(),
                at));
      }
      case MessageCorrelated e -> s.subscriptions.remove(e.subscriptionKey());
      case SubscriptionClosed e -> s.subscriptions.remove(e.subscriptionKey());
      case UserTaskCreated e -> {
        bumpKey(s, e.taskKey());
        s.userTasks.put(
            e.taskKey(),
            new UserTaskInfo(
                e.taskKey(),
                e.elementKey(),
                e.elementId(),
                e.name(),
                e.assignee(),
                e.candidateGroups(),
                e.candidateUsers(),
                e.formKey(),
                e.dueDate(),
                at));
      }
      case UserTaskCompleted e -> s.userTasks.remove(e.taskKey());
      case UserTaskCanceled e -> s.userTasks.remove(e.taskKey());
      case IncidentCreated e -> {
        bumpKey(s, e.incidentKey());
        s.incidents.put(
            e.incidentKey(),
            new IncidentInfo(
                e.incidentKey(),
                e.elementKey(),
                e.elementId(),
                e.jobKey(),
                e.kind(),
                e.message(),
                at));
      }
      case IncidentResolved e -> s.incidents.remove(e.incidentKey());
      case ChildInstanceStarted e ->
          s.elements.computeIfPresent(e.elementKey(), (k, el) -> el.withChild(e.childInstanceId()));
      case ChildInstanceEnded e ->
          s.elements.computeIfPresent(e.elementKey(), (k, el) -> el.withChild(null));
      case InstanceEnded e -> {
        s.status = e.state();
        s.endedAt = at;
      }
      case OwnershipTaken e -> {
        s.ownerCloud = e.toCloud();
        s.epoch = e.epoch();
      }
      case ReplicaConflict e -> {
        // History only: the conflicting events were not applied.
      }
    }
  }

  private static void instanceCreated(InstanceState s, InstanceCreated e, Instant at) {
    s.instanceId = e.instanceId();
    s.processId = e.processId();
    s.version = e.version();
    s.businessKey = e.businessKey();
    s.parentInstanceId = e.parentInstanceId();
    s.parentElementKey = e.parentElementKey();
    s.ownerCloud = e.ownerCloud();
    s.startedAt = at;
    s.status = "ACTIVE";
  }

  private static void elementActivated(InstanceState s, ElementActivated e) {
    bumpKey(s, e.key());
    s.elements.put(
        e.key(),
        new ElementInstance(
            e.key(),
            e.elementId(),
            e.elementType(),
            e.scopeKey(),
            e.loopCounter(),
            null,
            null,
            e.cloud()));
    if (!e.joinedFlows().isEmpty()) {
      String jk = InstanceState.joinKey(e.scopeKey(), e.elementId());
      List<String> waiting = s.joinArrivals.get(jk);
      if (waiting != null) {
        for (String flow : e.joinedFlows()) {
          waiting.remove(flow);
        }
        if (waiting.isEmpty()) {
          s.joinArrivals.remove(jk);
        }
      }
    }
    // An inner instance of a multi-instance body counts as started.
    ElementInstance scope = s.elements.get(e.scopeKey());
    if (scope != null && scope.multiInstance() != null && e.loopCounter() != null) {
      MultiInstanceProgress p = scope.multiInstance();
      s.elements.put(
          scope.key(),
          scope.withMultiInstance(
              new MultiInstanceProgress(
                  p.total(), p.started() + 1, p.completed(), p.terminated(), p.items())));
    }
  }

  private static void elementEnded(InstanceState s, long key, boolean completed) {
    ElementInstance ended = s.elements.remove(key);
    // The process instance's own variables outlive it: they are its result.
    if (key != InstanceState.ROOT_KEY) {
      s.variables.remove(key);
    }
    if (ended == null) {
      return;
    }
    // Waiting tokens of joins inside the ended scope vanish with it.
    String prefix = key + "/";
    s.joinArrivals.keySet().removeIf(k -> k.startsWith(prefix));
    ElementInstance scope = s.elements.get(ended.scopeKey());
    if (scope != null && scope.multiInstance() != null && ended.loopCounter() != null) {
      MultiInstanceProgress p = scope.multiInstance();
      s.elements.put(
          scope.key(),
          scope.withMultiInstance(
              new MultiInstanceProgress(
                  p.total(),
                  p.started(),
                  p.completed() + (completed ? 1 : 0),
                  p.terminated() + (completed ? 0 : 1),
                  p.items())));
    }
  }

  private static void jobCreated(InstanceState s, JobCreated e, Instant at) {
    bumpKey(s, e.jobKey());
    s.jobs.put(
        e.jobKey(),
        new JobInfo(
            e.jobKey(),
            e.elementKey(),
            e.elementId(),
            e.type(),
            e.retries(),
            0,
            at,
            null,
            e.headers(),
            e.cloud()));
  }

  private static void bumpKey(InstanceState s, long key) {
    if (key >= s.nextKey) {
      s.nextKey = key + 1;
    }
  }
}
