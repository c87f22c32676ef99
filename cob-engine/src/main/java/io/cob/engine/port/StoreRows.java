package io.cob.engine.port;

import io.cob.engine.command.InstanceCommand;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The rows a {@link Store} keeps besides the event log and snapshots: indexes of the work that is
 * waiting (jobs, timers, subscriptions, user tasks), incidents, buffered messages, deployments and
 * the outbox. All are immutable records; every key is globally unique.
 */
public final class StoreRows {
  private StoreRows() {}

  /** A deployed process version. {@code key} is {@code processId:version}. */
  public record ProcessVersion(
      String key,
      String processId,
      int version,
      String name,
      String deploymentId,
      String resourceName,
      String checksum,
      Instant deployedAt) {}

  /** One BPMN file of a deployment, with the ids and names of the processes it defines. */
  public record DeploymentResource(String name, String xml, List<ProcessHeader> processes) {
    public DeploymentResource {
      processes = List.copyOf(processes);
    }
  }

  /** A process as found in a resource, before it has a version. */
  public record ProcessHeader(String processId, String name) {}

  /** What {@link Store#deploy} was asked to store. */
  public record NewDeployment(String deploymentId, Instant at, List<DeploymentResource> resources) {
    public NewDeployment {
      resources = List.copyOf(resources);
    }
  }

  /**
   * The outcome of a deployment: one version per process. A process whose resource is unchanged
   * since its latest version (same checksum) keeps that version instead of getting a new one.
   */
  public record DeploymentResult(String deploymentId, List<ProcessVersion> processes) {
    public DeploymentResult {
      processes = List.copyOf(processes);
    }
  }

  /**
   * The queryable header of an instance. State is one of ACTIVE, COMPLETED, TERMINATED, CANCELED,
   * INCIDENT is derived.
   */
  public record InstanceSummary(
      String id,
      String processId,
      int version,
      String processKey,
      String businessKey,
      String state,
      String ownerCloud,
      long epoch,
      String parentInstanceId,
      Instant startedAt,
      Instant endedAt,
      int incidentCount) {}

  /**
   * A job waiting to be done. A job created for a job type this node runs itself is inserted
   * already locked by this node ({@code lockOwner}, {@code lockExpiresAt}), so no other node claims
   * it while it runs here.
   *
   * @param key globally unique: {@code instanceId:elementInstanceKey}; also the idempotency key
   * @param dueAt not before this time (retry back-off)
   */
  public record JobRow(
      String key,
      String instanceId,
      long elementInstanceKey,
      String elementId,
      String type,
      int retries,
      Instant dueAt,
      String lockOwner,
      Instant lockExpiresAt,
      Map<String, String> headers,
      String cloud) {
    public JobRow {
      headers = Map.copyOf(headers);
    }
  }

  /**
   * What to lock: due, unlocked (or lock expired) jobs of the given types (all types when empty)
   * that are placed where {@code where} says ({@code null}: anywhere).
   */
  public record JobLockRequest(
      List<String> types,
      String owner,
      Instant now,
      Instant lockUntil,
      int maxJobs,
      CloudScope where) {
    public JobLockRequest {
      types = List.copyOf(types);
    }

    /** Jobs placed anywhere. */
    public JobLockRequest(
        List<String> types, String owner, Instant now, Instant lockUntil, int maxJobs) {
      this(types, owner, now, lockUntil, maxJobs, null);
    }
  }

  /**
   * Which jobs by their placement ({@link JobRow#cloud()}): those of {@code cloud} itself (placed
   * there, or not placed at all, which means the owner's cloud), or, with {@code elsewhere}, those
   * placed on any other cloud.
   */
  public record CloudScope(String cloud, boolean elsewhere) {
    public CloudScope {
      if (cloud == null || cloud.isBlank()) {
        throw new IllegalArgumentException("cloud must not be empty");
      }
    }

    /** Jobs this cloud runs: placed on it, or not placed. */
    public static CloudScope in(String cloud) {
      return new CloudScope(cloud, false);
    }

