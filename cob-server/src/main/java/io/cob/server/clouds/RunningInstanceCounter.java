package io.cob.server.clouds;

import io.cob.bus.topology.InstanceCounts;
import io.cob.engine.port.Store;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts the running instances in this node's store, again and again, for {@code GET /clouds}: how
 * many its cloud owns, and how many it keeps as a standby (replicas of instances another cloud
 * owns). Each count goes to the node's heartbeats ({@code NodeBus#reportInstances}), so that every
 * node shows every cloud's counts, not only its own.
 *
 * <p><b>Why the heartbeats carry them.</b> Only a cloud's own nodes can read its store; the
 * heartbeat already goes to every node every interval, and two numbers make it a few bytes longer.
 * Asking each cloud over the bus when a page is shown would add a request and its answer per cloud
 * per look; the heartbeat's figures are at most an interval plus a count old, which is what a page
 * that refreshes every two seconds needs.
 *
 * <p><b>Standby</b> is every running instance in the store that another cloud owns. With a store
 * per cloud those are exactly the replicas it keeps (and could take over). Clouds that share one
 * database see each other's instances as standby too: in that set-up any of them can indeed take
 * the others' instances over, as a standby does.
 *
 * <p><b>Threads and cost.</b> The count is a store query ({@link Store#runningInstancesByOwner}),
 * so it runs on a thread of its own: on the heartbeat's thread a slow store would delay the
 * heartbeats and make this node look SUSPECT. It runs every {@code interval} (the heartbeat's), but
 * waits at least {@value #QUIET_FACTOR} times as long as the last count took before the next, so
 * that a store with very many running instances spends at most 1/{@value #QUIET_FACTOR} of one
 * connection's time on it. When the store fails, the last counts stay (the failure is logged once
 * until a count succeeds again). {@link #close()} stops it; call it before the store closes.
 */
public final class RunningInstanceCounter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RunningInstanceCounter.class);

  /** The next count waits at least this many times as long as the last one took. */
  static final int QUIET_FACTOR = 20;

  private final Store store;
  private final String cloud;
  private final Consumer<InstanceCounts> report;
  private final Duration interval;
  private final ScheduledExecutorService worker;
  private volatile InstanceCounts latest;
  private boolean failing;

  private RunningInstanceCounter(
      Store store,
      String cloud,
      Consumer<InstanceCounts> report,
      Duration interval,
      String nodeId) {
    this.store = Objects.requireNonNull(store, "store");
    this.cloud = Objects.requireNonNull(cloud, "cloud");
    this.report = Objects.requireNonNull(report, "report");
    this.interval = Objects.requireNonNull(interval, "interval");
    this.worker =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "cob-instance-counter-" + nodeId);
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Counts now, on its own thread, and then every {@code interval}.
   *
   * @param cloud this node's cloud: its instances are owned, the others' standby
   * @param report where each count goes (quick, any thread)
   */
  public static RunningInstanceCounter start(
      Store store,
      String cloud,
      Consumer<InstanceCounts> report,
      Duration interval,
      String nodeId) {
    RunningInstanceCounter counter =
        new RunningInstanceCounter(store, cloud, report, interval, nodeId);
    counter.worker.execute(counter::countAndReschedule);
    return counter;
  }

  /** The last counts, or {@code null} before the first count succeeded. */
  public InstanceCounts latest() {
    return latest;
  }

  /** Stops counting; a count running now finishes first (bounded wait). Idempotent. */
  @Override
  public void close() {
    worker.shutdownNow();
    try {
      if (!worker.awaitTermination(10, TimeUnit.SECONDS)) {
        LOG.warn("event=instance_counter_not_stopped cloud={} after=PT10S", cloud);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Owned and standby counts from the store's counts by owner cloud. */
  static InstanceCounts counts(String cloud, Map<String, Long> byOwner) {
    long owned = byOwner.getOrDefault(cloud, 0L);
    long all = byOwner.values().stream().mapToLong(Long::longValue).sum();
    return new InstanceCounts(owned, all - owned);
  }

  private void countAndReschedule() {
    long started = System.nanoTime();
    try {
      InstanceCounts counts = counts(cloud, store.runningInstancesByOwner());
      latest = counts;
      report.accept(counts);
      if (failing) {
        LOG.info("event=instances_counted_again cloud={}", cloud);
      }
      failing = false;
    } catch (RuntimeException e) {
      if (!failing) {
        LOG.warn(
            "event=instances_not_counted cloud={} error=\"{}\" (the last counts stay)",
            cloud,
            e.toString());
      }
      failing = true;
    }
    long took = System.nanoTime() - started;
    long delay = Math.max(interval.toNanos(), QUIET_FACTOR * took);
    try {
      worker.schedule(this::countAndReschedule, delay, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      // closed: the node is stopping
    }
  }
}
