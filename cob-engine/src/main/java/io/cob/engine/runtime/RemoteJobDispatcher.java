package io.cob.engine.runtime;

import io.cob.engine.port.ActivatedJob;
import io.cob.engine.port.JobDispatch;
import io.cob.engine.port.Store;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends jobs placed on other clouds through the node's {@link JobDispatch}, each on a virtual
 * thread, since a transport may wait for its broker's confirmation.
 *
 * <p>The job stays locked by this node for the dispatch lease: its outcome, coming back from the
 * other cloud, completes it; without one the lease lapses and the scheduler sends it again (same
 * idempotency key). A dispatch that fails shortens the lease to {@link #RETRY_AFTER}, so that the
 * job is sent again soon rather than after the whole lease.
 */
final class RemoteJobDispatcher {
  private static final Logger LOG = LoggerFactory.getLogger(RemoteJobDispatcher.class);
  static final Duration RETRY_AFTER = Duration.ofSeconds(2);

  private final JobDispatch dispatch;
  private final Store store;
  private final Clock clock;
  private final String owner;
  private final WorkTracker tracker;
  private final ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
  private final Set<String> inFlight = ConcurrentHashMap.newKeySet();

  RemoteJobDispatcher(
      JobDispatch dispatch, Store store, Clock clock, String owner, WorkTracker tracker) {
    this.dispatch = dispatch;
    this.store = store;
    this.clock = clock;
    this.owner = owner;
    this.tracker = tracker;
  }

  void submit(ActivatedJob job, String cloud) {
    if (!inFlight.add(job.key())) {
      return;
    }
    tracker.begin();
    try {
      pool.execute(() -> send(job, cloud));
    } catch (RuntimeException e) {
      inFlight.remove(job.key());
      tracker.end();
      LOG.warn("event=job_dispatch_not_started job={} error={}", job.key(), e.toString());
    }
  }

  private void send(ActivatedJob job, String cloud) {
    try {
      dispatch.dispatch(job, cloud);
      LOG.debug(
          "event=job_dispatched instance={} element={} job={} cloud={}",
          job.instanceId(),
          job.elementId(),
          job.key(),
          cloud);
    } catch (Exception e) {
      LOG.info(
          "event=job_dispatch_failed instance={} element={} job={} cloud={} error={}",
          job.instanceId(),
          job.elementId(),
          job.key(),
          cloud,
          e.toString());
      store.extendJobLock(job.key(), owner, clock.instant().plus(RETRY_AFTER));
    } finally {
      inFlight.remove(job.key());
      tracker.end();
    }
  }

  void stop() {
    pool.shutdownNow();
    try {
      pool.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
