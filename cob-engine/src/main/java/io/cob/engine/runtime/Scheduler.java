package io.cob.engine.runtime;

import io.cob.engine.command.InstanceCommand.TriggerTimer;
import io.cob.engine.port.ActivatedJob;
import io.cob.engine.port.Store;
import io.cob.engine.port.StoreRows.CloudScope;
import io.cob.engine.port.StoreRows.JobLockRequest;
import io.cob.engine.port.StoreRows.JobRow;
import io.cob.engine.port.StoreRows.TimerLockRequest;
import io.cob.engine.port.StoreRows.TimerRow;
import io.cob.engine.state.InstanceState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fires due timers and picks up jobs of this node's types that no running attempt holds (left by a
 * crash, a retry back-off, or another node): both from the store, so nothing depends on memory
 * surviving a restart. Sleeps until the next known due time, a wake-up, or the poll interval.
 */
final class Scheduler implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(Scheduler.class);
  private final Store store;
  private final Clock clock;
  private final CommandLoop loop;
  private final LocalJobExecutor executor;
  private final List<String> localTypes;
  private final String nodeId;
  private final String cloud;
  private final Duration lockDuration;
  private final RemoteJobDispatcher dispatcher;
  private final Duration dispatchLease;
  private final Duration pollInterval;
  private final BiConsumer<JobRow, InstanceState> jobStarter;
  private final BiConsumer<TimerRow, Runnable> startTimerFired;
  private final Runnable outboxSweep;
  private final WorkTracker tracker;
  private final io.cob.engine.port.OwnershipFence fence;
  private Instant lastHousekeeping;
  private final Set<String> timersInFlight = ConcurrentHashMap.newKeySet();
  private final Object signal = new Object();
  private volatile Instant wakeAt = Instant.MAX;
  private volatile boolean running = true;
  private final Thread thread;
  private static final Duration HOUSEKEEPING_INTERVAL = Duration.ofSeconds(5);
  private static final Duration TIMER_LOCK = Duration.ofSeconds(30);

  Scheduler(
      Store store,
      Clock clock,
      CommandLoop loop,
      LocalJobExecutor executor,
      List<String> localTypes,
      String nodeId,
      String cloud,
      Duration lockDuration,
      Duration pollInterval,
      BiConsumer<JobRow, InstanceState> jobStarter,
      RemoteJobDispatcher dispatcher,
      Duration dispatchLease,
      BiConsumer<TimerRow, Runnable> startTimerFired,
      Runnable outboxSweep,
      WorkTracker tracker,
      io.cob.engine.port.OwnershipFence fence) {
    this.store = store;
    this.clock = clock;
    this.loop = loop;
    this.executor = executor;
    this.localTypes = List.copyOf(localTypes);
    this.nodeId = nodeId;
    this.cloud = cloud;
    this.lockDuration = lockDuration;
    this.dispatcher = dispatcher;
    this.dispatchLease = dispatchLease;
    this.pollInterval = pollInterval;
    this.jobStarter = jobStarter;
    this.startTimerFired = startTimerFired;
    this.outboxSweep = outboxSweep;
    this.tracker = tracker;
    this.fence = fence;
    this.thread = Thread.ofPlatform().name("cob-scheduler").daemon(true).unstarted(this);
  }

  void start() {
    thread.start();
  }

  void stop() {
    running = false;
    thread.interrupt();
    try {
      thread.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Asks for a run at {@code due} (or now, if that is earlier than what is planned). */
  void wake(Instant due) {
    synchronized (signal) {
      if (due.isBefore(wakeAt)) {
        wakeAt = due;
        signal.notifyAll();
      }
    }
  }

  @Override
  public void run() {
    while (running) {
      try {
        tick();
        Instant next = store.nextTimerDue().orElse(Instant.MAX);
        synchronized (signal) {
          if (wakeAt.isBefore(next)) {
            next = wakeAt;
          }
          wakeAt = Instant.MAX;
          long ms = pollInterval.toMillis();
          Instant now = clock.instant();
          if (next.isBefore(now.plus(pollInterval))) {
            ms = Math.max(0, Duration.between(now, next).toMillis());
          }
          if (ms > 0) {
            signal.wait(ms);
          }
        }
      } catch (InterruptedException e) {
        if (!running) {
          return;
        }
      } catch (RuntimeException e) {
        LOG.warn("event=scheduler_failure error={}", e.toString());
        try {
          Thread.sleep(pollInterval.toMillis());
        } catch (InterruptedException ie) {
          return;
        }
      }
    }
  }

  /**
   * Fires the timers due now and starts the jobs waiting for this node; returns how many. Every few
   * seconds also re-delivers outbox rows left behind and deletes expired buffered messages.
   */
  int tick() {
    // Counted as work in flight: between locking a timer or job and handing it on, nothing else
    // records it, and a caller waiting for the node to be idle must not see it idle then.
    tracker.begin();
    try {
      return lockAndHandOn();
    } finally {
      tracker.end();
    }
  }

  private int lockAndHandOn() {
    if (fence.fenced() != null) {
      return 0; // whatever it locked could not be committed
    }
    Instant now = clock.instant();
    int n = 0;
    synchronized (this) {
      if (lastHousekeeping == null
          || Duration.between(lastHousekeeping, now).compareTo(HOUSEKEEPING_INTERVAL) >= 0) {
        lastHousekeeping = now;
        outboxSweep.run();
        store.deleteExpiredMessages(now);
      }
    }
    // Locked like jobs, so that of several nodes on one store only one fires a timer; a node that
    // dies holding a timer loses it when the lock expires.
    for (TimerRow t :
        store.lockTimers(new TimerLockRequest(nodeId, now, now.plus(TIMER_LOCK), 500))) {
      if (t.instanceId() == null) {
        if (timersInFlight.add(t.key())) {
          n++;
          // The firing ends when the next due time is stored, after its instance started.
          tracker.begin();
          startTimerFired.accept(
              t,
              () -> {
                timersInFlight.remove(t.key());
                tracker.end();
              });
        }
      } else if (timersInFlight.add(t.key())) {
        n++;
        loop.submit(new TriggerTimer(t.instanceId(), t.timerKey()), null)
            .whenComplete((r, e) -> timersInFlight.remove(t.key()));
      }
    }
    if (!localTypes.isEmpty()) {
      List<JobRow> jobs =
          store.lockJobs(
              new JobLockRequest(
                  localTypes, nodeId, now, now.plus(lockDuration), 128, CloudScope.in(cloud)));
      for (JobRow job : jobs) {
        store
            .instance(job.instanceId())
            .ifPresent(si -> jobStarter.accept(job, InstanceState.fromSnapshot(si.snapshot())));
        n++;
      }
    }
    if (dispatcher != null) {
      // Jobs placed on other clouds, of any type: held for a lease while they travel; an outcome
      // ends them, a lapsed lease sends them again.
      for (JobRow job :
          store.lockJobs(
              new JobLockRequest(
                  List.of(),
                  nodeId,
                  now,
                  now.plus(dispatchLease),
                  128,
                  CloudScope.outside(cloud)))) {
        store
            .instance(job.instanceId())
            .ifPresent(
                si ->
                    dispatcher.submit(
                        activated(job, InstanceState.fromSnapshot(si.snapshot())), job.cloud()));
        n++;
      }
    }
    return n;
  }

  /** Builds what a handler gets from a job row and the instance state. */
  static ActivatedJob activated(JobRow job, InstanceState state) {
    return new ActivatedJob(
        job.key(),
        job.type(),
        job.instanceId(),
        job.elementId(),
        job.elementInstanceKey(),
        job.retries(),
        state.visibleVariables(job.elementInstanceKey()),
        job.headers(),
        job.instanceId() + ":" + job.elementInstanceKey(),
        state.localVariables(job.elementInstanceKey()),
        state.traceparent());
  }

  boolean handles(String type) {
    return executor.handles(type);
  }
}
