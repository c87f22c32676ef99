package io.cob.engine.command;

import io.cob.engine.event.EventRecord;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A request to change one process instance. Commands are applied one at a time per instance; a
 * command that no longer fits the instance's state (a job that was already completed, a timer that
 * was withdrawn) is rejected without changing anything, so redelivering a command is harmless.
 */
public sealed interface InstanceCommand {

  String instanceId();

  /**
   * Creates an instance.
   *
   * @param version the process version, or {@code 0} for the latest
   * @param startElementId the start event to start at; {@code null} for the none start event
   * @param parentInstanceId for an instance called by a call activity, its parent; else {@code
   *     null}
   * @param traceparent the W3C trace context the instance starts in (recorded as {@code
   *     InstanceTraced}), or {@code null} for none
   */
  record StartInstance(
      String instanceId,
      String processId,
      int version,
      String businessKey,
      Map<String, Object> variables,
      String startElementId,
      String parentInstanceId,
      long parentElementKey,
      String traceparent)
      implements InstanceCommand {

    /** An instance started outside any trace. */
    public StartInstance(
        String instanceId,
        String processId,
        int version,
        String businessKey,
        Map<String, Object> variables,
        String startElementId,
        String parentInstanceId,
        long parentElementKey) {
      this(
          instanceId,
          processId,
          version,
          businessKey,
          variables,
          startElementId,
          parentInstanceId,
          parentElementKey,
          null);
    }
  }

  /**
   * A job is done.
   *
   * @param remote where and when it ran when another cloud ran it, else {@code null}
   */
  record CompleteJob(
      String instanceId, long jobKey, Map<String, Object> variables, RemoteRun remote)
      implements InstanceCommand {
    public CompleteJob(String instanceId, long jobKey, Map<String, Object> variables) {
      this(instanceId, jobKey, variables, null);
    }
  }

  /**
   * A job attempt failed.
   *
   * @param retries the retries left as the worker reports them; {@code null} to decrement by one
   * @param backoff how long to wait before the next attempt; {@code null} for the engine's
   *     exponential back-off
   * @param remote where and when it ran when another cloud ran it, else {@code null}
   */
  record FailJob(
      String instanceId,
      long jobKey,
      Integer retries,
      String errorMessage,
      Duration backoff,
      RemoteRun remote)
      implements InstanceCommand {
    public FailJob(
        String instanceId, long jobKey, Integer retries, String errorMessage, Duration backoff) {
      this(instanceId, jobKey, retries, errorMessage, backoff, null);
    }
  }

  /**
   * The job's worker reported a BPMN error.
   *
   * @param remote where and when it ran when another cloud ran it, else {@code null}
   */
  record ThrowError(
      String instanceId,
      long jobKey,
      String errorCode,
      String errorMessage,
      Map<String, Object> variables,
      RemoteRun remote)
      implements InstanceCommand {
    public ThrowError(
        String instanceId,
        long jobKey,
        String errorCode,
        String errorMessage,
        Map<String, Object> variables) {
      this(instanceId, jobKey, errorCode, errorMessage, variables, null);
    }
  }

  record TriggerTimer(String instanceId, long timerKey) implements InstanceCommand {}

  record CorrelateMessage(
      String instanceId,
      long subscriptionKey,
      String messageId,
      String messageName,
      Map<String, Object> variables)
      implements InstanceCommand {}

  record CompleteUserTask(String instanceId, long taskKey, Map<String, Object> variables)
      implements InstanceCommand {}

  record CancelInstance(String instanceId) implements InstanceCommand {}

  /**
   * A message an instance throws (a message throw or end event without a job). It travels in the
   * outbox, written with the events that threw it, and is published after commit; it changes no
   * instance itself, so {@link #instanceId()} is {@code null}.
   */
  record PublishMessage(
      String messageId,
      String name,
      String correlationKey,
      Map<String, Object> variables,
      Duration timeToLive)
      implements InstanceCommand {
    @Override
    public String instanceId() {
      return null;
    }
  }

  /**
   * Places an open job again: cancels it and creates a new job for the same element instance (so
   * the same idempotency key, {@code instanceId:elementInstanceKey}) on the cloud the placement
   * rules choose now. A node sends it when the cloud a job was placed on goes DOWN while the job is
   * out. Rejected, changing nothing, when the job is gone, held by an incident, or the rules choose
   * the cloud it is on already; when no cloud is eligible the job is canceled and an incident on
   * the element says why (resolving it places the step again).
   *
   * @param reason why, recorded with the new placement, e.g. {@code cloud 'public-a' DOWN}
   */
  record ReplaceJob(String instanceId, long jobKey, String reason) implements InstanceCommand {}

  /** Resolves an incident; for a job incident the job gets {@code retries} attempts again. */
  record ResolveIncident(String instanceId, long incidentKey, int retries)
      implements InstanceCommand {}

  /**
   * A called child instance ended; sent to the parent through the outbox.
   *
   * @param childState COMPLETED, CANCELED, or TERMINATED when a BPMN error nobody in the child
   *     caught ended it
   * @param errorCode the uncaught error's code, thrown on at the call activity; else {@code null}
   */
  record ChildEnded(
      String instanceId,
      long elementKey,
      String childInstanceId,
      String childState,
      Map<String, Object> variables,
      String errorCode,
      String errorMessage)
      implements InstanceCommand {}

  /**
   * This node's cloud takes the instance over from the cloud that owns it (fail-over): a new epoch,
   * its steps placed on the old owner placed again, its jobs, timers, subscriptions and user tasks
   * armed here.
   *
   * @param reason recorded with the new ownership
   */
  record TakeOwnership(String instanceId, String reason) implements InstanceCommand {}

  /**
   * Events the owner cloud committed, applied to this cloud's replica of the instance as they are
   * (same sequence numbers). Events already applied are skipped; a gap, a replica owned here, or an
   * epoch older than the replica's is refused.
   *
   * @param epoch the owner's epoch when it sent them
   */
  record ReplicateEvents(String instanceId, long epoch, List<EventRecord> events)
      implements InstanceCommand {
    public ReplicateEvents {
      events = List.copyOf(events);
    }
  }

  /**
   * The owner hands the instance to another cloud (fail-back, planned move): a new epoch, and from
   * then on this cloud keeps a replica.
   */
  record HandOver(String instanceId, String toCloud, String reason) implements InstanceCommand {}

  /**
   * This cloud owned the instance, another took it over meanwhile (a higher epoch): its log
   * replaces the local one, whose events from {@code expectedVersion}'s fork on are reported by the
   * caller as a conflict.
   *
   * @param expectedVersion the local version the caller compared the log with
   * @param log the other cloud's whole log, from sequence number 1
   */
  record AdoptLog(String instanceId, long epoch, long expectedVersion, List<EventRecord> log)
      implements InstanceCommand {
    public AdoptLog {
      log = List.copyOf(log);
    }
  }

  /** Records events another cloud committed but never replicated ({@code ReplicaConflict}). */
  record RecordConflict(String instanceId, String cloud, long epoch, List<String> events)
      implements InstanceCommand {
    public RecordConflict {
      events = List.copyOf(events);
    }
  }
}
