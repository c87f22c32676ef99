package io.cob.engine.port;

import io.cob.engine.event.EventRecord;
import io.cob.engine.port.StoreRows.BufferedMessage;
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
import io.cob.engine.state.InstanceSnapshot;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;

/**
 * Durable storage of a cob node: deployments, instance event logs with snapshots, and the indexes
 * of waiting work. The engine is its only writer of instance data; every write is one transaction.
 *
 * <p>Every implementation must pass the {@code StoreContract} test suite of this module. All
 * methods are thread-safe. Methods throw {@link StoreException} when the backend fails, or when the
 * store is closed.
 *
 * <p>What the contract fixes where the methods below say nothing:
 *
 * <ul>
 *   <li>Instants are kept to the microsecond.
 *   <li>A query {@code limit} of 0 or less means no limit.
 *   <li>The instance state filter {@code INCIDENT} matches active instances with open incidents.
 *   <li>A buffered message is visible while {@code now < expiresAt}; a {@code null} expiry never
 *       expires.
 *   <li>A job is unlocked when its owner or its lock expiry is {@code null}, or the expiry is
 *       before {@code now}.
 *   <li>Reusing a deployment id is a {@link StoreException}; nothing of it is written.
 *   <li>Rows whose order a method leaves open come ordered by key.
 *   <li>Whole numbers in variables come back as {@code Long}, other numbers as {@code BigDecimal}:
 *       the engine stores only such canonical values.
 * </ul>
 */
public interface Store extends AutoCloseable {

  // ---- deployments

  /**
   * Stores the resources of a deployment and assigns each process its next version (1 for a new
   * process id). A process whose resource XML is identical to the one of its latest version keeps
   * that version. All or nothing.
   */
  DeploymentResult deploy(NewDeployment deployment);

  /** Every version of every process, ordered by process id then version. */
  List<ProcessVersion> processes();

  Optional<ProcessVersion> latestProcess(String processId);

  Optional<ProcessVersion> process(String processId, int version);

  /** The XML of the resource that defined a process version. */
  Optional<String> processXml(String processId, int version);

  /**
   * Stores a process version exactly as another cloud's store holds it (same process id, version
   * number, deployment id and resource), so that replicas of its instances can continue here after
   * a fail-over. Idempotent: a version already here with the same checksum is left as it is.
   *
   * @param xml the BPMN resource the version was deployed from
   * @throws StoreException when this store holds that version of the process with another checksum
   */
  void importProcess(ProcessVersion version, String xml);

  // ---- instances

  /** The stored state of an instance: summary, version and snapshot. */
  Optional<StoredInstance> instance(String instanceId);

  /** Instances matching the query, ordered by id, after {@code afterId}, at most {@code limit}. */
  List<InstanceSummary> instances(InstanceQuery query);

  /**
   * How many instances have not ended (their summary has no {@code endedAt}), by owner cloud,
   * ordered by cloud name: a cloud with none is absent, and so are instances without an owner
   * cloud. For a node these are the instances its cloud owns and the replicas it keeps of other
   * clouds' instances ({@code GET /clouds}). Called every few seconds, so it must cost in the
   * number of running instances, not of all instances ever kept (the JDBC store has an index for
   * it). The map is unmodifiable.
   */
  SortedMap<String, Long> runningInstancesByOwner();

  /** The whole event log of an instance, in sequence order; empty when it does not exist. */
  List<EventRecord> history(String instanceId);

  /**
   * Writes all commits of a batch in one transaction (group commit): for each, checks the expected
   * version, appends the events, replaces the snapshot and summary, applies the index changes.
   *
   * @throws StaleInstanceException when an instance's stored version is not the expected one, or a
   *     new instance's {@link InstanceCommit#assumedLatestVersion()} is no longer the latest
   *     version of its process; then nothing of the batch is written
   */
  void commit(List<InstanceCommit> batch);

  // ---- waiting work

