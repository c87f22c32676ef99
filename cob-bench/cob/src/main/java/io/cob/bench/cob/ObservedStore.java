package io.cob.bench.cob;

import io.cob.bench.Completions;
import io.cob.engine.event.EventRecord;
import io.cob.engine.port.IndexChange;
import io.cob.engine.port.InstanceCommit;
import io.cob.engine.port.Store;
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
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;

/**
 * cob's store with one addition: after a group commit has returned (is durable), it reports the
 * instances that commit completed. This is the same moment the peers' end listeners report (after
 * their commit), observed without touching cob's engine. Everything else is passed through.
 */
final class ObservedStore implements Store {
  private final Store store;
  private final Completions completions;

  ObservedStore(Store store, Completions completions) {
    this.store = store;
    this.completions = completions;
  }

  @Override
  public void commit(List<InstanceCommit> batch) {
    store.commit(batch);
    for (InstanceCommit c : batch) {
      if ("COMPLETED".equals(c.summary().state())) {
        completions.instanceEnded(c.summary().businessKey());
      }
    }
  }

  @Override
  public DeploymentResult deploy(NewDeployment deployment) {
    return store.deploy(deployment);
  }

  @Override
  public List<ProcessVersion> processes() {
    return store.processes();
  }

  @Override
  public Optional<ProcessVersion> latestProcess(String processId) {
    return store.latestProcess(processId);
  }

  @Override
  public Optional<ProcessVersion> process(String processId, int version) {
    return store.process(processId, version);
  }

  @Override
  public Optional<String> processXml(String processId, int version) {
    return store.processXml(processId, version);
  }

  @Override
  public void importProcess(ProcessVersion version, String xml) {
    store.importProcess(version, xml);
  }

  @Override
  public Optional<StoredInstance> instance(String instanceId) {
    return store.instance(instanceId);
  }

  @Override
  public List<InstanceSummary> instances(InstanceQuery query) {
    return store.instances(query);
  }

  @Override
  public SortedMap<String, Long> runningInstancesByOwner() {
    return store.runningInstancesByOwner();
  }

  @Override
  public List<EventRecord> history(String instanceId) {
    return store.history(instanceId);
  }

  @Override
  public List<JobRow> lockJobs(JobLockRequest request) {
    return store.lockJobs(request);
  }

  @Override
  public Optional<JobRow> job(String jobKey) {
    return store.job(jobKey);
  }

  @Override
  public boolean extendJobLock(String jobKey, String owner, java.time.Instant until) {
    return store.extendJobLock(jobKey, owner, until);
  }

  @Override
  public String sharedSecret(String name, java.util.function.Supplier<String> fresh) {
    return store.sharedSecret(name, fresh);
  }

  @Override
  public boolean receiveOnce(String messageId, java.time.Instant at) {
    return store.receiveOnce(messageId, at);
  }

  @Override
  public int purgeInbox(java.time.Instant before) {
    return store.purgeInbox(before);
  }

  @Override
  public int releaseLocks(String owner) {
    return store.releaseLocks(owner);
  }

  @Override
  public List<JobRow> jobs(String instanceId) {
    return store.jobs(instanceId);
  }

  @Override
  public List<TimerRow> dueTimers(Instant until, int max) {
    return store.dueTimers(until, max);
  }

  @Override
  public List<TimerRow> lockTimers(io.cob.engine.port.StoreRows.TimerLockRequest request) {
    return store.lockTimers(request);
  }

  @Override
  public Optional<Instant> nextTimerDue() {
    return store.nextTimerDue();
  }

  @Override
  public List<SubscriptionRow> subscriptions(String messageName, String correlationKey) {
    return store.subscriptions(messageName, correlationKey);
  }

  @Override
  public List<BufferedMessage> bufferedMessages(String name, String correlationKey, Instant now) {
    return store.bufferedMessages(name, correlationKey, now);
  }

  @Override
  public int deleteExpiredMessages(Instant now) {
    return store.deleteExpiredMessages(now);
  }

  @Override
  public List<UserTaskRow> userTasks(UserTaskQuery query) {
    return store.userTasks(query);
  }

  @Override
  public Optional<UserTaskRow> userTask(String key) {
    return store.userTask(key);
  }

  @Override
  public List<IncidentRow> incidents(String instanceId) {
    return store.incidents(instanceId);
  }

  @Override
  public List<OutboxRow> outbox(int max) {
    return store.outbox(max);
  }

  @Override
  public void apply(List<IndexChange> changes) {
    store.apply(changes);
  }

  @Override
  public void close() {
    store.close();
  }
}
