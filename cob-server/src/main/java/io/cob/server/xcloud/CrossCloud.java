package io.cob.server.xcloud;

import io.cob.connectors.EngineJobOutcomes;
import io.cob.engine.Engine;
import io.cob.engine.port.ActivatedJob;
import io.cob.engine.port.JobDispatch;
import io.cob.engine.port.JobHandler;
import io.cob.engine.port.Store;
import io.cob.engine.port.bus.Bus;
import io.cob.engine.port.bus.Envelope;
import io.cob.server.config.BusConfig;
import io.cob.server.config.NodeConfig;
import io.cob.server.tracing.NodeTracing;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cross-cloud steps of one node (DESIGN.md §6): jobs placed on other clouds go there over the bus
 * ({@link BusJobDispatch}), jobs other clouds send here run with this node's handlers ({@link
 * RemoteJobRunner}), outcomes come back and are applied with where and when the job ran ({@link
 * RemoteResults}), and late answers of awaited jobs go to the cloud they belong to ({@link
 * RoutingJobOutcomes}).
 *
 * <p><b>Lifecycle.</b> Made before the connectors ({@link #prepare}), since they report late
 * answers through {@link #outcomes()}; {@link #start} subscribes to this node's cloud once the
 * engine exists; {@link #close} stops consuming, then the running jobs and unsent results (their
 * owners send the jobs again when the dispatch lease lapses).
 *
 * <p><b>Housekeeping.</b> Every 10 minutes the inbox forgets message ids older than {@link
 * #INBOX_RETENTION} (far beyond any redelivery: the bus dead-letters after a few attempts, owners
 * re-send with new ids), and awaited jobs whose answer never came are forgotten.
 *
 * <p>Thread-safe.
 */
public final class CrossCloud implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CrossCloud.class);

  /** How long the inbox remembers a message id. */
  public static final Duration INBOX_RETENTION = Duration.ofDays(7);

  private static final Duration HOUSEKEEPING = Duration.ofMinutes(10);

  private final Bus bus;
  private final String cloud;
  private final String node;
  private final Store store;
  private final Supplier<Engine> engine;
  private final BusConfig.CrossCloudJobs settings;
  private final Clock clock;
  private final AwaitedRemoteJobs awaited;
  private final ResultSender sender;
  private final RoutingJobOutcomes outcomes;
  private final NodeTracing tracing;
  private final AtomicLong duplicates = new AtomicLong();
  private final Map<String, Consumer<Envelope>> otherTypes = new ConcurrentHashMap<>();
  private java.util.function.BiFunction<ActivatedJob, String, ActivatedJob> jobFilter =
      (job, target) -> job;
  private RemoteJobRunner runner;
  private RemoteResults results;
  private CloudInbox inbox;
  private ScheduledExecutorService housekeeping;

  private CrossCloud(
      Bus bus,
      String cloud,
      String node,
      Store store,
      Supplier<Engine> engine,
      BusConfig.CrossCloudJobs settings,
      Clock clock,
      NodeTracing tracing) {
    this.tracing = tracing;
    this.bus = bus;
    this.cloud = cloud;
    this.node = node;
    this.store = store;
    this.engine = engine;
    this.settings = settings;
    // Milliseconds, what envelopes carry: the times of a run then compare with envelope dates.
    this.clock = Clock.tick(clock, Duration.ofMillis(1));
    this.awaited = new AwaitedRemoteJobs(this.clock);
    this.sender = new ResultSender(bus, this.clock, tracing);
    this.outcomes =
        new RoutingJobOutcomes(awaited, sender, new EngineJobOutcomes(engine), this.clock);
  }

  /**
   * The parts the connectors and the engine need; nothing is consumed yet.
   *
   * @param bus the node's signed bus
   * @param node this node's cloud and id
   * @param engine the node's engine, looked up when a result arrives (it is built later)
   * @param clock real time (envelope dates, run times), never a dev clock
   * @param tracing the node's tracing: every hop over the bus continues the instance's trace
   */
  public static CrossCloud prepare(
      Bus bus,
      NodeConfig node,
      Store store,
      Supplier<Engine> engine,
      BusConfig.CrossCloudJobs settings,
      Clock clock,
      NodeTracing tracing) {
    return new CrossCloud(
        bus, node.cloud(), node.nodeId(), store, engine, settings, clock, tracing);
  }

  /**
   * Hands envelopes of another type arriving at this cloud's queue to {@code handler} (which throws
   * to have one delivered again, and throws {@link IllegalArgumentException} for a payload that can
   * never be handled). Call before {@link #start}.
   */
  public void handle(String type, Consumer<Envelope> handler) {
    otherTypes.put(type, handler);
  }

  /**
   * What a job sent to another cloud may carry, given the job and the target cloud (data
   * residency); call before {@link #dispatch()}.
   */
  public void filterJobs(java.util.function.BiFunction<ActivatedJob, String, ActivatedJob> filter) {
    this.jobFilter = filter;
  }

  /** Where the node's connectors report late answers. */
  public RoutingJobOutcomes outcomes() {
    return outcomes;
  }

  /** What the engine sends jobs for other clouds through. */
  public JobDispatch dispatch() {
    return new BusJobDispatch(bus, cloud, clock, tracing, jobFilter);
  }

  /** How long a job sent to another cloud is held for its outcome ({@code bus.dispatchLease}). */
  public Duration dispatchLease() {
    return settings.dispatchLease();
  }

  /**
   * Starts consuming this node's cloud queue, running dispatched jobs with {@code handlers}.
   *
   * @param handlers every handler of the node by job type, the same the engine got
   * @throws io.cob.engine.port.bus.BusException when the subscriptions cannot be set up
   */
  public synchronized void start(Map<String, JobHandler> handlers) {
    if (inbox != null) {
      throw new IllegalStateException("cross-cloud steps of node " + node + " already started");
    }
    runner =
        new RemoteJobRunner(
            cloud,
            node,
            handlers,
            store,
            sender,
            awaited,
            settings.remoteJobs(),
            settings.dispatchLease(),
            clock,
            duplicates,
            tracing);
    inbox =
        CloudInbox.start(
            bus,
            cloud,
            settings.consumers(),
            runner,
            results = new RemoteResults(engine, store, clock, duplicates, tracing),
            otherTypes);
    housekeeping =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "cob-xcloud-housekeeping-" + node);
              t.setDaemon(true);
              return t;
            });
    long every = HOUSEKEEPING.toMillis();
    housekeeping.scheduleAtFixedRate(this::houseKeep, every, every, TimeUnit.MILLISECONDS);
    LOG.info(
        "event=cross_cloud_started node={} cloud={} consumers={} remoteJobs={} dispatchLease={}"
            + " handlers={}",
        node,
        cloud,
        settings.consumers(),
        settings.remoteJobs(),
        settings.dispatchLease(),
        handlers.keySet());
  }

  void houseKeep() {
    try {
      int purged = store.purgeInbox(clock.instant().minus(INBOX_RETENTION));
      int expired = awaited.expire();
      if (purged > 0 || expired > 0) {
        LOG.info(
            "event=cross_cloud_housekeeping node={} inboxPurged={} awaitedExpired={}",
            node,
            purged,
            expired);
      }
    } catch (RuntimeException e) {
      LOG.warn("event=cross_cloud_housekeeping_failed node={} error=\"{}\"", node, e.toString());
    }
  }

  /** Envelopes ({@code job.dispatch}, {@code job.result}) the inbox recognised as duplicates. */
  public long duplicatesIgnored() {
    return duplicates.get();
  }

  /** Jobs of other clouds awaiting a late answer here now. */
  public int awaitedJobs() {
    return awaited.size();
  }

  @Override
  public synchronized void close() {
    if (inbox != null) {
      inbox.close();
    }
    if (housekeeping != null) {
      housekeeping.shutdownNow();
    }
    if (runner != null) {
      runner.close();
    }
    if (results != null) {
      results.close();
    }
    sender.close();
  }
}
