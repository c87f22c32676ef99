package io.cob.server.clouds;

import io.cob.bus.topology.CloudHealth;
import io.cob.bus.topology.HealthChange;
import io.cob.bus.topology.HealthListener;
import io.cob.bus.topology.Topology;
import io.cob.engine.Engine;
import io.cob.server.bus.BusHealth;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Places again the jobs out on a cloud that went DOWN ({@link Engine#replaceJobsOn}), when this
 * node's topology says so.
 *
 * <p><b>Only when this node can judge.</b> While this node's own bus connection is not UP, every
 * other cloud falls silent and goes DOWN from here, which says nothing about them: the cloud is
 * kept pending and handled once the connection has been back for {@code settle} (long enough for
 * the heartbeats of live clouds to arrive again), if it is still DOWN then. A cloud that came back
 * meanwhile is dropped.
 *
 * <p><b>Threads.</b> Health changes arrive on the heartbeat or bus threads, which must not block;
 * the re-placement (which reads the store and submits commands) runs on this class's own thread,
 * one cloud at a time, and pending clouds are looked at again every {@code recheck}. Re-placing
 * twice is harmless ({@code replaceJobsOn} is idempotent). {@link #close()} stops it; call it
 * before the engine closes.
 */
public final class DownCloudReplacer implements HealthListener, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DownCloudReplacer.class);

  private final Engine engine;
  private final Topology topology;
  private final BusHealth busHealth;
  private final Duration settle;
  private final Set<String> pending = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService worker;

  /**
   * Starts listening to the topology.
   *
   * @param recheck how often clouds kept pending are looked at again (the heartbeat interval)
   * @param settle how long this node's bus connection must have been up before a DOWN cloud is
   *     believed (the time after which a silent cloud turns SUSPECT)
   */
  public static DownCloudReplacer start(
      Engine engine,
      Topology topology,
      BusHealth busHealth,
      Duration recheck,
      Duration settle,
      String nodeId) {
    DownCloudReplacer replacer = new DownCloudReplacer(engine, topology, busHealth, settle, nodeId);
    long millis = Math.max(1, recheck.toMillis());
    replacer.worker.scheduleWithFixedDelay(replacer::drain, millis, millis, TimeUnit.MILLISECONDS);
    topology.addListener(replacer);
    return replacer;
  }

  private DownCloudReplacer(
      Engine engine, Topology topology, BusHealth busHealth, Duration settle, String nodeId) {
    this.engine = engine;
    this.topology = topology;
    this.busHealth = busHealth;
    this.settle = settle;
    this.worker =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "cob-replacer-" + nodeId);
              t.setDaemon(true);
              return t;
            });
  }

  @Override
  public void changed(HealthChange change) {
    if (change.to() == CloudHealth.DOWN) {
      pending.add(change.cloud());
      try {
        worker.execute(this::drain);
      } catch (RejectedExecutionException e) {
        // closed: the node is stopping
      }
    }
  }

  /** The clouds waiting to have their jobs placed again. */
  public Set<String> pending() {
    return Set.copyOf(pending);
  }

  /** Stops; a re-placement running now finishes first (bounded wait). Idempotent. */
  @Override
  public void close() {
    worker.shutdownNow();
    try {
      if (!worker.awaitTermination(10, TimeUnit.SECONDS)) {
        LOG.warn("event=replacer_not_stopped after=PT10S");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void drain() {
    if (pending.isEmpty()) {
      return;
    }
    if (busHealth.stableFor().compareTo(settle) < 0) {
      return; // this node is (or just was) cut off: others' silence proves nothing yet
    }
    for (String cloud : Set.copyOf(pending)) {
      pending.remove(cloud);
      if (topology.health(cloud) != CloudHealth.DOWN) {
        continue;
      }
      try {
        int replaced = engine.replaceJobsOn(cloud);
        LOG.info("event=jobs_replaced cloud={} jobs={}", cloud, replaced);
      } catch (RuntimeException e) {
        pending.add(cloud); // the store may be away for a moment: try again at the next recheck
        LOG.warn("event=jobs_replace_failed cloud={} error=\"{}\"", cloud, e.toString());
      }
    }
  }
}
