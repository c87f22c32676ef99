package io.cob.engine.runtime;

import io.cob.engine.command.InstanceCommand.ReplaceJob;
import io.cob.engine.port.Store;
import io.cob.engine.port.StoreRows.InstanceQuery;
import io.cob.engine.port.StoreRows.InstanceSummary;
import io.cob.engine.port.StoreRows.JobRow;
import io.cob.engine.processor.ProcessingResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Places again the open jobs that were placed on a cloud that went DOWN: finds them in the store
 * and submits a {@link ReplaceJob} for each. The command does the rest (and is rejected,
 * harmlessly, for a job that finished meanwhile), so calling this twice for the same outage is
 * safe.
 *
 * <p>Only instances owned by this node's cloud are visited, since their owner applies their
 * commands. It reads the jobs of every active instance page by page: fine for an outage, a rare
 * event; a store query by job cloud would be the way to go if that became a cost. Thread-safe.
 */
public final class JobReplacement {
  private static final Logger LOG = LoggerFactory.getLogger(JobReplacement.class);
  private static final int PAGE = 500;

  private final Store store;
  private final NodeRuntime runtime;
  private final String ownerCloud;
  private final Duration commandTimeout;

  public JobReplacement(
      Store store, NodeRuntime runtime, String ownerCloud, Duration commandTimeout) {
    this.store = store;
    this.runtime = runtime;
    this.ownerCloud = ownerCloud;
    this.commandTimeout = commandTimeout;
  }

  /**
   * Submits a {@link ReplaceJob} for every open job on {@code cloud} and waits for them.
   *
   * @return how many jobs were placed again or got an incident (the commands not rejected)
   */
  public int replaceJobsOn(String cloud) {
    String reason = "cloud '" + cloud + "' DOWN";
    List<CompletableFuture<ProcessingResult>> submitted = new ArrayList<>();
    String after = null;
    while (true) {
      List<InstanceSummary> page =
          store.instances(new InstanceQuery("ACTIVE", null, null, ownerCloud, null, PAGE, after));
      for (InstanceSummary instance : page) {
        for (JobRow job : store.jobs(instance.id())) {
          if (cloud.equals(job.cloud())) {
            long jobKey = Long.parseLong(job.key().substring(job.key().lastIndexOf(':') + 1));
            submitted.add(runtime.submit(new ReplaceJob(job.instanceId(), jobKey, reason)));
          }
        }
      }
      if (page.size() < PAGE) {
        break;
      }
      after = page.getLast().id();
    }
    int replaced = 0;
    for (CompletableFuture<ProcessingResult> f : submitted) {
      try {
        if (!f.get(commandTimeout.toMillis(), TimeUnit.MILLISECONDS).rejected()) {
          replaced++;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while placing jobs again", e);
      } catch (ExecutionException | TimeoutException e) {
        LOG.warn("event=job_replace_failed cloud={} error={}", cloud, e.toString());
      }
    }
    LOG.info(
        "event=jobs_replaced cloud={} owner={} found={} replaced={}",
        cloud,
        ownerCloud,
        submitted.size(),
        replaced);
    return replaced;
  }
}