    /** Jobs this cloud sends away: placed on another cloud. */
    public static CloudScope outside(String cloud) {
      return new CloudScope(cloud, true);
    }

    /** Whether a job placed on {@code jobCloud} ({@code null}: not placed) is in scope. */
    public boolean covers(String jobCloud) {
      boolean here = jobCloud == null || jobCloud.equals(cloud);
      return elsewhere != here;
    }
  }

  /**
   * A timer; {@code key} is {@code instanceId:timerKey}. A timer start event's timer belongs to a
   * process version instead: {@code instanceId} is {@code null}, {@code key} is {@code
   * start:processId:elementId}, {@code timerKey} is the process version.
   */
  public record TimerRow(
      String key,
      String instanceId,
      long timerKey,
      String elementId,
      Instant dueAt,
      String lockOwner,
      Instant lockExpiresAt) {
    /** An unlocked timer, as the engine writes it. */
    public TimerRow(String key, String instanceId, long timerKey, String elementId, Instant dueAt) {
      this(key, instanceId, timerKey, elementId, dueAt, null, null);
    }
  }

  /**
   * What to lock: timers due at {@code now} that no node holds (or whose lock expired), for {@code
   * owner} until {@code lockUntil}, earliest first.
   */
  public record TimerLockRequest(String owner, Instant now, Instant lockUntil, int max) {}

  /**
   * An open message subscription of an instance; {@code key} is {@code instanceId:subscriptionKey}.
   * {@code correlationKey} is {@code null} when the subscription correlates by name only.
   */
  public record SubscriptionRow(
      String key,
      String instanceId,
      long subscriptionKey,
      String elementId,
      String messageName,
      String correlationKey,
      Instant createdAt) {}

  /**
   * A published message kept until {@code expiresAt} (its time-to-live) for subscriptions that open
   * later. As in Camunda 8, each process takes it at most once: {@code takenBy} lists the process
   * ids that already did. {@code correlationKey} may be {@code null}.
   */
  public record BufferedMessage(
      String id,
      String name,
      String correlationKey,
      Map<String, Object> variables,
      Instant publishedAt,
      Instant expiresAt,
      List<String> takenBy) {
    public BufferedMessage {
      variables = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(variables));
      takenBy = List.copyOf(takenBy);
    }

    /** This message, also taken by {@code processId}. */
    public BufferedMessage takenBy(String processId) {
      List<String> all = new java.util.ArrayList<>(takenBy);
      all.add(processId);
      return new BufferedMessage(id, name, correlationKey, variables, publishedAt, expiresAt, all);
    }
  }

  /** A user task waiting for a person; {@code key} is {@code instanceId:taskKey}. */
  public record UserTaskRow(
      String key,
      String instanceId,
      long taskKey,
      long elementInstanceKey,
      String processId,
      String elementId,
      String name,
      String assignee,
      List<String> candidateGroups,
      List<String> candidateUsers,
      String formKey,
      Instant dueDate,
      Instant createdAt) {
    public UserTaskRow {
      candidateGroups = List.copyOf(candidateGroups);
      candidateUsers = List.copyOf(candidateUsers);
    }
  }

  /** Filters of {@link Store#userTasks}; {@code null} fields do not filter. */
  public record UserTaskQuery(
      String instanceId, String processId, String assignee, String candidateGroup, int limit) {}

  /** An open incident; {@code key} is {@code instanceId:incidentKey}. */
  public record IncidentRow(
      String key,
      String instanceId,
      long incidentKey,
      long elementInstanceKey,
      String elementId,
      String jobKey,
      String kind,
      String message,
      Instant createdAt) {}

  /** Filters of {@link Store#instances}; {@code null} fields do not filter. */
  public record InstanceQuery(
      String state,
      String processId,
      String businessKey,
      String cloud,
      String parentInstanceId,
      int limit,
      String afterId) {}

  /**
   * A command for another instance (start a called child, report a child's end to its parent ...),
   * written in the same transaction as the events that caused it and delivered after commit, at
   * least once. The target instance de-duplicates.
   */
  public record OutboxRow(
      String id, Instant createdAt, String targetInstanceId, InstanceCommand command) {}
}
