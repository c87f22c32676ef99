package io.cob.server.replication;

import io.cob.engine.port.OwnershipFence;
import io.cob.engine.port.bus.Bus;
import io.cob.engine.port.bus.BusException;
import io.cob.engine.port.bus.Subscription;
import io.cob.server.config.BusConfig;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ownership lease of one node (DESIGN.md §7), arbitrated by the broker, never by cob.
 *
 * <p><b>As owner</b> (its cloud has standbys): the node holds its cloud's presence mark on the
 * broker ({@link Bus#holdPresence}), which the broker drops when the node's connection dies. Every
 * {@code confirmEvery} it asks the broker whether the mark is there; an answer counts from when the
 * question was sent. Without a confirmation for {@code fenceAfter} it is <i>fenced</i>: the engine
 * commits nothing on the cloud's instances ({@link #fenced()}). Once it holds the mark it looks for
 * take-over notices of its cloud every round: while a standby's notice is there (it took the cloud,
 * or some of its instances, over), the node stays fenced, holding its mark, until ownership is
 * given back.
 *
 * <p><b>As standby</b> of other clouds: every {@code confirmEvery} it asks whether each other
 * cloud's mark is there. When a cloud's mark has been gone for {@code takeoverAfter} (longer than
 * {@code fenceAfter}, so its nodes have fenced themselves by then: they confirmed last before the
 * broker dropped the mark), each of its running instances is taken over by the first of the
 * instance's standbys that is present (the process's {@code cob:standby}, else the cloud's
 * configured standbys: {@link ReplicationPlan}). A cloud that finds such instances here leaves a
 * take-over notice of its own, asks once more whether the mark is back (a node of the cloud claims
 * the mark before it looks for notices, so one of the two sees the other), and then takes them
 * over. Each taker's notice is kept apart ({@link #noticeName}), so that the failed cloud stays
 * fenced until every cloud that took part of it has given it back.
 *
 * <p>A cloud without standbys of its own may still run instances of processes that name standbys:
 * those instances are fenced like a replicated cloud's ({@link #fenced(ProcessDefinition)}), the
 * others go on whatever the lease.
 *
 * <p>A commit that began just before the fence rose may still land; {@code takeoverAfter} minus
 * {@code fenceAfter} is the margin for it.
 *
 * <p>Thread-safe.
 */
