package io.cob.server.api;

import com.fasterxml.jackson.core.type.TypeReference;
import io.cob.engine.command.RemoteRun;
import io.cob.engine.event.EventRecord;
import io.cob.engine.event.InstanceEvent;
import io.cob.engine.port.ActivatedJob;
import io.cob.engine.port.StoreRows.IncidentRow;
import io.cob.engine.port.StoreRows.ProcessVersion;
import io.cob.engine.port.StoreRows.UserTaskRow;
import io.cob.engine.state.ElementInstance;
import io.cob.engine.state.IncidentInfo;
import io.cob.engine.state.InstanceState;
import io.cob.server.http.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON shapes of the API (see API.md and the OpenAPI document), built from engine state and
 * store rows. Field order is the documented order. Keys of jobs, tasks and incidents are the
 * engine's {@code instanceId:N} keys.
 */
public final class Views {
  private Views() {}

  /**
   * A page of a list: {@code next} is the cursor for {@code after} when more may follow, else null.
   */
  public record Page<T>(List<T> items, String next) {}

  public record Instance(
      String id,
      String processId,
      int version,
      String businessKey,
      String state,
      Map<String, Object> variables,
      List<ActiveElement> activeElements,
      List<Incident> incidents,
      String ownerCloud,
      long epoch,
      Instant startedAt,
      Instant endedAt,
      String parentInstanceId) {}

  public record ActiveElement(String elementId, String elementType, String cloud) {}

  public record Incident(
      String id,
      String instanceId,
      String elementId,
      String jobKey,
      String kind,
      String message,
      Instant createdAt) {}

  public record HistoryItem(
      long seq,
      String type,
      String elementId,
      String elementType,
      String cloud,
      Instant at,
      Map<String, Object> data) {}

  public record Task(
      String id,
      String instanceId,
      String processId,
      String elementId,
      String name,
      String assignee,
      List<String> candidateGroups,
      List<String> candidateUsers,
      String formKey,
      Instant dueDate,
      Instant createdAt,
      Map<String, Object> variables) {}

  public record Job(
      String key,
      String type,
      String instanceId,
      String elementId,
      int retries,
      Map<String, Object> variables,
      Map<String, String> headers,
      String idempotencyKey) {}

  public record Process(
      String processId,
      int version,
      String key,
      String name,
      String deploymentId,
      String resourceName,
      Instant deployedAt) {}

  /** COMPLETED, ACTIVE, INCIDENT (active with an open incident), TERMINATED or CANCELED. */
  public static String state(InstanceState s) {
    return s.isActive() && !s.incidents().isEmpty() ? "INCIDENT" : s.status();
  }

  public static Instance instance(InstanceState s) {
    List<ActiveElement> active = new ArrayList<>();
    for (ElementInstance e : s.elements().values()) {
      if (e.key() != InstanceState.ROOT_KEY) {
        active.add(
            new ActiveElement(
                e.elementId(), e.elementType(), e.cloud() == null ? s.ownerCloud() : e.cloud()));
      }
    }
    List<Incident> incidents = new ArrayList<>();
    for (IncidentInfo i : s.incidents().values()) {
      incidents.add(
          new Incident(
              s.instanceId() + ":" + i.incidentKey(),
              s.instanceId(),
              i.elementId(),
              i.jobKey() == null ? null : s.instanceId() + ":" + i.jobKey(),
              i.kind(),
              i.message(),
              i.createdAt()));
    }
    return new Instance(
        s.instanceId(),
        s.processId(),
        s.version(),
        s.businessKey(),
        state(s),
        s.localVariables(InstanceState.ROOT_KEY),
        active,
        incidents,
        s.ownerCloud(),
        s.epoch(),
        s.startedAt(),
        s.endedAt(),
        s.parentInstanceId());
  }

  public static Incident incident(IncidentRow r) {
    return new Incident(
        r.key(), r.instanceId(), r.elementId(), r.jobKey(), r.kind(), r.message(), r.createdAt());
  }

