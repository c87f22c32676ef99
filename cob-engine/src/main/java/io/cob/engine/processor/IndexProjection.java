package io.cob.engine.processor;

import io.cob.engine.event.EventRecord;
import io.cob.engine.event.InstanceEvent;
import io.cob.engine.port.IndexChange;
import io.cob.engine.port.StoreRows.BufferedMessage;
import io.cob.engine.port.StoreRows.CloudScope;
import io.cob.engine.port.StoreRows.IncidentRow;
import io.cob.engine.port.StoreRows.InstanceSummary;
import io.cob.engine.port.StoreRows.JobRow;
import io.cob.engine.port.StoreRows.OutboxRow;
import io.cob.engine.port.StoreRows.SubscriptionRow;
import io.cob.engine.port.StoreRows.TimerRow;
import io.cob.engine.port.StoreRows.UserTaskRow;
import io.cob.engine.state.IncidentInfo;
import io.cob.engine.state.InstanceState;
import io.cob.engine.state.JobInfo;
import io.cob.engine.state.SubscriptionInfo;
import io.cob.engine.state.TimerInfo;
import io.cob.engine.state.UserTaskInfo;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Derives the store's index rows from the state after a command: every job, timer, subscription,
 * user task and incident an event touched is written as it now is, or removed when it is gone. One
 * change per row, so the order in which a store applies them does not matter.
 */
public final class IndexProjection {
  private final InstanceState state;
  private final Instant now;
  private final ProcessingSettings settings;
  private final Set<Long> jobs = new TreeSet<>();
  private final Set<Long> timers = new TreeSet<>();
  private final Set<Long> subscriptions = new TreeSet<>();
  private final Set<Long> userTasks = new TreeSet<>();
  private final Set<Long> incidents = new TreeSet<>();
  private final List<JobRow> localJobs = new ArrayList<>();
  private final List<TimerRow> newTimers = new ArrayList<>();

  public IndexProjection(InstanceState state, Instant now, ProcessingSettings settings) {
    this.state = state;
    this.now = now;
    this.settings = settings;
  }

  /**
   * Notes every row of {@code other} (an instance as it was, or is), to be written as it now is.
   */
  public void touchAll(InstanceState other) {
    jobs.addAll(other.jobs().keySet());
    timers.addAll(other.timers().keySet());
    subscriptions.addAll(other.subscriptions().keySet());
    userTasks.addAll(other.userTasks().keySet());
    incidents.addAll(other.incidents().keySet());
  }

  /** Notes which rows the events touched. */
  public void project(List<EventRecord> events) {
    for (EventRecord r : events) {
      switch (r.event()) {
        case InstanceEvent.JobCreated e -> jobs.add(e.jobKey());
        case InstanceEvent.JobCompleted e -> jobs.add(e.jobKey());
        case InstanceEvent.JobFailed e -> jobs.add(e.jobKey());
        case InstanceEvent.JobErrorThrown e -> jobs.add(e.jobKey());
        case InstanceEvent.JobCanceled e -> jobs.add(e.jobKey());
        case InstanceEvent.JobRetriesUpdated e -> jobs.add(e.jobKey());
        case InstanceEvent.TimerCreated e -> timers.add(e.timerKey());
        case InstanceEvent.TimerTriggered e -> timers.add(e.timerKey());
        case InstanceEvent.TimerCanceled e -> timers.add(e.timerKey());
        case InstanceEvent.SubscriptionOpened e -> subscriptions.add(e.subscriptionKey());
        case InstanceEvent.MessageCorrelated e -> subscriptions.add(e.subscriptionKey());
        case InstanceEvent.SubscriptionClosed e -> subscriptions.add(e.subscriptionKey());
        case InstanceEvent.UserTaskCreated e -> userTasks.add(e.taskKey());
        case InstanceEvent.UserTaskCompleted e -> userTasks.add(e.taskKey());
        case InstanceEvent.UserTaskCanceled e -> userTasks.add(e.taskKey());
        case InstanceEvent.IncidentCreated e -> incidents.add(e.incidentKey());
        case InstanceEvent.IncidentResolved e -> incidents.add(e.incidentKey());
        case InstanceEvent.OwnershipTaken e ->
            // Taken over, or handed over: every row of the instance is armed here now, or gone.
            touchAll(state);
        default -> {
          // no index row
        }
      }
    }
  }

