package io.cob.engine.event;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Everything that can happen to a process instance. An instance's state is a pure function of its
 * events, computed by the appliers in {@code io.cob.engine.state}; the log of these events is also
 * the instance's history, its replication stream and its audit trail.
 *
 * <p>Keys ({@code key}, {@code jobKey} ...) are numbers unique within one instance, taken from the
 * instance's key counter; combined with the instance id they are globally unique. Once written, an
 * event record's shape and meaning never change: a new meaning is a new record.
 */
public sealed interface InstanceEvent {

  /** The element id this event concerns, for history listings; {@code null} when none. */
  default String elementId() {
    return null;
  }

  /** The element's BPMN type for history listings; {@code null} when none. */
  default String elementType() {
    return null;
  }

  record InstanceCreated(
      String instanceId,
      String processId,
      int version,
      String businessKey,
      String parentInstanceId,
      long parentElementKey,
      String ownerCloud,
      Map<String, Object> variables)
      implements InstanceEvent {
    @Override
    public String elementId() {
      return processId;
    }

    @Override
    public String elementType() {
      return "process";
    }
  }

  /**
   * The instance belongs to a trace: the W3C {@code traceparent} of the span that started it (an
   * API call, a message that started it, the parent of a called instance). Recorded just after
   * {@code InstanceCreated} when the instance was started in a trace; every job of the instance
   * carries it, so that the spans of its steps, in every cloud, are of that one trace.
   */
  record InstanceTraced(String traceparent) implements InstanceEvent {}

  /**
   * An element instance began.
   *
   * @param scopeKey the element instance key of the enclosing scope (the process instance is key 1,
   *     whose scopeKey is 0)
   * @param viaFlowId the sequence flow that led here, or {@code null}
   * @param loopCounter the 1-based index for an instance inside a multi-instance body, else {@code
   *     null}
   * @param joinedFlows for a joining gateway: the arrivals it consumed
   * @param cloud the cloud the element is placed on, or {@code null} for the owner's cloud
   */
  record ElementActivated(
      long key,
      String elementId,
      String elementType,
      long scopeKey,
      String viaFlowId,
      Integer loopCounter,
      List<String> joinedFlows,
      String cloud)
      implements InstanceEvent {}

  record ElementCompleted(long key, String elementId, String elementType)
      implements InstanceEvent {}

  record ElementTerminated(long key, String elementId, String elementType)
      implements InstanceEvent {}

  /** A token reached a joining gateway and waits there for the others. */
  record TokenArrivedAtJoin(long scopeKey, String elementId, String flowId)
      implements InstanceEvent {}

  /** Variables set (created or overwritten) in one scope. */
  record VariablesSet(long scopeKey, Map<String, Object> variables) implements InstanceEvent {}

  /**
   * A multi-instance body evaluated its input collection (or cardinality) once: how many inner
   * instances it runs, and the items they get ({@code null} entries for a cardinality).
   */
  record MultiInstanceStarted(long bodyKey, String elementId, int total, List<Object> items)
      implements InstanceEvent {}

  /**
   * The engine decided where a step runs, before it created the step's job: on the element's first
   * activation, again when an incident about its placement is resolved, and when its job is placed
   * again ({@code ReplaceJob}, e.g. because the job's cloud went DOWN). Its applier sets the cloud
   * of the element instance, which the job created next carries. A step the model says nothing
   * about runs on the owner's cloud and records no such event.
   *
   * @param elementKey the element instance placed
   * @param cloud the chosen cloud
   * @param reason why, e.g. {@code lane 'public-a'} or {@code policy jurisdiction=eu;
   *     prefer=cheapest (cob:placement of process 'p'): cheapest of [public-b 0.002, private
   *     0.004]}
   * @param alternatives the other eligible clouds, best first
   * @param rejected the clouds not eligible, each with why, e.g. {@code private: DOWN}
   */
  record StepPlaced(
      long elementKey,
      String elementId,
      String cloud,
      String reason,
      List<String> alternatives,
      List<String> rejected)
      implements InstanceEvent {}

  record JobCreated(
      long jobKey,
      long elementKey,
      String elementId,
      String type,
      int retries,
      Map<String, String> headers,
      String cloud)
      implements InstanceEvent {}

  /**
   * A job placed on another cloud ran there; recorded with its outcome (just before {@code
   * JobCompleted}, {@code JobFailed} or {@code JobErrorThrown}) when the owner applies it. History
   * only: it changes no state. Times are each node's own clock (see {@code RemoteRun}).
   *
   * @param cloud the cloud that ran it
   * @param node the node of that cloud that ran it
   * @param sentAt when the owner sent the job
   * @param receivedAt when the running node took it from the bus
   * @param startedAt when the handler started
   * @param finishedAt when the outcome was known
   * @param resultSentAt when the running node sent the outcome back
   * @param resultReceivedAt when the owner took the outcome from the bus
   */
  record JobRanRemotely(
      long jobKey,
      String elementId,
      String cloud,
      String node,
      Instant sentAt,
      Instant receivedAt,
      Instant startedAt,
      Instant finishedAt,
      Instant resultSentAt,
      Instant resultReceivedAt)
      implements InstanceEvent {}

