package io.cob.engine.state;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The live, mutable state of one process instance. Only {@link EventApplier} changes it, so the
 * state is always what its event log says; everything else reads.
 *
 * <p>Not thread-safe: an instance is processed by one thread at a time.
 */
public final class InstanceState {
  /** The key of the element instance that stands for the process instance itself. */
  public static final long ROOT_KEY = 1L;

  String instanceId;
  String processId;
  int version;
  String businessKey;
  String status = "ACTIVE";
  String parentInstanceId;
  long parentElementKey;
  String ownerCloud;
  String traceparent;
  long epoch;
  Instant startedAt;
  Instant endedAt;
  long lastSeq;
  long nextKey = ROOT_KEY;
  // Tree maps keep iteration in key (= creation) order, which keeps processing deterministic.
  final TreeMap<Long, ElementInstance> elements = new TreeMap<>();
  final TreeMap<Long, Map<String, Object>> variables = new TreeMap<>();
  final TreeMap<String, List<String>> joinArrivals = new TreeMap<>();
  final TreeMap<Long, JobInfo> jobs = new TreeMap<>();
  final TreeMap<Long, TimerInfo> timers = new TreeMap<>();
  final TreeMap<Long, SubscriptionInfo> subscriptions = new TreeMap<>();
  final TreeMap<Long, UserTaskInfo> userTasks = new TreeMap<>();
  final TreeMap<Long, IncidentInfo> incidents = new TreeMap<>();

  public InstanceState() {}

  public String instanceId() {
    return instanceId;
  }

  public String processId() {
    return processId;
  }

  public int version() {
    return version;
  }

  public String businessKey() {
    return businessKey;
  }

  /** ACTIVE, COMPLETED, TERMINATED or CANCELED. */
  public String status() {
    return status;
  }

  public boolean isActive() {
    return "ACTIVE".equals(status);
  }

  public String parentInstanceId() {
    return parentInstanceId;
  }

  public long parentElementKey() {
    return parentElementKey;
  }

  public String ownerCloud() {
    return ownerCloud;
  }

  public long epoch() {
    return epoch;
  }

  /**
   * The W3C {@code traceparent} of the span that started the instance, which every span of its
   * steps continues; {@code null} when it was started untraced.
   */
  public String traceparent() {
    return traceparent;
  }

  public Instant startedAt() {
    return startedAt;
  }

  public Instant endedAt() {
    return endedAt;
  }

  /** The sequence number of the last applied event; also the instance's version. */
  public long lastSeq() {
    return lastSeq;
  }

  /** The next key the key counter will hand out (keys are recorded in events, never re-derived). */
  public long peekNextKey() {
    return nextKey;
  }

  public ElementInstance element(long key) {
    return elements.get(key);
  }

  public Map<Long, ElementInstance> elements() {
    return java.util.Collections.unmodifiableMap(elements);
  }

  /** Active element instances directly inside a scope, in creation order. */
  public List<ElementInstance> childrenOf(long scopeKey) {
    List<ElementInstance> out = new ArrayList<>();
    for (ElementInstance e : elements.values()) {
      if (e.scopeKey() == scopeKey) {
        out.add(e);
      }
    }
    return out;
  }

  /** Variables declared in one scope (read-only view). */
  public Map<String, Object> localVariables(long scopeKey) {
    Map<String, Object> v = variables.get(scopeKey);
    return v == null ? Map.of() : java.util.Collections.unmodifiableMap(v);
  }

  /** Whether a scope (element instance key) declares a variable. */
  public boolean declares(long scopeKey, String name) {
    Map<String, Object> v = variables.get(scopeKey);
    return v != null && v.containsKey(name);
  }

  /**
   * All variables visible from a scope: its own, then those of enclosing scopes that it does not
   * shadow.
   */
  public Map<String, Object> visibleVariables(long scopeKey) {
    List<Long> chain = new ArrayList<>();
    long k = scopeKey;
    while (k != 0) {
      chain.add(k);
      ElementInstance e = elements.get(k);
      k = e == null ? 0 : e.scopeKey();
    }
    Map<String, Object> out = new LinkedHashMap<>();
    for (int i = chain.size() - 1; i >= 0; i--) {
      Map<String, Object> v = variables.get(chain.get(i));
      if (v != null) {
        out.putAll(v);
      }
    }
    return out;
  }

