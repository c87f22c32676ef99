package io.cob.cli;

import io.cob.engine.event.EventRecord;
import io.cob.engine.event.InstanceEvent;
import io.cob.engine.state.ElementInstance;
import io.cob.engine.state.IncidentInfo;
import io.cob.engine.state.InstanceState;
import io.cob.engine.state.JobInfo;
import io.cob.engine.state.SubscriptionInfo;
import io.cob.engine.state.TimerInfo;
import io.cob.engine.state.UserTaskInfo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The outcome of {@code cob run} as the JSON document of the CLI contract: state, variables, the
 * path taken, where the instance waits, and its incidents.
 */
final class RunReport {
  private RunReport() {}

  /** COMPLETED, ACTIVE, INCIDENT (active with an open incident), TERMINATED or CANCELED. */
  static String state(InstanceState s) {
    if (s.isActive() && !s.incidents().isEmpty()) {
      return "INCIDENT";
    }
    return s.status();
  }

  static int exitCode(InstanceState s) {
    return switch (state(s)) {
      case "COMPLETED" -> CobCommand.DONE;
      case "ACTIVE" -> CobCommand.WAITING;
      default -> CobCommand.FAILED;
    };
  }

  static Map<String, Object> build(InstanceState s, List<EventRecord> history) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("instanceId", s.instanceId());
    out.put("processId", s.processId());
    out.put("version", s.version());
    out.put("state", state(s));
    out.put("variables", s.localVariables(InstanceState.ROOT_KEY));
    out.put("path", path(s, history));
    out.put("waitingAt", waitingAt(s));
    List<Map<String, Object>> incidents = new ArrayList<>();
    for (IncidentInfo i : s.incidents().values()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("elementId", i.elementId());
      m.put("kind", i.kind());
      m.put("message", i.message());
      incidents.add(m);
    }
    out.put("incidents", incidents);
    out.put("startedAt", String.valueOf(s.startedAt()));
    out.put("endedAt", s.endedAt() == null ? null : s.endedAt().toString());
    return out;
  }

  private static List<Map<String, Object>> path(InstanceState s, List<EventRecord> history) {
    Map<Long, String> cloudOf = new LinkedHashMap<>();
    List<Map<String, Object>> path = new ArrayList<>();
    for (EventRecord r : history) {
      switch (r.event()) {
        case InstanceEvent.ElementActivated a when a.key() != InstanceState.ROOT_KEY -> {
          String cloud = a.cloud() == null ? s.ownerCloud() : a.cloud();
          cloudOf.put(a.key(), cloud);
          path.add(step(a.elementId(), a.elementType(), cloud, "ACTIVATED", r));
        }
        case InstanceEvent.ElementCompleted c when c.key() != InstanceState.ROOT_KEY ->
            path.add(
                step(
                    c.elementId(),
                    c.elementType(),
                    cloudOf.getOrDefault(c.key(), s.ownerCloud()),
                    "COMPLETED",
                    r));
        case InstanceEvent.ElementTerminated t when t.key() != InstanceState.ROOT_KEY ->
            path.add(
                step(
                    t.elementId(),
                    t.elementType(),
                    cloudOf.getOrDefault(t.key(), s.ownerCloud()),
                    "TERMINATED",
                    r));
        default -> {
          // not a step of the path
        }
      }
    }
    return path;
  }

  private static Map<String, Object> step(
      String elementId, String type, String cloud, String event, EventRecord r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("elementId", elementId);
    m.put("elementType", type);
    m.put("cloud", cloud);
    m.put("event", event);
    m.put("at", r.at().toString());
    return m;
  }

  /** Where the instance waits for something from outside (or for time). */
  static List<Map<String, Object>> waitingAt(InstanceState s) {
    List<Map<String, Object>> out = new ArrayList<>();
    if (!s.isActive()) {
      return out;
    }
    for (ElementInstance e : s.elements().values()) {
      String kind = null;
      for (UserTaskInfo t : s.userTasks().values()) {
        if (t.elementKey() == e.key()) {
          kind = "USER_TASK";
        }
      }
      for (JobInfo j : s.jobs().values()) {
        if (kind == null && j.elementKey() == e.key()) {
          kind = "JOB";
        }
      }
      for (SubscriptionInfo sub : s.subscriptions().values()) {
        if (kind == null && sub.elementKey() == e.key() && !isBoundary(e, sub.targetElementId())) {
          kind = "MESSAGE";
        }
      }
      for (TimerInfo t : s.timers().values()) {
        if (kind == null && t.elementKey() == e.key() && !isBoundary(e, t.targetElementId())) {
          kind = "TIMER";
        }
      }
      if (kind != null) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("elementId", e.elementId());
        m.put("elementType", e.elementType());
        m.put("kind", kind);
        out.add(m);
      }
    }
    return out;
  }

  /**
   * A subscription or timer whose target is another element than its owner belongs to a boundary
   * event.
   */
  private static boolean isBoundary(ElementInstance owner, String targetElementId) {
    return !owner.elementId().equals(targetElementId)
        && !"eventBasedGateway".equals(owner.elementType());
  }
}