  record JobCompleted(long jobKey, String elementId, Map<String, Object> variables)
      implements InstanceEvent {}

  /**
   * A job attempt failed; {@code retries} are left; the next attempt is not before {@code retryAt}.
   */
  record JobFailed(long jobKey, String elementId, int retries, String errorMessage, Instant retryAt)
      implements InstanceEvent {}

  /** The worker reported a BPMN error. */
  record JobErrorThrown(long jobKey, String elementId, String errorCode, String errorMessage)
      implements InstanceEvent {}

  /** A job was withdrawn because its element ended. */
  record JobCanceled(long jobKey, String elementId) implements InstanceEvent {}

  /** A job with no retries left got its retries back (incident resolved). */
  record JobRetriesUpdated(long jobKey, String elementId, int retries) implements InstanceEvent {}

  /**
   * A timer was armed.
   *
   * @param elementKey the element instance that owns it: the catching event, the activity a
   *     boundary event is attached to, or the event-based gateway
   * @param targetElementId the event that fires
   * @param repetitionsLeft for a cycle, how many more times it fires after this one ({@code -1}:
   *     unbounded); {@code 0} otherwise
   * @param interval for a cycle, the ISO-8601 duration between firings; else {@code null}
   */
  record TimerCreated(
      long timerKey,
      long elementKey,
      String targetElementId,
      Instant dueAt,
      int repetitionsLeft,
      String interval)
      implements InstanceEvent {
    @Override
    public String elementId() {
      return targetElementId;
    }
  }

  record TimerTriggered(long timerKey, String targetElementId) implements InstanceEvent {
    @Override
    public String elementId() {
      return targetElementId;
    }
  }

  record TimerCanceled(long timerKey, String targetElementId) implements InstanceEvent {
    @Override
    public String elementId() {
      return targetElementId;
    }
  }

  record SubscriptionOpened(
      long subscriptionKey,
      long elementKey,
      String targetElementId,
      String messageName,
      String correlationKey)
      implements InstanceEvent {
    @Override
    public String elementId() {
      return targetElementId;
    }
  }

  record MessageCorrelated(
      long subscriptionKey,
      String targetElementId,
      String messageId,
      String messageName,
      Map<String, Object> variables)
      implements InstanceEvent {
    @Override
    public String elementId() {
      return targetElementId;
    }
  }

  record SubscriptionClosed(long subscriptionKey, String targetElementId) implements InstanceEvent {
    @Override
    public String elementId() {
      return targetElementId;
    }
  }

  record UserTaskCreated(
      long taskKey,
      long elementKey,
      String elementId,
      String name,
      String assignee,
      List<String> candidateGroups,
      List<String> candidateUsers,
      String formKey,
      Instant dueDate)
      implements InstanceEvent {}

  record UserTaskCompleted(long taskKey, String elementId, Map<String, Object> variables)
      implements InstanceEvent {}

  record UserTaskCanceled(long taskKey, String elementId) implements InstanceEvent {}

  /**
   * The instance cannot go on at an element without a person.
   *
   * @param kind JOB_NO_RETRIES, UNHANDLED_ERROR, EXPRESSION, CALLED_ELEMENT, CONDITION, PLACEMENT
   *     (no cloud may run the step; resolving it places the step again) ...
   * @param jobKey the job concerned, or {@code null}
   */
  record IncidentCreated(
      long incidentKey, long elementKey, String elementId, Long jobKey, String kind, String message)
      implements InstanceEvent {}

  record IncidentResolved(long incidentKey, String elementId) implements InstanceEvent {}

  /** A call activity started a child instance. */
  record ChildInstanceStarted(
      long elementKey, String elementId, String childInstanceId, String processId)
      implements InstanceEvent {}

  /** A called child instance ended and its result arrived. */
  record ChildInstanceEnded(
      long elementKey,
      String elementId,
      String childInstanceId,
      String childState,
      Map<String, Object> variables)
      implements InstanceEvent {}

  /**
   * Another cloud took the instance over (fail-over): from now on only {@code toCloud} advances it,
   * and anything carrying an older epoch is refused.
   *
   * @param fromCloud the cloud that owned it until now
   * @param epoch the new ownership epoch, one more than before
   * @param reason why, e.g. {@code manual fail-over of cloud 'private'}
   */
  record OwnershipTaken(String fromCloud, String toCloud, long epoch, String reason)
      implements InstanceEvent {}

  /**
   * Events a cloud committed for this instance while it owned it and that never reached the cloud
   * that took the instance over: not applied (the instance went on without them), kept here so that
   * nothing is lost silently.
   *
   * @param cloud the cloud that committed them
   * @param epoch its epoch then
   * @param events each as {@code seq type json}
   */
  record ReplicaConflict(String cloud, long epoch, List<String> events) implements InstanceEvent {}

  /** The instance ended: COMPLETED, TERMINATED (terminate end event) or CANCELED. */
  record InstanceEnded(String state) implements InstanceEvent {}
}
