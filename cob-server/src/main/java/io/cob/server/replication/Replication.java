package io.cob.server.replication;

import io.cob.engine.Engine;
import io.cob.engine.port.CommitListener;
import io.cob.engine.port.Store;
import io.cob.engine.port.StoreRows.InstanceQuery;
import io.cob.engine.port.StoreRows.InstanceSummary;
import io.cob.engine.port.bus.Bus;
import io.cob.engine.runtime.CommandRejectedException;
import io.cob.server.xcloud.CrossCloud;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replication and fail-over of one node (DESIGN.md §7): as an owner it ships the events of the
 * instances its cloud owns to the cloud's standbys ({@link ReplicationShipper}); as a standby it
 * keeps replicas of other clouds' instances ({@link ReplicaReceiver}); and it takes over the
 * replicas of a cloud when asked ({@link #failover}).
 *
 * <p>Thread-safe.
 */
public final class Replication implements Takeovers, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Replication.class);
  private static final int PAGE = 500;

  /** How long a fail-back waits for the former owner to confirm it adopted the logs. */
  static final Duration FAILBACK_CONFIRM = Duration.ofSeconds(30);

  /** How long a caller waits for a standby in mode {@code sync}. */
  public static final Duration SYNC_TIMEOUT = Duration.ofSeconds(10);

  /** How many take-overs of one fail-over are in flight at once. */
  private static final int TAKING_AT_ONCE = 32;

  private final String cloud;
  private final ReplicationPlan plan;
  private final Store store;
  private final Supplier<Engine> engine;
  private final ReplicationShipper shipper;
  private final ReplicaReceiver receiver;
  private final Residency residency;

  /** What a fail-over did: how many instances this cloud took over, and those it could not. */
  public record FailoverResult(String cloud, String to, int instances, List<String> refused) {}

  /** This cloud's role for another: it ships to it (a standby of this cloud), with the lag. */
  public record StandbyStatus(Duration lag, int pendingInstances) {}

  private Replication(
      String cloud,
      ReplicationPlan plan,
      Store store,
      Supplier<Engine> engine,
      ReplicationShipper shipper,
      ReplicaReceiver receiver,
      Residency residency) {
    this.residency = residency;
    this.plan = plan;
    this.cloud = cloud;
    this.store = store;
    this.engine = engine;
    this.shipper = shipper;
    this.receiver = receiver;
  }

  /**
   * Starts replication of a node: shipping to {@code standbys} (none: this cloud's instances are
   * not replicated) and receiving what owners ship here through {@code crossCloud}'s consumers.
   * Call before {@code crossCloud} starts.
   *
   * @param clock real time, never a dev clock
   */
  public static Replication start(
      Bus bus,
      String cloud,
      ReplicationPlan plan,
      Store store,
      Supplier<Engine> engine,
      CrossCloud crossCloud,
      Residency residency,
      Clock clock) {
    ReplicationShipper shipper =
        new ReplicationShipper(bus, cloud, plan, store, clock, SYNC_TIMEOUT, residency).start();
    crossCloud.filterJobs(residency::redact);
    ReplicaReceiver receiver = new ReplicaReceiver(bus, cloud, engine, clock);
    crossCloud.handle(ReplicationEnvelopes.EVENTS, receiver::apply);
    crossCloud.handle(
        ReplicationEnvelopes.RESYNC,
        e -> {
          ReplicationEnvelopes.Resync r = ReplicationEnvelopes.readResync(e);
          shipper.resend(e.sourceCloud(), r.instanceId(), r.fromSeq());
        });
    crossCloud.handle(
        ReplicationEnvelopes.CONFLICT,
        e -> {
          ReplicationEnvelopes.Conflict c = ReplicationEnvelopes.readConflict(e);
          try {
            engine
                .get()
                .execute(
                    new io.cob.engine.command.InstanceCommand.RecordConflict(
                        c.instanceId(), e.sourceCloud(), c.epoch(), c.events()));
            LOG.warn(
                "event=replica_conflict_recorded instance={} from={} events={}",
                c.instanceId(),
                e.sourceCloud(),
                c.events().size());
          } catch (CommandRejectedException rejected) {
            LOG.warn(
                "event=replica_conflict_not_recorded instance={} from={} reason=\"{}\"",
                c.instanceId(),
                e.sourceCloud(),
                rejected.getMessage());
          }
        });
    crossCloud.handle(
        ReplicationEnvelopes.ACK,
        e -> shipper.acknowledged(e.sourceCloud(), ReplicationEnvelopes.readAck(e).stored()));
    if (!plan.configured().isEmpty()) {
      LOG.info(
          "event=replication_started cloud={} standbys={} (and those processes name)",
          cloud,
          plan.configured());
    }
    return new Replication(cloud, plan, store, engine, shipper, receiver, residency);
  }

  /** What the engine reports its commits to, for shipping. */
  public CommitListener commits() {
    return shipper;
  }

  /** The replication status towards {@code other} when it is a standby of this cloud. */
  public Optional<StandbyStatus> standby(String other) {
    return shipper.lags().stream()
        .filter(l -> l.standby().equals(other))
        .findFirst()
        .map(l -> new StandbyStatus(l.lag(), l.instances()));
  }

  /**
   * The replication meters: {@code cob_replication_lag_seconds{standby}} (the age of the oldest
   * event shipped to the standby and not yet acknowledged), {@code
   * cob_replication_pending_instances{standby}}, {@code cob_replication_replicated_events_total}
   * (events applied to replicas here) and {@code cob_replication_refused_total} (shipments refused
   * for good: an older epoch, an instance owned here).
   */
  public io.micrometer.core.instrument.binder.MeterBinder meters() {
    return registry -> {
      for (String standby : shipper.standbys()) {
        io.micrometer.core.instrument.Gauge.builder(
                "cob.replication.lag", shipper, s -> lagOf(s, standby).lag().toNanos() / 1e9)
            .description("Age of the oldest event shipped to the standby and not acknowledged")
            .baseUnit("seconds")
            .tag("standby", standby)
            .register(registry);
        io.micrometer.core.instrument.Gauge.builder(
                "cob.replication.pending.instances", shipper, s -> lagOf(s, standby).instances())
            .description("Instances with events shipped to the standby and not acknowledged")
            .tag("standby", standby)
            .register(registry);
      }
      io.micrometer.core.instrument.FunctionCounter.builder(
              "cob.replication.replicated.events", receiver, ReplicaReceiver::applied)
          .description("Events of other clouds' instances applied to replicas here")
          .register(registry);
      io.micrometer.core.instrument.FunctionCounter.builder(
              "cob.replication.refused", receiver, ReplicaReceiver::refused)
          .description("Shipments refused for good (older epoch, instance owned here)")
          .register(registry);
    };
  }

  private static ReplicationShipper.Lag lagOf(ReplicationShipper shipper, String standby) {
    return shipper.lags().stream()
        .filter(l -> l.standby().equals(standby))
        .findFirst()
        .orElse(new ReplicationShipper.Lag(standby, Duration.ZERO, 0));
  }

  /** The standbys of this cloud with their lag. */
  public List<ReplicationShipper.Lag> lags() {
    return shipper.lags();
  }

  /** Events applied to replicas here, and shipments refused for good. */
  public long replicatedEvents() {
    return receiver.applied();
  }

  public long refusedShipments() {
    return receiver.refused();
  }

  /**
   * This cloud takes over every running instance of {@code from} it holds a replica of: each gets a
   * new epoch, its steps on {@code from} are placed again, and its jobs, timers, subscriptions and
   * user tasks are armed here.
   *
   * @throws IllegalArgumentException when {@code from} is this node's own cloud
   */
  @Override
  public FailoverResult failover(String from, String reason) {
    return failover(from, reason, null);
  }

  /**
   * Whether some running instance of {@code from} held here is one this cloud takes over by itself
   * when {@code from} is gone: those of which it is the first standby present ({@link
   * ReplicationPlan#standbys}: the process's {@code cob:standby}, else {@code from}'s configured
   * standbys). Each instance has one such cloud, so two standbys never take one instance over.
   *
   * @param present whether a cloud's presence mark is on the broker now
   */
  @Override
  public boolean hasTakeoverCandidates(String from, Predicate<String> present) {
    String after = null;
    while (true) {
      List<InstanceSummary> page =
          store.instances(new InstanceQuery("ACTIVE", null, null, from, null, PAGE, after));
      for (InstanceSummary s : page) {
        if (firstPresent(s, from, present) && residency.refusal(s.id(), cloud) == null) {
          return true; // one is enough to decide: the take-over itself looks at each
        }
      }
      if (page.size() < PAGE) {
        return false;
      }
      after = page.getLast().id();
    }
  }

  /**
   * As {@link #failover(String, String)}, for the automatic take-over: only the instances of which
   * this cloud is the first standby present ({@code present} is {@code null}: all, by hand).
   */
  @Override
  public FailoverResult failover(String from, String reason, Predicate<String> present) {
    if (from.equals(cloud)) {
      throw new IllegalArgumentException(
          "cloud '" + from + "' is this node's own cloud: fail it over from a node of its standby");
    }
    List<String> toTake = new ArrayList<>();
    List<String> refused = java.util.Collections.synchronizedList(new ArrayList<>());
    String after = null;
    while (true) {
      List<InstanceSummary> page =
          store.instances(new InstanceQuery("ACTIVE", null, null, from, null, PAGE, after));
      for (InstanceSummary s : page) {
        if (present != null && !firstPresent(s, from, present)) {
          continue; // another standby's to take
        }
        String notHere = residency.refusal(s.id(), cloud);
        if (notHere != null) {
          refused.add(s.id() + ": " + notHere);
        } else {
          toTake.add(s.id());
        }
      }
      if (page.size() < PAGE) {
        break;
      }
      after = page.getLast().id();
    }
    int taken = takeOwnership(toTake, reason, refused);
    if (taken == 0 && refused.isEmpty()) {
      return new FailoverResult(from, cloud, 0, List.of());
    }
    LOG.warn(
        "event=failover from={} to={} instances={} refused={} reason=\"{}\"",
        from,
        cloud,
        taken,
        refused.size(),
        reason);
    return new FailoverResult(from, cloud, taken, List.copyOf(refused));
  }

  @Override
  public FailoverResult preview(String from) {
    int takeable = 0;
    List<String> refused = new ArrayList<>();
    String after = null;
    while (true) {
      List<InstanceSummary> page =
          store.instances(new InstanceQuery("ACTIVE", null, null, from, null, PAGE, after));
      for (InstanceSummary s : page) {
        String notHere = residency.refusal(s.id(), cloud);
        if (notHere != null) {
          refused.add(s.id() + ": " + notHere);
        } else {
          takeable++;
        }
      }
      if (page.size() < PAGE) {
        return new FailoverResult(from, cloud, takeable, List.copyOf(refused));
      }
      after = page.getLast().id();
    }
  }

  /**
   * Gives the running instances this cloud took over from {@code to} back to it (fail-back): each
   * one's whole log is sent to {@code to} (which adopts it, reporting what it had committed and
   * never shipped as a conflict), then the instance is handed over to it under a new epoch.
   */
  public FailoverResult failback(String to, String reason) {
    if (to.equals(cloud)) {
      throw new IllegalArgumentException("cloud '" + to + "' is this node's own cloud");
    }
    long began = System.nanoTime();
    List<String> taken = new ArrayList<>();
    Set<String> running = new java.util.HashSet<>();
    for (String state : List.of("ACTIVE", "COMPLETED", "TERMINATED", "CANCELED")) {
      String after = null;
      while (true) {
        List<InstanceSummary> page =
            store.instances(new InstanceQuery(state, null, null, cloud, null, PAGE, after));
        for (InstanceSummary s : page) {
          if (s.epoch() > 0 && takenFrom(s.id(), to)) {
            taken.add(s.id());
            if (state.equals("ACTIVE")) {
              running.add(s.id());
            }
          }
        }
        if (page.size() < PAGE) {
          break;
        }
        after = page.getLast().id();
      }
    }
    int given = 0;
    List<String> refused = new ArrayList<>();
    for (String id : taken) {
      try {
        // Its whole log first, so that the former owner adopts it (ended ones too: it must not
        // go on with its own copy of them).
        shipper.resend(to, id, 1);
        if (running.contains(id)) {
          engine.get().handOver(id, to, reason);
          given++;
        }
      } catch (CommandRejectedException | io.cob.engine.port.bus.BusException e) {
        refused.add(id + ": " + e.getMessage());
      }
    }
    long allGiven = System.nanoTime(); // from here the former owner adopts the logs
    boolean confirmed = shipper.awaitAcknowledged(to, taken, FAILBACK_CONFIRM);
    if (!confirmed) {
      refused.add(
          "cloud '"
              + to
              + "' did not confirm it adopted every log within "
              + FAILBACK_CONFIRM
              + ": it stays fenced; call the fail-back again");
    }
    LOG.warn(
        "event=failback from={} to={} instances={} logs={} confirmed={} refused={} ms={}"
            + " confirmMs={} reason=\"{}\"",
        cloud,
        to,
        given,
        taken.size(),
        confirmed,
        refused.size(),
        (System.nanoTime() - began) / 1_000_000,
        (System.nanoTime() - allGiven) / 1_000_000,
        reason);
    return new FailoverResult(cloud, to, given, List.copyOf(refused));
  }

  /**
   * Takes these instances over, {@value #TAKING_AT_ONCE} at once: one after the other, each waits
   * for its own commit, and a thousand instances took 10-14 s; at once, the engine commits them in
   * groups.
   *
   * @return how many were taken; the others are added to {@code refused} with the reason
   */
  private int takeOwnership(List<String> ids, String reason, List<String> refused) {
    java.util.concurrent.atomic.AtomicInteger taken =
        new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.Semaphore slots = new java.util.concurrent.Semaphore(TAKING_AT_ONCE);
    try (var threads = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
      for (String id : ids) {
        slots.acquireUninterruptibly();
        threads.submit(
            () -> {
              try {
                engine.get().takeOwnership(id, reason);
                taken.incrementAndGet();
              } catch (RuntimeException e) {
                refused.add(id + ": " + e.getMessage());
              } finally {
                slots.release();
              }
            });
      }
    }
    return taken.get();
  }

  /** Whether this cloud is the first of the instance's standbys whose presence mark is there. */
  private boolean firstPresent(InstanceSummary s, String from, Predicate<String> present) {
    for (String standby : plan.standbys(s.processId(), s.version(), from)) {
      if (standby.equals(cloud)) {
        return true;
      }
      if (present.test(standby)) {
        return false;
      }
    }
    return false;
  }

  /** Whether this cloud holds an instance it took over from {@code from}. */
  public boolean hasTakenOverFrom(String from) {
    for (String state : List.of("ACTIVE", "COMPLETED", "TERMINATED", "CANCELED")) {
      String after = null;
      while (true) {
        List<InstanceSummary> page =
            store.instances(new InstanceQuery(state, null, null, cloud, null, PAGE, after));
        for (InstanceSummary s : page) {
          if (s.epoch() > 0 && takenFrom(s.id(), from)) {
            return true;
          }
        }
        if (page.size() < PAGE) {
          break;
        }
        after = page.getLast().id();
      }
    }
    return false;
  }

  /** Whether this cloud's latest take-over of the instance was from {@code from}. */
  private boolean takenFrom(String id, String from) {
    io.cob.engine.event.InstanceEvent.OwnershipTaken last = null;
    for (var e : store.history(id)) {
      if (e.event() instanceof io.cob.engine.event.InstanceEvent.OwnershipTaken o) {
        last = o;
      }
    }
    return last != null && last.fromCloud().equals(from) && last.toCloud().equals(cloud);
  }

  @Override
  public void close() {
    shipper.close();
    receiver.close();
  }
}