  /**
   * Locks up to {@code maxJobs} jobs that are due ({@code dueAt <= now}) and not locked (or whose
   * lock expired before {@code now}) for {@code owner} until {@code lockUntil}, skipping rows other
   * transactions hold ({@code FOR UPDATE SKIP LOCKED} or equivalent). Two concurrent callers never
   * receive the same job.
   */
  List<JobRow> lockJobs(JobLockRequest request);

  Optional<JobRow> job(String jobKey);

  /**
   * Moves the lock expiry of a job that {@code owner} holds to {@code until}: a job whose handler
   * sent a request and awaits the answer keeps its lock while it waits. Returns {@code false}, and
   * changes nothing, when the job is gone or locked by someone else.
   */
  boolean extendJobLock(String jobKey, String owner, Instant until);

  // ---- shared secrets

  /**
   * The secret kept under {@code name}, which every node of this store sees alike (e.g. the key
   * that signs callback tokens). The first caller's {@code fresh} value is kept; later callers,
   * concurrent ones included, get that value.
   */
  String sharedSecret(String name, java.util.function.Supplier<String> fresh);

  /**
   * Releases every job and timer lock held by {@code owner}: a node calls it when it starts, since
   * a lock it holds from before a restart belongs to no running attempt. Returns how many rows it
   * released.
   */
  int releaseLocks(String owner);

  /** Jobs of one instance. */
  List<JobRow> jobs(String instanceId);

  /** Timers due at or before {@code until}, locked or not, earliest first, at most {@code max}. */
  List<TimerRow> dueTimers(Instant until, int max);

  /**
   * Locks up to {@code max} due timers that no node holds (or whose lock expired) for the
   * requester, like {@link #lockJobs}: two concurrent callers never receive the same timer. The
   * node that fires a timer removes its row in the commit of the firing.
   */
  List<TimerRow> lockTimers(StoreRows.TimerLockRequest request);

  /** The earliest due time of any timer. */
  Optional<Instant> nextTimerDue();

  /**
   * Open subscriptions for a message name. With a correlation key, those with that key; with {@code
   * null}, those without a key.
   */
  List<SubscriptionRow> subscriptions(String messageName, String correlationKey);

  /**
   * Buffered messages of that name and correlation key ({@code null} matches only messages without
   * a key) that have not expired at {@code now}, oldest first.
   */
  List<BufferedMessage> bufferedMessages(String name, String correlationKey, Instant now);

  /** Deletes buffered messages that expired before {@code now}; returns how many. */
  int deleteExpiredMessages(Instant now);

  // ---- inbox of bus messages

  /**
   * Records that the bus message {@code messageId} was received, unless it was before: the inbox by
   * which a node applies each message once although the bus may deliver it more than once, to any
   * node of the cloud (all of whose nodes share this store). Atomic: of two concurrent calls with
   * the same id exactly one returns {@code true}.
   *
   * @param at when it was received (kept for {@link #purgeInbox})
   * @return {@code true} the first time, {@code false} for a message id already recorded
   */
  boolean receiveOnce(String messageId, Instant at);

  /**
   * Forgets the inbox entries received before {@code before}: housekeeping, for messages that can
   * no longer be delivered again (older than the bus's longest redelivery and the senders' outbox
   * retries).
   *
   * @return how many entries were forgotten
   */
  int purgeInbox(Instant before);

  List<UserTaskRow> userTasks(UserTaskQuery query);

  Optional<UserTaskRow> userTask(String key);

  /** Open incidents, of one instance or (with {@code null}) of all. */
  List<IncidentRow> incidents(String instanceId);

  /** Undelivered outbox rows, oldest first. */
  List<OutboxRow> outbox(int max);

  /**
   * Writes index changes that belong to no instance (a buffered message, an outbox row removed
   * after delivery) in one transaction.
   */
  void apply(List<IndexChange> changes);

  @Override
  void close();

  /** An instance as stored. */
  record StoredInstance(InstanceSummary summary, long version, InstanceSnapshot snapshot) {}
}
