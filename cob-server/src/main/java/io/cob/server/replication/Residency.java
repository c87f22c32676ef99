package io.cob.server.replication;

import io.cob.engine.Engine;
import io.cob.engine.event.EventRecord;
import io.cob.engine.event.InstanceEvent;
import io.cob.engine.event.InstanceEvent.IncidentCreated;
import io.cob.engine.event.InstanceEvent.JobErrorThrown;
import io.cob.engine.event.InstanceEvent.JobFailed;
import io.cob.engine.event.InstanceEvent.ReplicaConflict;
import io.cob.engine.event.InstanceEvent.SubscriptionOpened;
import io.cob.engine.port.ActivatedJob;
import io.cob.engine.port.Store;
import io.cob.model.ProcessDefinition;
import io.cob.server.config.CloudConfig;
import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Data residency ({@code cob:residency="customer=eu"} on a process): a value tagged with a
 * jurisdiction never leaves for a cloud outside it. Shipped events and jobs sent to such a cloud
 * carry, in place of the value, {@code {"redacted": "residency eu"}}; an instance holding tagged
 * variables is taken over only by a cloud within every jurisdiction it names.
 *
 * <p>Texts that may hold such a value without naming it are withheld from such a cloud too, as
 * {@code redacted: residency eu}: the correlation keys of the instance's message subscriptions
 * (computed from its variables, typically {@code =customer.id}), the messages of its incidents and
 * of its failed jobs (an expression's error quotes the value it failed on, a service's error may
 * echo what it was sent), and the events of a replica conflict. Which variables such a text holds
 * is not known here; a cloud outside the jurisdiction never runs the instance, so its replica needs
 * none of them.
 *
 * <p>Only the tagged names are known: a value copied under another name by a mapping is not
 * followed. Thread-safe.
 */
public final class Residency {
  private final Supplier<Engine> engine;
  private final Store store;
  private final Map<String, CloudConfig> clouds;
  private final Map<String, Map<String, String>> byProcess = new ConcurrentHashMap<>();
  private final Map<String, Map<String, String>> byInstance = new ConcurrentHashMap<>();

  public Residency(Supplier<Engine> engine, Store store, Map<String, CloudConfig> clouds) {
    this.engine = engine;
    this.store = store;
    this.clouds = Map.copyOf(clouds);
  }

  /** The tagged variables of an instance's process: name → jurisdiction. */
  public Map<String, String> rulesOf(String instanceId) {
    Map<String, String> known = byInstance.get(instanceId);
    if (known != null) {
      return known;
    }
    Map<String, String> rules =
        store
            .instance(instanceId)
            .map(i -> rulesOf(i.summary().processId(), i.summary().version()))
            .orElse(Map.of());
    if (byInstance.size() > 100_000) {
      byInstance.clear(); // a cache, rebuilt from the store
    }
    byInstance.put(instanceId, rules);
    return rules;
  }

  private Map<String, String> rulesOf(String processId, int version) {
    return byProcess.computeIfAbsent(
        processId + ":" + version,
        k ->
            Optional.ofNullable(engine.get())
                .flatMap(e -> e.definition(processId, version))
                .map(ProcessDefinition::residency)
                .orElse(Map.of()));
  }

  /** Of these rules, the variables {@code cloud} must not see: name → jurisdiction. */
  public Map<String, String> forbidden(Map<String, String> rules, String cloud) {
    if (rules.isEmpty()) {
      return Map.of();
    }
    CloudConfig c = clouds.get(cloud);
    List<String> tags = c == null ? List.of() : c.jurisdiction();
    Map<String, String> out = new LinkedHashMap<>();
    rules.forEach(
        (name, tag) -> {
          if (!tags.contains(tag)) {
            out.put(name, tag);
          }
        });
    return out;
  }

  /** Why {@code cloud} may not take the instance over, or {@code null} when it may. */
  public String refusal(String instanceId, String cloud) {
    Map<String, String> forbidden = forbidden(rulesOf(instanceId), cloud);
    return forbidden.isEmpty()
        ? null
        : "it holds variables resident in "
            + forbidden
            + " and cloud '"
            + cloud
            + "' is outside that jurisdiction";
  }