public final class OwnershipGuard implements OwnershipFence, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(OwnershipGuard.class);

  private final Bus bus;
  private final String cloud;
  private final String nodeId;
  private final boolean owner;
  private final List<String> others;
  private final BusConfig.Ownership settings;
  private final Takeovers replication;
  private final Clock clock;
  private static final int LATE_SWEEP_ROUNDS = 10;
  private final Map<String, Long> absentSince = new ConcurrentHashMap<>();
  private final Map<String, Integer> looks = new ConcurrentHashMap<>();
  private final Set<String> takenOver = ConcurrentHashMap.newKeySet();
  private final Thread thread;
  private volatile boolean running = true;
  private volatile long confirmedAt = Long.MIN_VALUE;
  private volatile String takeover;
  private volatile Duration lastRecovery;
  private Subscription hold;

  /**
   * @param standbysOf every configured cloud with its configured standbys, in order of preference
   * @param replication takes instances of a cloud over to this node's cloud
   * @param clock for the dates of notices
   */
  public OwnershipGuard(
      Bus bus,
      String cloud,
      String nodeId,
      Map<String, List<String>> standbysOf,
      BusConfig.Ownership settings,
      Takeovers replication,
      Clock clock) {
    this.bus = bus;
    this.cloud = cloud;
    this.nodeId = nodeId;
    this.others = standbysOf.keySet().stream().filter(c -> !c.equals(cloud)).sorted().toList();
    this.owner = !standbysOf.getOrDefault(cloud, List.of()).isEmpty();
    this.settings = settings;
    this.replication = replication;
    this.clock = clock;
    this.thread =
        Thread.ofPlatform().name("cob-ownership-" + nodeId).daemon(true).unstarted(this::run);
  }

  /**
   * Whether this node may have a part in fail-over: wherever several clouds are configured, since
   * any process may name standbys of its own ({@code cob:standby}).
   */
  public static boolean needed(String cloud, Map<String, List<String>> standbysOf) {
    return standbysOf.keySet().stream().anyMatch(c -> !c.equals(cloud));
  }

  /**
   * The name under which {@code taker}'s notice that it took (instances of) {@code cloud} over is
   * kept on the broker: one per taker, each removed by its taker alone on fail-back.
   */
  static String noticeName(String cloud, String taker) {
    return cloud + "~" + taker;
  }

  /**
   * Claims the lease once now (so that a node starts unfenced when it can), then keeps it. A
   * standby holds its cloud's presence mark as well (it is fenced by nothing): a later standby of
   * the same cloud takes over only when the earlier ones are absent.
   */
  public OwnershipGuard start() {
    confirm();
    thread.start();
    return this;
  }

  @Override
  public String fenced() {
    return owner ? leaseProblem() : null;
  }

  @Override
  public String fenced(io.cob.model.ProcessDefinition process) {
    return owner || !process.standbys().isEmpty() ? leaseProblem() : null;
  }

  /** Why this node's lease does not allow a commit now, or {@code null}. */
  private String leaseProblem() {
    String t = takeover;
    if (t != null) {
      return "cloud '" + cloud + "' was taken over: " + t;
    }
    long at = confirmedAt;
    if (at == Long.MIN_VALUE) {
      return "the ownership lease of cloud '" + cloud + "' was never confirmed";
    }
    long since = System.nanoTime() - at;
    if (since > settings.fenceAfter().toNanos()) {
      return "the ownership lease of cloud '"
          + cloud
          + "' was last confirmed "
          + since / 1_000_000
          + " ms ago";
    }
    return null;
  }

  /** The clouds this node's cloud took over by itself, with when. */
  public Set<String> takenOver() {
    return Set.copyOf(takenOver);
  }

  /** From the first absence of a cloud's mark to the end of its take-over, the last time. */
  public Optional<Duration> lastRecovery() {
    return Optional.ofNullable(lastRecovery);
  }

  private void run() {
    while (running) {
      try {
        Thread.sleep(settings.confirmEvery().toMillis());
      } catch (InterruptedException e) {
        return;
      }
      try {
        confirm(); // a standby holds its presence too: standbys after it defer to it
        if (settings.auto()) {
          others.forEach(this::watch);
        }
      } catch (RuntimeException e) {
        // Whatever went wrong this round, the next one asks again: were this thread to end, an
        // owner would stay fenced for good and a standby would never take a cloud over.
        LOG.warn(
            "event=ownership_round_failed cloud={} node={} error=\"{}\"",
            cloud,
            nodeId,
            e.toString());
      }
    }
  }

  /** One confirmation of this node's own lease. */
  private synchronized void confirm() {
    long sent = System.nanoTime();
    try {
      if (hold == null) {
        hold = bus.holdPresence(cloud);
        LOG.info("event=ownership_lease_held cloud={} node={}", cloud, nodeId);
      } else if (!bus.presence(cloud)) {
        release("the broker dropped the presence mark");
        return;
      }
      // Looked for once the mark is held: a standby that posts its notice now either sees the
      // mark and gives up, or its notice is seen here.
      Optional<byte[]> notice = anyNotice();
      if (notice.isPresent()) {
        // Fenced, yet the mark stays held: a node that is alive and knows it was taken over must
        // not look dead, or a standby would take back what another cloud has just given back
        // while a second one still holds its part.
        String was = takeover;
        takeover = new String(notice.get(), StandardCharsets.UTF_8);
        if (was == null) {
          LOG.warn(
              "event=ownership_taken_over cloud={} node={} notice={}", cloud, nodeId, takeover);
        }
        return;
      }
      if (takeover != null) {
        LOG.info("event=ownership_given_back cloud={} node={}", cloud, nodeId);
        takeover = null;
      }
      confirmedAt = sent;
    } catch (BusException | UnsupportedOperationException e) {
      if (hold != null) {
        release(e.getMessage());
      }
    }
  }

  /** A notice of any cloud that took this node's cloud (or some of its instances) over. */
  private Optional<byte[]> anyNotice() {
    for (String other : others) {
      Optional<byte[]> n = bus.takeoverNotice(noticeName(cloud, other));
      if (n.isPresent()) {
        return n;
      }
    }
    return Optional.empty();
  }

  private void release(String why) {
    LOG.warn("event=ownership_lease_lost cloud={} node={} reason=\"{}\"", cloud, nodeId, why);
    try {
      hold.close();
    } finally {
      hold = null; // claimed anew, after a look for a take-over notice, whatever close did
    }
  }

  /**
   * One look at another cloud: whether its mark is there and, once it has been gone for {@code
   * takeoverAfter}, taking over the instances that are this cloud's to take. Looked at again only
   * every few rounds after that: replicas shipped just before the cloud died may arrive after the
   * take-over, and a standby preferred to this one may vanish too.
   */
  private void watch(String other) {
    try {
      if (bus.presence(other)) {
        absentSince.remove(other);
        looks.remove(other);
        return;
      }
      long now = System.nanoTime();
      long since = absentSince.computeIfAbsent(other, k -> now);
      if (now - since < settings.takeoverAfter().toNanos()) {
        return;
      }
      int look = looks.merge(other, 1, Integer::sum);
      if (look > 1 && look % LATE_SWEEP_ROUNDS != 0) {
        return;
      }
      Map<String, Boolean> asked = new HashMap<>();
      Predicate<String> present = c -> !c.equals(other) && asked.computeIfAbsent(c, bus::presence);
      if (!replication.hasTakeoverCandidates(other, present)) {
        return; // nothing of it here is this cloud's to take (now)
      }
      boolean first = !takenOver.contains(other);
      if (first) {
        String notice =
            "by cloud '%s' (node %s) at %s: no node of '%s' held its ownership lease for %d ms"
                .formatted(cloud, nodeId, clock.instant(), other, (now - since) / 1_000_000);
        bus.postTakeoverNotice(noticeName(other, cloud), notice.getBytes(StandardCharsets.UTF_8));
        if (bus.presence(other)) {
          bus.clearTakeoverNotice(noticeName(other, cloud));
          absentSince.remove(other);
          looks.remove(other);
          LOG.info("event=takeover_abandoned cloud={} by={} (it came back)", other, cloud);
          return;
        }
        takenOver.add(other);
      }
      Replication.FailoverResult r =
          replication.failover(
              other,
              first
                  ? "automatic fail-over: no node of cloud '"
                      + other
                      + "' held its ownership lease for "
                      + (now - since) / 1_000_000
                      + " ms"
                  : "late replica of cloud '" + other + "', taken over before",
              present);
      if (first) {
        lastRecovery = Duration.ofNanos(System.nanoTime() - since);
        LOG.warn(
            "event=automatic_failover from={} to={} instances={} refused={} absentMs={} recoveryMs={}",
            other,
            cloud,
            r.instances(),
            r.refused().size(),
            (now - since) / 1_000_000,
            lastRecovery.toMillis());
      } else if (r.instances() > 0) {
        LOG.warn(
            "event=failover_late_replicas from={} to={} instances={}", other, cloud, r.instances());
      }
    } catch (BusException e) {
      // This node cannot ask the broker: it judges no other cloud now.
      absentSince.remove(other);
      looks.remove(other);
    }
  }

  /**
   * Takes {@code other} over by hand (planned maintenance, or a cloud known dead): leaves the
   * take-over notice, waits {@code fenceAfter} so that a node of {@code other} still running sees
   * it and fences itself, then fails the cloud over.
   *
   * <p>When data residency keeps every running instance of {@code other} held here from this cloud,
   * it leaves no notice and takes nothing: the notice would fence {@code other} while no instance
   * could go on here, stranding them all until a fail-back. The answer lists them as refused.
   *
   * @throws BusException when the notice cannot be left
   */
  public Replication.FailoverResult takeOver(String other, String reason) {
    Replication.FailoverResult before = replication.preview(other);
    if (before.instances() == 0 && !before.refused().isEmpty()) {
      LOG.warn(
          "event=takeover_refused cloud={} by={} refused={} reason=\"every running instance is"
              + " resident outside this cloud's jurisdiction\"",
          other,
          cloud,
          before.refused().size());
      return before;
    }
    String notice =
        "by cloud '%s' (node %s) at %s: %s".formatted(cloud, nodeId, clock.instant(), reason);
    bus.postTakeoverNotice(noticeName(other, cloud), notice.getBytes(StandardCharsets.UTF_8));
    try {
      Thread.sleep(settings.fenceAfter().toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted before taking over " + other, e);
    }
    takenOver.add(other);
    return replication.failover(other, reason);
  }

  /**
   * After a fail-back of {@code other}: removes the take-over notice, so that its nodes claim their
   * lease again, and stops treating it as taken over.
   *
   * @throws BusException when the notice cannot be removed
   */
  public void failedBack(String other) {
    stopTakingOver(other);
    bus.clearTakeoverNotice(noticeName(other, cloud));
  }

  /** Stops taking over late replicas of {@code other} (a fail-back to it begins). */
  public void stopTakingOver(String other) {
    takenOver.remove(other);
    absentSince.remove(other);
    looks.remove(other);
  }

  @Override
  public synchronized void close() {
    running = false;
    thread.interrupt();
    if (hold != null) {
      hold.close();
      hold = null;
    }
  }

  /** Every configured cloud's standbys. */
  public static Map<String, List<String>> standbys(
      Map<String, io.cob.server.config.CloudConfig> clouds) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    clouds.forEach((name, c) -> out.put(name, new ArrayList<>(c.standby())));
    return out;
  }
}