  public List<IndexChange> changes(List<OutboxRow> outbox, List<BufferedMessage> takenMessages) {
    List<IndexChange> out = new ArrayList<>();
    String id = state.instanceId();
    if (state.ownerCloud() != null && !state.ownerCloud().equals(settings.cloud())) {
      // Another cloud owns it: a replica here has no rows to act on.
      jobs.forEach(k -> out.add(new IndexChange.RemoveJob(key(id, k))));
      timers.forEach(k -> out.add(new IndexChange.RemoveTimer(key(id, k))));
      subscriptions.forEach(k -> out.add(new IndexChange.RemoveSubscription(key(id, k))));
      userTasks.forEach(k -> out.add(new IndexChange.RemoveUserTask(key(id, k))));
      incidents.forEach(k -> out.add(new IndexChange.RemoveIncident(key(id, k))));
      return out;
    }
    for (Long k : jobs) {
      JobInfo j = state.jobs().get(k);
      if (j == null || j.retries() <= 0) {
        out.add(new IndexChange.RemoveJob(key(id, k)));
      } else {
        JobRow row = jobRow(j);
        out.add(new IndexChange.PutJob(row));
        if (row.lockOwner() != null) {
          localJobs.add(row);
        }
      }
    }
    for (Long k : timers) {
      TimerInfo t = state.timers().get(k);
      if (t == null) {
        out.add(new IndexChange.RemoveTimer(key(id, k)));
      } else {
        TimerRow row = new TimerRow(key(id, k), id, k, t.targetElementId(), t.dueAt());
        out.add(new IndexChange.PutTimer(row));
        newTimers.add(row);
      }
    }
    for (Long k : subscriptions) {
      SubscriptionInfo s = state.subscriptions().get(k);
      out.add(
          s == null
              ? new IndexChange.RemoveSubscription(key(id, k))
              : new IndexChange.PutSubscription(
                  new SubscriptionRow(
                      key(id, k),
                      id,
                      k,
                      s.targetElementId(),
                      s.messageName(),
                      s.correlationKey(),
                      s.createdAt())));
    }
    for (Long k : userTasks) {
      UserTaskInfo t = state.userTasks().get(k);
      out.add(
          t == null
              ? new IndexChange.RemoveUserTask(key(id, k))
              : new IndexChange.PutUserTask(
                  new UserTaskRow(
                      key(id, k),
                      id,
                      k,
                      t.elementKey(),
                      state.processId(),
                      t.elementId(),
                      t.name(),
                      t.assignee(),
                      t.candidateGroups(),
                      t.candidateUsers(),
                      t.formKey(),
                      t.dueDate(),
                      t.createdAt())));
    }
    for (Long k : incidents) {
      IncidentInfo i = state.incidents().get(k);
      out.add(
          i == null
              ? new IndexChange.RemoveIncident(key(id, k))
              : new IndexChange.PutIncident(
                  new IncidentRow(
                      key(id, k),
                      id,
                      k,
                      i.elementKey(),
                      i.elementId(),
                      i.jobKey() == null ? null : key(id, i.jobKey()),
                      i.kind(),
                      i.message(),
                      i.createdAt())));
    }
    for (OutboxRow row : outbox) {
      out.add(new IndexChange.PutOutbox(row));
    }
    for (BufferedMessage m : takenMessages) {
      out.add(new IndexChange.PutBufferedMessage(m));
    }
    return out;
  }

  /**
   * Jobs due now that this node starts right after commit, stored locked by it: those of its own
   * types placed on its cloud (run here), and those placed on another cloud (sent there).
   */
  public List<JobRow> localJobs() {
    return List.copyOf(localJobs);
  }

  public List<TimerRow> timers() {
    return List.copyOf(newTimers);
  }

  private JobRow jobRow(JobInfo j) {
    // A job placed on another cloud is not this node's to run: it is held for its dispatch there,
    // right after this commit, when the node sends jobs away.
    boolean here = CloudScope.in(settings.cloud()).covers(j.cloud());
    boolean due = !j.dueAt().isAfter(now);
    boolean away = !here && due && settings.dispatchLease() != null;
    boolean local = here && due && settings.runsLocally().test(j.type());
    return new JobRow(
        key(state.instanceId(), j.jobKey()),
        state.instanceId(),
        j.elementKey(),
        j.elementId(),
        j.type(),
        j.retries(),
        j.dueAt(),
        local || away ? settings.nodeId() : null,
        local
            ? now.plus(settings.localLockDuration())
            : away ? now.plus(settings.dispatchLease()) : null,
        j.headers(),
        j.cloud());
  }

  /** The queryable header of the instance as it now is. */
  public static InstanceSummary summary(InstanceState s) {
    return new InstanceSummary(
        s.instanceId(),
        s.processId(),
        s.version(),
        s.processId() + ":" + s.version(),
        s.businessKey(),
        s.status(),
        s.ownerCloud(),
        s.epoch(),
        s.parentInstanceId(),
        s.startedAt(),
        s.endedAt(),
        s.incidents().size());
  }

  public static String key(String instanceId, long key) {
    return instanceId + ":" + key;
  }
}
