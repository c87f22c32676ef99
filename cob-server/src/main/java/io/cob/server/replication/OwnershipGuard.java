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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ownership lease of one node (DESIGN.md §7), arbitrated by the broker, never by cob.
 *
 * <p><b>As owner</b> (its cloud has standbys): the node holds its cloud's presence mark on the
 * broker ({@link Bus#holdPresence}), which the broker drops when the node's connection dies. Every
 * {@code confirmEvery} it asks the broker whether the mark is there; an answer counts from when the
 * question was sent. Without a confirmation for {@code fenceAfter} it is <i>fenced</i>: the engine
 * commits nothing on the cloud's instances ({@link #fenced()}). Before it claims the mark (at
 * start, after losing it) it looks for a take-over notice of its cloud: if a standby took the cloud
 * over, the node stays fenced until ownership is given back.
 *
 * <p><b>As standby</b> of other clouds: every {@code confirmEvery} it asks whether each such
 * cloud's mark is there. A cloud whose mark has been gone for {@code takeoverAfter} (longer than
 * {@code fenceAfter}, so its nodes have fenced themselves by then: they confirmed last before the
 * broker dropped the mark) is taken over by its first standby that is present: it leaves a
 * take-over notice, asks once more whether the mark is back (a node of the cloud claims the mark
 * before it looks for the notice, so one of the two sees the other), and then fails the cloud over.
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
  private final Map<String, List<String>> standbysOf;
  private final BusConfig.Ownership settings;
  private final BiFunction<String, String, Replication.FailoverResult> failover;
  private final Clock clock;
  private static final int LATE_SWEEP_ROUNDS = 10;
  private final Map<String, Long> absentSince = new ConcurrentHashMap<>();
  private long rounds;
  private final Set<String> takenOver = ConcurrentHashMap.newKeySet();
  private final Thread thread;
  private volatile boolean running = true;
  private volatile long confirmedAt = Long.MIN_VALUE;
  private volatile String takeover;
  private volatile Duration lastRecovery;
  private Subscription hold;

  /**
   * @param standbysOf every cloud's standbys, in order of preference
   * @param failover takes a cloud over to this node's cloud
   * @param clock for the dates of notices
   */
  public OwnershipGuard(
      Bus bus,
      String cloud,
      String nodeId,
      Map<String, List<String>> standbysOf,
      BusConfig.Ownership settings,
      BiFunction<String, String, Replication.FailoverResult> failover,
      Clock clock) {
    this.bus = bus;
    this.cloud = cloud;
    this.nodeId = nodeId;
    this.standbysOf = Map.copyOf(standbysOf);
    this.owner = !standbysOf.getOrDefault(cloud, List.of()).isEmpty();
    this.settings = settings;
    this.failover = failover;
    this.clock = clock;
    this.thread =
        Thread.ofPlatform().name("cob-ownership-" + nodeId).daemon(true).unstarted(this::run);
  }

  /** Whether this node has any part in fail-over: an owner with standbys, or a standby. */
  public static boolean needed(String cloud, Map<String, List<String>> standbysOf) {
    return standbysOf.entrySet().stream()
        .anyMatch(
            e -> e.getKey().equals(cloud) ? !e.getValue().isEmpty() : e.getValue().contains(cloud));
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
    if (!owner) {
      return null;
    }
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
          for (Map.Entry<String, List<String>> e : standbysOf.entrySet()) {
            if (!e.getKey().equals(cloud) && e.getValue().contains(cloud)) {
              watch(e.getKey(), e.getValue());
            }
          }
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
        Optional<byte[]> notice = bus.takeoverNotice(cloud);
        if (notice.isEmpty()) {
          hold = bus.holdPresence(cloud);
          // Claimed before looking again: a standby that posts its notice now sees the mark.
          notice = bus.takeoverNotice(cloud);
          if (notice.isPresent()) {
            hold.close();
            hold = null;
          }
        }
        if (notice.isPresent()) {
          String was = takeover;
          takeover = new String(notice.get(), StandardCharsets.UTF_8);
          if (was == null) {
            LOG.warn(
                "event=ownership_taken_over cloud={} node={} notice={}", cloud, nodeId, takeover);
          }
          return;
        }
        takeover = null;
        LOG.info("event=ownership_lease_held cloud={} node={}", cloud, nodeId);
      } else if (!bus.presence(cloud)) {
        release("the broker dropped the presence mark");
        return;
      } else if (owner && bus.takeoverNotice(cloud).isPresent()) {
        release("a standby took the cloud over (manual fail-over)");
        confirmedAt = Long.MIN_VALUE;
        return; // the next round reads the notice and stays fenced
      }
      confirmedAt = sent;
    } catch (BusException | UnsupportedOperationException e) {
      if (hold != null) {
        release(e.getMessage());
      }
    }
  }

  private void release(String why) {
    LOG.warn("event=ownership_lease_lost cloud={} node={} reason=\"{}\"", cloud, nodeId, why);
    try {
      hold.close();
    } finally {
      hold = null; // claimed anew, after a look for a take-over notice, whatever close did
    }
  }

  /** One look at a cloud this node's cloud is a standby of. */
  private void watch(String other, List<String> standbys) {
    try {
      if (bus.presence(other)) {
        absentSince.remove(other);
        return;
      }
      long now = System.nanoTime();
      long since = absentSince.computeIfAbsent(other, k -> now);
      if (takenOver.contains(other)) {
        // Replicas shipped just before the cloud died may arrive after the take-over.
        if (++rounds % LATE_SWEEP_ROUNDS != 0) {
          return;
        }
        Replication.FailoverResult late =
            failover.apply(other, "late replica of cloud '" + other + "', taken over before");
        if (late.instances() > 0) {
          LOG.warn(
              "event=failover_late_replicas from={} to={} instances={}",
              other,
              cloud,
              late.instances());
        }
        return;
      }
      if (now - since < settings.takeoverAfter().toNanos() || !firstPresentStandby(standbys)) {
        return;
      }
      String notice =
          "by cloud '%s' (node %s) at %s: no node of '%s' held its ownership lease for %d ms"
              .formatted(cloud, nodeId, clock.instant(), other, (now - since) / 1_000_000);
      bus.postTakeoverNotice(other, notice.getBytes(StandardCharsets.UTF_8));
      if (bus.presence(other)) {
        bus.clearTakeoverNotice(other);
        absentSince.remove(other);
        LOG.info("event=takeover_abandoned cloud={} by={} (it came back)", other, cloud);
        return;
      }
      takenOver.add(other);
      Replication.FailoverResult r =
          failover.apply(
              other,
              "automatic fail-over: no node of cloud '"
                  + other
                  + "' held its ownership lease for "
                  + (now - since) / 1_000_000
                  + " ms");
      lastRecovery = Duration.ofNanos(System.nanoTime() - since);
      LOG.warn(
          "event=automatic_failover from={} to={} instances={} refused={} absentMs={} recoveryMs={}",
          other,
          cloud,
          r.instances(),
          r.refused().size(),
          (now - since) / 1_000_000,
          lastRecovery.toMillis());
    } catch (BusException e) {
      // This node cannot ask the broker: it judges no other cloud now.
      absentSince.remove(other);
    }
  }

  /**
   * Takes {@code other} over by hand (planned maintenance, or a cloud known dead): leaves the
   * take-over notice, waits {@code fenceAfter} so that a node of {@code other} still running sees
   * it and fences itself, then fails the cloud over.
   *
   * @throws BusException when the notice cannot be left
   */
  public Replication.FailoverResult takeOver(String other, String reason) {
    String notice =
        "by cloud '%s' (node %s) at %s: %s".formatted(cloud, nodeId, clock.instant(), reason);
    bus.postTakeoverNotice(other, notice.getBytes(StandardCharsets.UTF_8));
    try {
      Thread.sleep(settings.fenceAfter().toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted before taking over " + other, e);
    }
    takenOver.add(other);
    return failover.apply(other, reason);
  }

  /**
   * After a fail-back of {@code other}: removes the take-over notice, so that its nodes claim their
   * lease again, and stops treating it as taken over.
   *
   * @throws BusException when the notice cannot be removed
   */
  public void failedBack(String other) {
    stopTakingOver(other);
    bus.clearTakeoverNotice(other);
  }

  /** Stops taking over late replicas of {@code other} (a fail-back to it begins). */
  public void stopTakingOver(String other) {
    takenOver.remove(other);
    absentSince.remove(other);
  }

  /** Whether this cloud is the first of {@code standbys} whose mark is on the broker. */
  private boolean firstPresentStandby(List<String> standbys) {
    for (String s : standbys) {
      if (s.equals(cloud)) {
        return true;
      }
      if (bus.presence(s)) {
        return false;
      }
    }
    return false;
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