  /** The events as {@code target} may see them. */
  public List<EventRecord> redact(String instanceId, List<EventRecord> events, String target) {
    Map<String, String> forbidden = forbidden(rulesOf(instanceId), target);
    if (forbidden.isEmpty()) {
      return events;
    }
    return events.stream()
        .map(e -> new EventRecord(e.seq(), e.at(), redactEvent(e.event(), forbidden)))
        .toList();
  }

  /** The job as {@code target} may see it. */
  public ActivatedJob redact(ActivatedJob job, String target) {
    Map<String, String> forbidden = forbidden(rulesOf(job.instanceId()), target);
    if (forbidden.isEmpty()) {
      return job;
    }
    return new ActivatedJob(
        job.key(),
        job.type(),
        job.instanceId(),
        job.elementId(),
        job.elementInstanceKey(),
        job.retries(),
        redactValues(job.variables(), forbidden),
        job.headers(),
        job.idempotencyKey(),
        redactValues(job.inputs(), forbidden),
        job.traceparent());
  }

  /** What stands in for a value that must not leave its jurisdiction. */
  public static Map<String, Object> marker(String jurisdiction) {
    return Map.of("redacted", "residency " + jurisdiction);
  }

  /** What stands in for a text computed from the variables {@code forbidden} names. */
  static String textMarker(Map<String, String> forbidden) {
    return "redacted: residency " + String.join(", ", new TreeSet<>(forbidden.values()));
  }

  private static Map<String, Object> redactValues(
      Map<String, Object> values, Map<String, String> forbidden) {
    if (values == null || forbidden.keySet().stream().noneMatch(values::containsKey)) {
      return values;
    }
    Map<String, Object> out = new LinkedHashMap<>(values);
    forbidden.forEach(
        (name, tag) -> {
          if (out.containsKey(name)) {
            out.put(name, marker(tag));
          }
        });
    return out;
  }

  /**
   * The event as a cloud outside {@code forbidden}'s jurisdictions may see it: every {@code
   * variables} map redacted, and the texts that may hold a value without naming it withheld.
   */
  private static InstanceEvent redactEvent(InstanceEvent event, Map<String, String> forbidden) {
    String marker = textMarker(forbidden);
    return switch (event) {
      case SubscriptionOpened o when o.correlationKey() != null ->
          new SubscriptionOpened(
              o.subscriptionKey(), o.elementKey(), o.targetElementId(), o.messageName(), marker);
      case IncidentCreated i when i.message() != null ->
          new IncidentCreated(
              i.incidentKey(), i.elementKey(), i.elementId(), i.jobKey(), i.kind(), marker);
      case JobFailed f when f.errorMessage() != null ->
          new JobFailed(f.jobKey(), f.elementId(), f.retries(), marker, f.retryAt());
      case JobErrorThrown t when t.errorMessage() != null ->
          new JobErrorThrown(t.jobKey(), t.elementId(), t.errorCode(), marker);
      case ReplicaConflict c ->
          new ReplicaConflict(
              c.cloud(), c.epoch(), c.events().stream().map(e -> withoutData(e, marker)).toList());
      default -> redactVariables(event, forbidden);
    };
  }

  /** A conflicting event, {@code seq type json}, as {@code seq type marker}. */
  private static String withoutData(String event, String marker) {
    String[] parts = event.split(" ", 3);
    return parts.length < 3 ? event : parts[0] + " " + parts[1] + " " + marker;
  }

  /** The event with every {@code variables} map redacted (events are records). */
  @SuppressWarnings("unchecked")
  private static InstanceEvent redactVariables(InstanceEvent event, Map<String, String> forbidden) {
    RecordComponent[] components = event.getClass().getRecordComponents();
    Object[] values = new Object[components.length];
    Class<?>[] types = new Class<?>[components.length];
    boolean changed = false;
    try {
      for (int i = 0; i < components.length; i++) {
        types[i] = components[i].getType();
        values[i] = components[i].getAccessor().invoke(event);
        if (types[i] == Map.class && components[i].getName().equals("variables")) {
          Object redacted = redactValues((Map<String, Object>) values[i], forbidden);
          changed |= redacted != values[i];
          values[i] = redacted;
        }
      }
      if (!changed) {
        return event;
      }
      Constructor<?> c = event.getClass().getDeclaredConstructor(types);
      return (InstanceEvent) c.newInstance(values);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot redact " + event.getClass().getSimpleName(), e);
    }
  }
}
