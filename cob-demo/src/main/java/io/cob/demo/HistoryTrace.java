package io.cob.demo;

import io.cob.demo.TraceLine.Kind;
import io.cob.engine.event.EventRecord;
import io.cob.engine.event.InstanceEvent;
import io.cob.engine.event.InstanceEvent.ElementActivated;
import io.cob.engine.event.InstanceEvent.ElementCompleted;
import io.cob.engine.event.InstanceEvent.IncidentCreated;
import io.cob.engine.event.InstanceEvent.InstanceCreated;
import io.cob.engine.event.InstanceEvent.InstanceEnded;
import io.cob.engine.event.InstanceEvent.JobFailed;
import io.cob.engine.event.InstanceEvent.JobRanRemotely;
import io.cob.engine.event.InstanceEvent.StepPlaced;
import io.cob.engine.event.InstanceEvent.UserTaskCreated;
import io.cob.engine.event.InstanceEvent.VariablesSet;
import io.cob.engine.state.InstanceState;
import io.cob.model.FlowNode;
import io.cob.model.Gateway;
import io.cob.model.Lane;
import io.cob.model.ProcessDefinition;
import io.cob.model.SequenceFlow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns an instance's event log, as it grows, into trace lines: one per step completed, person
 * awaited, attempt failed, incident, and the instance's start and end. The cloud of a step is the
 * one the engine recorded when it activated the element (its placement); the model's lane is shown
 * beside it where the two differ.
 *
 * <p>Fed by one thread ({@link #feed} with the whole log each time; events already seen are skipped
 * by sequence number). Not thread-safe.
 */
final class HistoryTrace {
  private final ProcessDefinition process;
  private final String node;
  // The node of another cloud that ran an element's job, and the cloud each element was placed on.
  private final Map<String, String> remoteNode = new java.util.HashMap<>();
  private final Map<String, String> cloudOfElement = new java.util.HashMap<>();
  private final Instant origin;
  private long lastSeq;
  private String ownerCloud;
  private final Map<Long, String> cloudOfKey = new HashMap<>();
  private final Map<String, Object> pendingVariables = new LinkedHashMap<>();
  private Map<String, Object> startVariables = Map.of();
  private final Map<String, Integer> stepsPerCloud = new TreeMap<>();
  private final java.util.Set<String> reached = new java.util.HashSet<>();

  HistoryTrace(ProcessDefinition process, String node, Instant origin) {
    this.process = process;
    this.node = node;
    this.origin = origin;
  }

  /** The lines for the events after those seen before. */
  List<TraceLine> feed(List<EventRecord> log) {
    List<TraceLine> out = new ArrayList<>();
    for (EventRecord r : log) {
      if (r.seq() <= lastSeq) {
        continue;
      }
      lastSeq = r.seq();
      describe(r, out);
    }
    return out;
  }

  /** The elements activated so far. */
  java.util.Set<String> reached() {
    return java.util.Set.copyOf(reached);
  }

  /** Steps completed (tasks and events) per cloud, as the engine recorded their placement. */
  Map<String, Integer> stepsPerCloud() {
    return Map.copyOf(stepsPerCloud);
  }

  private void describe(EventRecord r, List<TraceLine> out) {
    Duration at = Duration.between(origin, r.at());
    InstanceEvent e = r.event();
    switch (e) {
      case InstanceCreated c -> {
        ownerCloud = c.ownerCloud();
        startVariables = c.variables();
        out.add(
            line(
                at,
                ownerCloud,
                process.name(),
                "instance " + c.instanceId() + " created in " + c.ownerCloud(),
                Kind.INSTANCE,
                null));
      }
      case ElementActivated a -> activated(at, a, out);
      case VariablesSet v -> {
        if (v.scopeKey() == InstanceState.ROOT_KEY) {
          pendingVariables.putAll(v.variables());
        }
      }
      case ElementCompleted c -> completed(at, c, out);
      case UserTaskCreated u ->
          out.add(
              line(
                  at,
                  cloudOfKey.getOrDefault(u.elementKey(), ownerCloud),
                  name(u.elementId()),
                  "waiting for a person"
                      + (u.candidateGroups().isEmpty()
                          ? ""
                          : " of " + String.join(", ", u.candidateGroups())),
                  Kind.WAITING,
                  u.elementId()));
      case JobRanRemotely remote -> {
        remoteNode.put(remote.elementId(), remote.node());
        long busMs =
            Duration.between(remote.sentAt(), remote.receivedAt()).toMillis()
                + Duration.between(remote.resultSentAt(), remote.resultReceivedAt()).toMillis();
        out.add(
            line(
                at,
                remote.cloud(),
                name(remote.elementId()),
                "ran on "
                    + remote.node()
                    + " in "
                    + remote.cloud()
                    + " ("
                    + Duration.between(remote.startedAt(), remote.finishedAt()).toMillis()
                    + " ms there, "
                    + busMs
                    + " ms on the bus)",
                Kind.NOTE,
                remote.elementId()));
      }
      case JobFailed f ->
          out.add(
              line(
                  at,
                  cloudOfElement.getOrDefault(f.elementId(), ownerCloud),
                  name(f.elementId()),
                  "attempt failed: "
                      + ValueText.of(f.errorMessage(), 60)
                      + " -> retried with the same Idempotency-Key ("
                      + f.retries()
                      + " retries left)",
                  Kind.RETRY,
                  f.elementId()));
      case StepPlaced p -> {
        cloudOfKey.put(p.elementKey(), p.cloud());
        cloudOfElement.put(p.elementId(), p.cloud());
        out.add(
            line(
                at,
                p.cloud(),
                name(p.elementId()),
                "placed on "
                    + p.cloud()
                    + ": "
                    + ValueText.of(p.reason(), 90)
                    + (p.rejected().isEmpty()
                        ? ""
                        : " (not eligible: " + String.join(", ", p.rejected()) + ")"),
                Kind.NOTE,
                p.elementId()));
      }
      case IncidentCreated i ->
          out.add(
              line(
                  at,
                  ownerCloud,
                  name(i.elementId()),
                  "INCIDENT: " + i.message(),
                  Kind.INCIDENT,
                  i.elementId()));
      case InstanceEnded end ->
          out.add(
              line(at, ownerCloud, process.name(), "instance " + end.state(), Kind.INSTANCE, null));
      default -> {}
    }
  }

  private void activated(Duration at, ElementActivated a, List<TraceLine> out) {
    String cloud = a.cloud() == null ? cloudOfKey.getOrDefault(a.key(), ownerCloud) : a.cloud();
    cloudOfKey.put(a.key(), cloud);
    reached.add(a.elementId());
    SequenceFlow via = a.viaFlowId() == null ? null : process.flows().get(a.viaFlowId());
    if (via != null
        && process.nodes().get(via.sourceId()) instanceof Gateway g
        && process.outgoing(g.id()).size() > 1) {
      String flow = via.name() == null || via.name().isBlank() ? via.id() : via.name();
      out.add(line(at, cloud, name(g.id()), "took '" + flow + "'", Kind.STEP, g.id()));
    }
  }

  private void completed(Duration at, ElementCompleted c, List<TraceLine> out) {
    FlowNode n = process.nodes().get(c.elementId());
    if (n == null || n instanceof Gateway) {
      pendingVariables.clear();
      return;
    }
    String cloud = cloudOfKey.getOrDefault(c.key(), ownerCloud);
    stepsPerCloud.merge(cloud, 1, Integer::sum);
    String what =
        switch (c.elementType()) {
          case "startEvent" -> "started";
          case "endEvent" -> "reached";
          case "userTask" -> "done";
          default -> "completed";
        };
    Map<String, Object> vars = new LinkedHashMap<>(pendingVariables);
    if ("startEvent".equals(c.elementType())) {
      vars = new LinkedHashMap<>(startVariables);
      // The service URLs are listed when the services start; here they would only crowd the line.
      vars.remove("services");
    }
    pendingVariables.clear();
    String shown = ValueText.variables(vars, 110);
    out.add(
        line(
            at,
            cloud,
            name(c.elementId()),
            shown.isEmpty() ? what : what + ": " + shown,
            Kind.STEP,
            c.elementId()));
  }

  private TraceLine line(
      Duration at, String cloud, String element, String what, Kind kind, String elementId) {
    String lane = elementId == null ? null : laneCloud(elementId);
    String ranOn = elementId == null ? node : remoteNode.getOrDefault(elementId, node);
    return new TraceLine(
        at, cloud, ranOn, element, what, kind, lane != null && !lane.equals(cloud) ? lane : null);
  }

  /** The cloud the model's lane names for an element, or {@code null}. */
  private String laneCloud(String elementId) {
    for (Lane l : process.lanes()) {
      if (l.flowNodeIds().contains(elementId)) {
        String c = l.extensions().get("cloud");
        return c != null ? c : l.name();
      }
    }
    return null;
  }

  private String name(String elementId) {
    FlowNode n = process.nodes().get(elementId);
    return n == null || n.name() == null ? elementId : n.name();
  }
}
