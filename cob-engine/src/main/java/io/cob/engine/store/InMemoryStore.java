package io.cob.engine.store;

import io.cob.engine.event.EventRecord;
import io.cob.engine.port.IndexChange;
import io.cob.engine.port.InstanceCommit;
import io.cob.engine.port.StaleInstanceException;
import io.cob.engine.port.Store;
import io.cob.engine.port.StoreException;
import io.cob.engine.port.StoreRows.BufferedMessage;
import io.cob.engine.port.StoreRows.DeploymentResource;
import io.cob.engine.port.StoreRows.DeploymentResult;
import io.cob.engine.port.StoreRows.IncidentRow;
import io.cob.engine.port.StoreRows.InstanceQuery;
import io.cob.engine.port.StoreRows.InstanceSummary;
import io.cob.engine.port.StoreRows.JobLockRequest;
import io.cob.engine.port.StoreRows.JobRow;
import io.cob.engine.port.StoreRows.NewDeployment;
import io.cob.engine.port.StoreRows.OutboxRow;
import io.cob.engine.port.StoreRows.ProcessVersion;
import io.cob.engine.port.StoreRows.SubscriptionRow;
import io.cob.engine.port.StoreRows.TimerRow;
import io.cob.engine.port.StoreRows.UserTaskQuery;
import io.cob.engine.port.StoreRows.UserTaskRow;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A {@link Store} that keeps everything in memory: for engine tests and throw-away runs. Nothing
 * survives {@link #close()} or the end of the JVM.
 *
 * <p>Thread-safe: every method runs under one monitor, so each write is atomic and isolated exactly
 * as a database transaction would be, and readers never see half a commit. That is plenty for
 * tests; it is not built for throughput.
 *
 * <p>Values are kept as objects, not serialised. Everything stored is first deep-copied into
 * unmodifiable maps and lists ({@link Frozen}), so a caller that changes a map it passed in, or
 * tries to change one it read back, cannot change stored state. Unlike the JDBC store it keeps
 * {@code Integer} or {@code Double} variable values as they are and instants to the nanosecond.
 *
 * <p>Orders the Store interface leaves open are by row key (job, subscription, user task and
 * incident lists), as in the JDBC store. An {@link InstanceQuery} or {@link UserTaskQuery} limit of
 * {@code 0} or less means no limit.
 */
public final class InMemoryStore implements Store {
  private static final Comparator<JobRow> JOB_ORDER =
      Comparator.comparing(JobRow::dueAt).thenComparing(JobRow::key);
  private static final Comparator<TimerRow> TIMER_ORDER =
      Comparator.comparing(TimerRow::dueAt).thenComparing(TimerRow::key);

  private final Object lock = new Object();
  private final Map<String, String> sharedSecrets = new java.util.HashMap<>();
  private final Map<String, Instant> inbox = new HashMap<>();
  private boolean closed;

  private final Map<String, NewDeployment> deployments = new HashMap<>();
  private final NavigableMap<String, NavigableMap<Integer, ProcessVersion>> processes =
      new TreeMap<>();
  private final NavigableMap<String, StoredInstance> instances = new TreeMap<>();
  private final Map<String, List<EventRecord>> events = new HashMap<>();
  // Index rows by key: sorted maps give the by-key orders for free.
  private final NavigableMap<String, JobRow> jobs = new TreeMap<>();
  private final NavigableMap<String, TimerRow> timers = new TreeMap<>();
  private final NavigableMap<String, SubscriptionRow> subscriptions = new TreeMap<>();
  private final NavigableMap<String, UserTaskRow> userTasks = new TreeMap<>();
  private final NavigableMap<String, IncidentRow> incidents = new TreeMap<>();
  private final NavigableMap<String, BufferedMessage> bufferedMessages = new TreeMap<>();
  private final NavigableMap<String, OutboxRow> outbox = new TreeMap<>();

  // ---- deployments

  @Override
  public DeploymentResult deploy(NewDeployment deployment) {
    synchronized (lock) {
      ensureOpen();
      if (deployments.containsKey(deployment.deploymentId())) {
        throw new StoreException(
            "deploy: deployment " + deployment.deploymentId() + " already exists");
      }
      DeploymentPlan plan = DeploymentPlan.of(deployment, this::latest);
      deployments.put(deployment.deploymentId(), Frozen.copy(deployment));
      for (ProcessVersion version : plan.created()) {
        processes
            .computeIfAbsent(version.processId(), id -> new TreeMap<>())
            .put(version.version(), version);
      }
      return plan.result();
    }
  }

  @Override
  public List<ProcessVersion> processes() {
    synchronized (lock) {
      ensureOpen();
      return processes.values().stream().flatMap(v -> v.values().stream()).toList();
    }
  }

  @Override
  public Optional<ProcessVersion> latestProcess(String processId) {
    synchronized (lock) {
      ensureOpen();
      return latest(processId);
    }
  }

  private Optional<ProcessVersion> latest(String processId) {
    NavigableMap<Integer, ProcessVersion> versions = processes.get(processId);
    return versions == null ? Optional.empty() : Optional.of(versions.lastEntry().getValue());
  }

  @Override
  public Optional<ProcessVersion> process(String processId, int version) {
    synchronized (lock) {
      ensureOpen();
      return Optional.ofNullable(processes.getOrDefault(processId, new TreeMap<>()).get(version));
    }
  }

  @Override
  public void importProcess(ProcessVersion version, String xml) {
    synchronized (lock) {
      ensureOpen();
      NavigableMap<Integer, ProcessVersion> versions =
          processes.computeIfAbsent(version.processId(), id -> new TreeMap<>());
      ProcessVersion present = versions.get(version.version());
      if (present != null) {
        if (!present.checksum().equals(version.checksum())) {
          throw new StoreException(DeploymentPlan.importConflict(version, present));
        }
        return;
      }
      NewDeployment d = deployments.get(version.deploymentId());
      List<DeploymentResource> resources = new ArrayList<>(d == null ? List.of() : d.resources());
      if (resources.stream().noneMatch(r -> r.name().equals(version.resourceName()))) {
        resources.add(new DeploymentResource(version.resourceName(), xml, List.of()));
      }
      deployments.put(
          version.deploymentId(),
          new NewDeployment(
              version.deploymentId(), d == null ? version.deployedAt() : d.at(), resources));
      versions.put(version.version(), version);
    }
  }

  @Override
  public Optional<String> processXml(String processId, int version) {
    synchronized (lock) {
      ensureOpen();
      ProcessVersion pv = processes.getOrDefault(processId, new TreeMap<>()).get(version);
      if (pv == null) {
        return Optional.empty();
      }
      return deployments.get(pv.deploymentId()).resources().stream()
          .filter(r -> r.name().equals(pv.resourceName()))
          .map(DeploymentResource::xml)
          .findFirst();
    }
  }

  // ---- instances

  @Override
  public Optional<StoredInstance> instance(String instanceId) {
    synchronized (lock) {
      ensureOpen();
      return Optional.ofNullable(instances.get(instanceId));
    }
  }

  @Override
  public List<InstanceSummary> instances(InstanceQuery query) {
    synchronized (lock) {
      ensureOpen();
      NavigableMap<String, StoredInstance> from =
          query.afterId() == null ? instances : instances.tailMap(query.afterId(), false);
      Stream<InstanceSummary> matching =
          from.values().stream().map(StoredInstance::summary).filter(matches(query));
      return limit(matching, query.limit()).toList();
    }
  }

  @Override
  public SortedMap<String, Long> runningInstancesByOwner() {
    synchronized (lock) {
      ensureOpen();
      SortedMap<String, Long> counts = new TreeMap<>();
      for (StoredInstance i : instances.values()) {
        InstanceSummary s = i.summary();
        if (s.endedAt() == null && s.ownerCloud() != null) {
          counts.merge(s.ownerCloud(), 1L, Long::sum);
        }
      }
      return java.util.Collections.unmodifiableSortedMap(counts);
    }
  }

  private static Predicate<InstanceSummary> matches(InstanceQuery q) {
    return s ->
        stateMatches(q.state(), s)
            && (q.processId() == null || q.processId().equals(s.processId()))
            && (q.businessKey() == null || q.businessKey().equals(s.businessKey()))
            && (q.cloud() == null || q.cloud().equals(s.ownerCloud()))
            && (q.parentInstanceId() == null || q.parentInstanceId().equals(s.parentInstanceId()));
  }

  /** The derived state INCIDENT matches instances with open incidents, whatever their state. */
  private static boolean stateMatches(String state, InstanceSummary s) {
    if (state == null) {
      return true;
    }
    return "INCIDENT".equals(state) ? s.incidentCount() > 0 : state.equals(s.state());
  }

  @Override
  public List<EventRecord> history(String instanceId) {
    synchronized (lock) {
      ensureOpen();
      return List.copyOf(events.getOrDefault(instanceId, List.of()));
    }
  }

  @Override
  public void commit(List<InstanceCommit> batch) {
    synchronized (lock) {
      ensureOpen();
      checkVersions(batch);
      // Validate everything before writing anything: a commit is all or nothing.
      batch.forEach(c -> c.changes().forEach(InMemoryStore::validate));
      for (InstanceCommit commit : batch) {
        InstanceCommit copy = Frozen.copy(commit);
        instances.put(
            copy.instanceId(),
            new StoredInstance(copy.summary(), copy.newVersion(), copy.snapshot()));
        List<EventRecord> log = events.computeIfAbsent(copy.instanceId(), id -> new ArrayList<>());
        if (copy.replaceFrom() > 0) {
          log.removeIf(e -> e.seq() >= copy.replaceFrom());
        }
        log.addAll(copy.events());
        copy.changes().forEach(this::applyChange);
      }
    }
  }

  /** Refuses the whole batch when any commit's expected version is not the current one. */
  private void checkVersions(List<InstanceCommit> batch) {
    // Versions as they will be after the earlier commits of this batch: one instance may be
    // committed several times in a row within one batch.
    Map<String, Long> versions = new HashMap<>();
    Set<String> stale = new LinkedHashSet<>();
    for (InstanceCommit commit : batch) {
      String id = commit.instanceId();
      Long current =
          versions.containsKey(id)
              ? versions.get(id)
              : Optional.ofNullable(instances.get(id)).map(StoredInstance::version).orElse(null);
      boolean fits =
          commit.expectedVersion() == 0
              ? current == null && stillLatest(commit)
              : current != null && current == commit.expectedVersion();
      if (fits) {
        versions.put(id, commit.newVersion());
      } else {
        stale.add(id);
      }
    }
    if (!stale.isEmpty()) {
      throw new StaleInstanceException(stale);
    }
  }

  /** Whether no version newer than the one a new instance assumed to be the latest exists. */
  private boolean stillLatest(InstanceCommit commit) {
    if (commit.assumedLatestVersion() <= 0) {
      return true;
    }
    return latest(commit.summary().processId())
        .map(pv -> pv.version() <= commit.assumedLatestVersion())
        .orElse(true);
  }

  // ---- waiting work

  @Override
  public List<JobRow> lockJobs(JobLockRequest request) {
    synchronized (lock) {
      ensureOpen();
      Instant now = request.now();
      List<JobRow> locked =
          jobs.values().stream()
              .filter(j -> !j.dueAt().isAfter(now))
              .filter(
                  j ->
                      j.lockOwner() == null
                          || j.lockExpiresAt() == null
                          || j.lockExpiresAt().isBefore(now))
              .filter(j -> request.types().isEmpty() || request.types().contains(j.type()))
              .filter(j -> request.where() == null || request.where().covers(j.cloud()))
              .sorted(JOB_ORDER)
              .limit(Math.max(0, request.maxJobs()))
              .map(j -> locked(j, request.owner(), request.lockUntil()))
              .toList();
      locked.forEach(j -> jobs.put(j.key(), j));
      return locked;
    }
  }

  @Override
  public String sharedSecret(String name, java.util.function.Supplier<String> fresh) {
    synchronized (lock) {
      ensureOpen();
      return sharedSecrets.computeIfAbsent(name, n -> fresh.get());
    }
  }

  @Override
  public boolean receiveOnce(String messageId, Instant at) {
    synchronized (lock) {
      ensureOpen();
      return inbox.putIfAbsent(messageId, at) == null;
    }
  }

  @Override
  public int purgeInbox(Instant before) {
    synchronized (lock) {
      ensureOpen();
      int size = inbox.size();
      inbox.values().removeIf(at -> at.isBefore(before));
      return size - inbox.size();
    }
  }

  @Override
  public boolean extendJobLock(String jobKey, String owner, Instant until) {
    synchronized (lock) {
      ensureOpen();
      JobRow j = jobs.get(jobKey);
      if (j == null || !owner.equals(j.lockOwner())) {
        return false;
      }
      jobs.put(jobKey, locked(j, owner, until));
      return true;
    }
  }

  @Override
  public int releaseLocks(String owner) {
    synchronized (lock) {
      ensureOpen();
      int n = 0;
      for (JobRow j : List.copyOf(jobs.values())) {
        if (owner.equals(j.lockOwner())) {
          jobs.put(j.key(), locked(j, null, null));
          n++;
        }
      }
      for (TimerRow t : List.copyOf(timers.values())) {
        if (owner.equals(t.lockOwner())) {
          timers.put(t.key(), locked(t, null, null));
          n++;
        }
      }
      return n;
    }
  }

  @Override
  public List<TimerRow> lockTimers(io.cob.engine.port.StoreRows.TimerLockRequest request) {
    synchronized (lock) {
      ensureOpen();
      Instant now = request.now();
      List<TimerRow> locked =
          timers.values().stream()
              .filter(t -> !t.dueAt().isAfter(now))
              .filter(
                  t ->
                      t.lockOwner() == null
                          || t.lockExpiresAt() == null
                          || t.lockExpiresAt().isBefore(now))
              .sorted(TIMER_ORDER)
              .limit(Math.max(0, request.max()))
              .map(t -> locked(t, request.owner(), request.lockUntil()))
              .toList();
      locked.forEach(t -> timers.put(t.key(), t));
      return locked;
    }
  }

  private static TimerRow locked(TimerRow t, String owner, Instant until) {
    return new TimerRow(
        t.key(), t.instanceId(), t.timerKey(), t.elementId(), t.dueAt(), owner, until);
  }

  private static JobRow locked(JobRow j, String owner, Instant until) {
    return new JobRow(
        j.key(),
        j.instanceId(),
        j.elementInstanceKey(),
        j.elementId(),
        j.type(),
        j.retries(),
        j.dueAt(),
        owner,
        until,
        j.headers(),
        j.cloud());
  }

  @Override
  public Optional<JobRow> job(String jobKey) {
    synchronized (lock) {
      ensureOpen();
      return Optional.ofNullable(jobs.get(jobKey));
    }
  }

  @Override
  public List<JobRow> jobs(String instanceId) {
    synchronized (lock) {
      ensureOpen();
      return jobs.values().stream().filter(j -> j.instanceId().equals(instanceId)).toList();
    }
  }

  @Override
  public List<TimerRow> dueTimers(Instant until, int max) {
    synchronized (lock) {
      ensureOpen();
      return timers.values().stream()
          .filter(t -> !t.dueAt().isAfter(until))
          .sorted(TIMER_ORDER)
          .limit(Math.max(0, max))
          .toList();
    }
  }

  @Override
  public Optional<Instant> nextTimerDue() {
    synchronized (lock) {
      ensureOpen();
      return timers.values().stream().map(TimerRow::dueAt).min(Comparator.naturalOrder());
    }
  }

  @Override
  public List<SubscriptionRow> subscriptions(String messageName, String correlationKey) {
    synchronized (lock) {
      ensureOpen();
      return subscriptions.values().stream()
          .filter(s -> s.messageName().equals(messageName))
          .filter(s -> Objects.equals(s.correlationKey(), correlationKey))
          .toList();
    }
  }

  @Override
  public List<BufferedMessage> bufferedMessages(String name, String correlationKey, Instant now) {
    synchronized (lock) {
      ensureOpen();
      return bufferedMessages.values().stream()
          .filter(m -> m.name().equals(name))
          .filter(m -> Objects.equals(m.correlationKey(), correlationKey))
          .filter(m -> m.expiresAt() == null || m.expiresAt().isAfter(now))
          .sorted(
              Comparator.comparing(BufferedMessage::publishedAt).thenComparing(BufferedMessage::id))
          .toList();
    }
  }

  @Override
  public int deleteExpiredMessages(Instant now) {
    synchronized (lock) {
      ensureOpen();
      List<String> expired =
          bufferedMessages.values().stream()
              .filter(m -> m.expiresAt() != null && m.expiresAt().isBefore(now))
              .map(BufferedMessage::id)
              .toList();
      expired.forEach(bufferedMessages::remove);
      return expired.size();
    }
  }

  @Override
  public List<UserTaskRow> userTasks(UserTaskQuery q) {
    synchronized (lock) {
      ensureOpen();
      Stream<UserTaskRow> matching =
          userTasks.values().stream()
              .filter(t -> q.instanceId() == null || q.instanceId().equals(t.instanceId()))
              .filter(t -> q.processId() == null || q.processId().equals(t.processId()))
              .filter(t -> q.assignee() == null || q.assignee().equals(t.assignee()))
              .filter(
                  t ->
                      q.candidateGroup() == null
                          || t.candidateGroups().contains(q.candidateGroup()));
      return limit(matching, q.limit()).toList();
    }
  }

  @Override
  public Optional<UserTaskRow> userTask(String key) {
    synchronized (lock) {
      ensureOpen();
      return Optional.ofNullable(userTasks.get(key));
    }
  }

  @Override
  public List<IncidentRow> incidents(String instanceId) {
    synchronized (lock) {
      ensureOpen();
      return incidents.values().stream()
          .filter(i -> instanceId == null || instanceId.equals(i.instanceId()))
          .toList();
    }
  }

  @Override
  public List<OutboxRow> outbox(int max) {
    synchronized (lock) {
      ensureOpen();
      return outbox.values().stream()
          .sorted(Comparator.comparing(OutboxRow::createdAt).thenComparing(OutboxRow::id))
          .limit(Math.max(0, max))
          .toList();
    }
  }

  @Override
  public void apply(List<IndexChange> changes) {
    synchronized (lock) {
      ensureOpen();
      // Validate first so that a bad change leaves nothing half-applied.
      changes.forEach(InMemoryStore::validate);
      Frozen.copy(changes).forEach(this::applyChange);
    }
  }

  @Override
  public void close() {
    synchronized (lock) {
      closed = true;
    }
  }

  // ---- helpers

  private void applyChange(IndexChange change) {
    switch (change) {
      case IndexChange.PutJob c -> jobs.put(c.job().key(), c.job());
      case IndexChange.RemoveJob c -> jobs.remove(c.key());
      case IndexChange.PutTimer c -> timers.put(c.timer().key(), c.timer());
      case IndexChange.RemoveTimer c -> timers.remove(c.key());
      case IndexChange.PutSubscription c ->
          subscriptions.put(c.subscription().key(), c.subscription());
      case IndexChange.RemoveSubscription c -> subscriptions.remove(c.key());
      case IndexChange.PutUserTask c -> userTasks.put(c.task().key(), c.task());
      case IndexChange.RemoveUserTask c -> userTasks.remove(c.key());
      case IndexChange.PutIncident c -> incidents.put(c.incident().key(), c.incident());
      case IndexChange.RemoveIncident c -> incidents.remove(c.key());
      case IndexChange.PutBufferedMessage c -> bufferedMessages.put(c.message().id(), c.message());
      case IndexChange.RemoveBufferedMessage c -> bufferedMessages.remove(c.id());
      case IndexChange.PutOutbox c -> outbox.put(c.row().id(), c.row());
      case IndexChange.RemoveOutbox c -> outbox.remove(c.id());
    }
  }

  /**
   * Refuses rows a database would refuse for a missing NOT NULL column that the queries depend on,
   * so that engine tests on this store fail where the JDBC store would.
   */
  private static void validate(IndexChange change) {
    switch (change) {
      case IndexChange.PutJob c -> require(c.job().dueAt(), "job dueAt");
      case IndexChange.PutTimer c -> require(c.timer().dueAt(), "timer dueAt");
      case IndexChange.PutSubscription c ->
          require(c.subscription().messageName(), "subscription messageName");
      case IndexChange.PutBufferedMessage c -> {
        require(c.message().name(), "buffered message name");
        require(c.message().publishedAt(), "buffered message publishedAt");
      }
      case IndexChange.PutOutbox c -> require(c.row().createdAt(), "outbox createdAt");
      default -> {}
    }
  }

  private static void require(Object value, String what) {
    if (value == null) {
      throw new StoreException("apply: " + what + " must not be null");
    }
  }

  private static <T> Stream<T> limit(Stream<T> stream, int limit) {
    return limit > 0 ? stream.limit(limit) : stream;
  }

  private void ensureOpen() {
    if (closed) {
      throw new StoreException("the in-memory store is closed");
    }
  }
}
