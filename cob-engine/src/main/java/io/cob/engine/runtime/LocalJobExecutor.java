package io.cob.engine.runtime;

import io.cob.engine.command.InstanceCommand;
import io.cob.engine.command.InstanceCommand.CompleteJob;
import io.cob.engine.command.InstanceCommand.FailJob;
import io.cob.engine.command.InstanceCommand.ThrowError;
import io.cob.engine.port.ActivatedJob;
import io.cob.engine.port.JobHandler;
import io.cob.engine.port.JobResult;
import io.cob.engine.port.Store;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs jobs of the types this node handles itself, on virtual threads, at most {@code
 * maxConcurrent} at once, and turns each outcome into a command for the writer.
 */
final class LocalJobExecutor {
  private static final Logger LOG = LoggerFactory.getLogger(LocalJobExecutor.class);
  private final Map<String, JobHandler> handlers;
  private final Store store;
  private final Clock clock;
  private final String owner;
  private final String cloud;
  private final Consumer<InstanceCommand> commands;
  private final WorkTracker tracker;
  private final ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
  private final Semaphore permits;

  LocalJobExecutor(
      Map<String, JobHandler> handlers,
      Store store,
      Clock clock,
      String owner,
      String cloud,
      Consumer<InstanceCommand> commands,
      WorkTracker tracker,
      int maxConcurrent) {
    this.handlers = Map.copyOf(handlers);
    this.store = store;
    this.clock = clock;
    this.owner = owner;
    this.cloud = cloud;
    this.commands = commands;
    this.tracker = tracker;
    this.permits = new Semaphore(maxConcurrent);
  }

  boolean handles(String type) {
    return handlers.containsKey(type);
  }

  void submit(ActivatedJob job) {
    tracker.begin();
    try {
      pool.execute(() -> run(job));
    } catch (RuntimeException e) {
      tracker.end();
      LOG.warn("event=job_not_started job={} error={}", job.key(), e.toString());
    }
  }

  private void run(ActivatedJob job) {
    long jobKey = Long.parseLong(job.key().substring(job.key().lastIndexOf(':') + 1));
    try {
      permits.acquireUninterruptibly();
      InstanceCommand next;
      try {
        JobResult result = handlers.get(job.type()).handle(job);
        if (result instanceof JobResult.Await await) {
          awaitAnswer(job, await);
          return;
        }
        next =
            switch (result) {
              case JobResult.Await a -> throw new IllegalStateException("handled above");
              case JobResult.Complete c -> new CompleteJob(job.instanceId(), jobKey, c.variables());
              case JobResult.Fail f ->
                  new FailJob(job.instanceId(), jobKey, f.retries(), f.errorMessage(), f.backoff());
              case JobResult.Error e ->
                  new ThrowError(
                      job.instanceId(),
                      jobKey,
                      e.errorCode(),
                      e.errorMessage(),
                      e.variables() == null ? Map.of() : e.variables());
            };
      } catch (Exception e) {
        LOG.info(
            "event=job_failed instance={} element={} cloud={} type={} error={}",
            job.instanceId(),
            job.elementId(),
            cloud,
            job.type(),
            e.toString());
        next =
            new FailJob(
                job.instanceId(),
                jobKey,
                null,
                e.getClass().getSimpleName() + ": " + e.getMessage(),
                null);
      } finally {
        permits.release();
      }
      commands.accept(next);
    } finally {
      tracker.end();
    }
  }

  /**
   * Keeps the job locked while its answer is on the way. If the answer already came and completed
   * the job, or the lock went to another node meanwhile, there is nothing left to hold.
   */
  private void awaitAnswer(ActivatedJob job, JobResult.Await await) {
    boolean held = store.extendJobLock(job.key(), owner, clock.instant().plus(await.timeout()));
    LOG.debug(
        "event=job_awaiting_answer instance={} element={} cloud={} job={} type={} timeout={}"
            + " held={}",
        job.instanceId(),
        job.elementId(),
        cloud,
        job.key(),
        job.type(),
        await.timeout(),
        held);
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