  /** Arrivals at a joining gateway in a scope: the flow ids of the waiting tokens. */
  public List<String> joinArrivals(long scopeKey, String gatewayId) {
    return joinArrivals.getOrDefault(joinKey(scopeKey, gatewayId), List.of());
  }

  public Map<String, List<String>> allJoinArrivals() {
    return java.util.Collections.unmodifiableMap(joinArrivals);
  }

  static String joinKey(long scopeKey, String gatewayId) {
    return scopeKey + "/" + gatewayId;
  }

  public Map<Long, JobInfo> jobs() {
    return java.util.Collections.unmodifiableMap(jobs);
  }

  public Map<Long, TimerInfo> timers() {
    return java.util.Collections.unmodifiableMap(timers);
  }

  public Map<Long, SubscriptionInfo> subscriptions() {
    return java.util.Collections.unmodifiableMap(subscriptions);
  }

  public Map<Long, UserTaskInfo> userTasks() {
    return java.util.Collections.unmodifiableMap(userTasks);
  }

  public Map<Long, IncidentInfo> incidents() {
    return java.util.Collections.unmodifiableMap(incidents);
  }

  /** An immutable copy for the store. */
  public InstanceSnapshot toSnapshot() {
    Map<Long, Map<String, Object>> vars = new TreeMap<>();
    variables.forEach(
        (k, v) -> vars.put(k, java.util.Collections.unmodifiableMap(new LinkedHashMap<>(v))));
    Map<String, List<String>> joins = new TreeMap<>();
    joinArrivals.forEach((k, v) -> joins.put(k, List.copyOf(v)));
    return new InstanceSnapshot(
        instanceId,
        processId,
        version,
        businessKey,
        status,
        parentInstanceId,
        parentElementKey,
        ownerCloud,
        epoch,
        startedAt,
        endedAt,
        lastSeq,
        nextKey,
        java.util.Collections.unmodifiableMap(new TreeMap<>(elements)),
        java.util.Collections.unmodifiableMap(vars),
        java.util.Collections.unmodifiableMap(joins),
        java.util.Collections.unmodifiableMap(new TreeMap<>(jobs)),
        java.util.Collections.unmodifiableMap(new TreeMap<>(timers)),
        java.util.Collections.unmodifiableMap(new TreeMap<>(subscriptions)),
        java.util.Collections.unmodifiableMap(new TreeMap<>(userTasks)),
        java.util.Collections.unmodifiableMap(new TreeMap<>(incidents)),
        traceparent);
  }

  /** Rebuilds the live state from a snapshot. */
  public static InstanceState fromSnapshot(InstanceSnapshot s) {
    InstanceState st = new InstanceState();
    st.instanceId = s.instanceId();
    st.processId = s.processId();
    st.version = s.version();
    st.businessKey = s.businessKey();
    st.status = s.status();
    st.parentInstanceId = s.parentInstanceId();
    st.parentElementKey = s.parentElementKey();
    st.ownerCloud = s.ownerCloud();
    st.traceparent = s.traceparent();
    st.epoch = s.epoch();
    st.startedAt = s.startedAt();
    st.endedAt = s.endedAt();
    st.lastSeq = s.lastSeq();
    st.nextKey = s.nextKey();
    st.elements.putAll(s.elements());
    s.variables().forEach((k, v) -> st.variables.put(k, new LinkedHashMap<>(v)));
    s.joinArrivals().forEach((k, v) -> st.joinArrivals.put(k, new ArrayList<>(v)));
    st.jobs.putAll(s.jobs());
    st.timers.putAll(s.timers());
    st.subscriptions.putAll(s.subscriptions());
    st.userTasks.putAll(s.userTasks());
    st.incidents.putAll(s.incidents());
    return st;
  }

  /** A deep copy (through a snapshot). */
  public InstanceState copy() {
    return fromSnapshot(toSnapshot());
  }
}