  /**
   * A user task; {@code s} gives the variables visible at the task (empty when the instance is
   * gone).
   */
  public static Task task(UserTaskRow t, InstanceState s) {
    Map<String, Object> vars = s == null ? Map.of() : s.visibleVariables(t.elementInstanceKey());
    return new Task(
        t.key(),
        t.instanceId(),
        t.processId(),
        t.elementId(),
        t.name(),
        t.assignee(),
        t.candidateGroups(),
        t.candidateUsers(),
        t.formKey(),
        t.dueDate(),
        t.createdAt(),
        vars);
  }

  public static Job job(ActivatedJob j) {
    return new Job(
        j.key(),
        j.type(),
        j.instanceId(),
        j.elementId(),
        j.retries(),
        j.variables(),
        j.headers(),
        j.idempotencyKey());
  }

  public static Process process(ProcessVersion p) {
    return new Process(
        p.processId(),
        p.version(),
        p.key(),
        p.name(),
        p.deploymentId(),
        p.resourceName(),
        p.deployedAt());
  }

  /**
   * The event log as history items. An element event's cloud is the cloud its element instance was
   * placed on (when activated, or by a later {@code StepPlaced}), else the instance's owner cloud;
   * a job event's cloud is the job's. A {@code JobRanRemotely} item (a step another cloud ran)
   * shows that cloud and node with the times the job was sent, received, started and finished, and
   * adds {@code busLatencyMs}: the time on the bus there and back (by the nodes' clocks).
   */
  public static List<HistoryItem> history(List<EventRecord> log, String ownerCloud) {
    Map<Long, String> cloudOfKey = new HashMap<>();
    Map<Long, String> cloudOfJob = new HashMap<>();
    List<HistoryItem> out = new ArrayList<>(log.size());
    for (EventRecord r : log) {
      String cloud = ownerCloud;
      Map<String, Object> data =
          Json.mapper().convertValue(r.event(), new TypeReference<Map<String, Object>>() {});
      switch (r.event()) {
        case InstanceEvent.ElementActivated a -> {
          cloud = a.cloud() == null ? ownerCloud : a.cloud();
          cloudOfKey.put(a.key(), cloud);
        }
        case InstanceEvent.ElementCompleted c ->
            cloud = cloudOfKey.getOrDefault(c.key(), ownerCloud);
        case InstanceEvent.ElementTerminated t ->
            cloud = cloudOfKey.getOrDefault(t.key(), ownerCloud);
        case InstanceEvent.StepPlaced p -> {
          cloud = p.cloud();
          cloudOfKey.put(p.elementKey(), cloud);
        }
        case InstanceEvent.JobCreated j -> {
          cloud =
              j.cloud() == null ? cloudOfKey.getOrDefault(j.elementKey(), ownerCloud) : j.cloud();
          cloudOfJob.put(j.jobKey(), cloud);
        }
        case InstanceEvent.JobRanRemotely j -> {
          cloud = j.cloud();
          data.put("busLatencyMs", busLatencyMillis(j));
        }
        case InstanceEvent.JobCompleted j ->
            cloud = cloudOfJob.getOrDefault(j.jobKey(), ownerCloud);
        case InstanceEvent.JobFailed j -> cloud = cloudOfJob.getOrDefault(j.jobKey(), ownerCloud);
        case InstanceEvent.JobErrorThrown j ->
            cloud = cloudOfJob.getOrDefault(j.jobKey(), ownerCloud);
        case InstanceEvent.InstanceCreated c ->
            cloud = c.ownerCloud() == null ? ownerCloud : c.ownerCloud();
        default -> {
          // the owner's cloud
        }
      }
      out.add(
          new HistoryItem(
              r.seq(),
              r.type(),
              r.event().elementId(),
              r.event().elementType(),
              cloud,
              r.at(),
              data));
    }
    return out;
  }

  private static Long busLatencyMillis(InstanceEvent.JobRanRemotely j) {
    Duration d =
        new RemoteRun(
                j.cloud(),
                j.node(),
                j.sentAt(),
                j.receivedAt(),
                j.startedAt(),
                j.finishedAt(),
                j.resultSentAt(),
                j.resultReceivedAt())
            .busLatency();
    return d == null ? null : d.toMillis();
  }
}
