package io.cob.server.config;

import io.cob.bus.BusKeys;
import io.cob.bus.BusUrl;
import io.cob.bus.SignedBus;
import io.cob.bus.amqp.AmqpAddress;
import io.cob.bus.amqp.AmqpSettings;
import io.cob.bus.topology.TopologySettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The {@code bus} section of {@code cob.yaml}, as read: how this node joins the bus between clouds.
 * Immutable; values are checked by {@link ConfigLoader#validate} (and turned into the settings of
 * {@code cob-bus} by the accessors below, which throw {@link IllegalArgumentException} naming the
 * key for a value that makes no sense).
 *
 * @param url {@code memory:}, {@code memory:NAME} or {@code
 *     amqp[s]://user:password@host:port/vhost} ({@code bus.url}, default {@code memory:})
 * @param amqp RabbitMQ settings by name ({@code bus.amqp.*}: namespace, queueType, maxDeliveries,
 *     prefetch, confirmTimeout, recoveryInterval, heartbeat, connectTimeout, connectionName), as
 *     text; query options of an {@code amqp://} URL override them
 * @param keys the envelope keys, pair {@code "a|b"} to base64 ({@code bus.keys}), already resolved
 *     from {@code {env: VAR}} / {@code {file: PATH}}; never shown by {@link #toString()}
 * @param signingMaxAge the oldest envelope accepted ({@code bus.signing.maxAge}, default 24 h)
 * @param signingClockSkew how far in the future an envelope may be dated ({@code
 *     bus.signing.clockSkew}, default 1 min)
 * @param signingReplayGuardSize message ids remembered per subscription against replays ({@code
 *     bus.signing.replayGuardSize}, default 100,000; 0 turns it off)
 * @param heartbeatInterval how often this node announces itself ({@code bus.heartbeat.interval},
 *     default 2 s)
 * @param heartbeatSuspectAfter missed intervals before a cloud is SUSPECT ({@code
 *     bus.heartbeat.suspectAfter}, default 3)
 * @param heartbeatDownAfter missed intervals before a cloud is DOWN ({@code
 *     bus.heartbeat.downAfter}, default 10)
 * @param connectAttempts how often the first connection to the broker is tried before the node
 *     gives up starting ({@code bus.connect.attempts}, default 5)
 * @param connectInterval the wait between those attempts ({@code bus.connect.interval}, default 2
 *     s)
 * @param healthGrace how long the broker connection may be lost before {@code /health} reports the
 *     node DOWN ({@code bus.healthGrace}, default 30 s)
 * @param ownership the ownership lease of this node's cloud and the take-over of clouds it is a
 *     standby of ({@code bus.ownership.*})
 * @param jobs how jobs travel between clouds ({@code bus.dispatchLease}, {@code bus.consumers},
 *     {@code bus.remoteJobs})
 */
public record BusConfig(
    String url,
    Map<String, String> amqp,
    Map<String, String> keys,
    Duration signingMaxAge,
    Duration signingClockSkew,
    int signingReplayGuardSize,
    Duration heartbeatInterval,
    int heartbeatSuspectAfter,
    int heartbeatDownAfter,
    int connectAttempts,
    Duration connectInterval,
    Duration healthGrace,
    CrossCloudJobs jobs,
    Ownership ownership) {

  /**
   * The ownership lease of a cloud (DESIGN.md §7), arbitrated by the broker: a node of a cloud with
   * standbys confirms every {@code confirmEvery} that its presence mark is on the broker, and
   * fences itself (commits nothing on its cloud's instances) when it has not confirmed for {@code
   * fenceAfter}; its first standby takes the cloud over when the mark has been gone for {@code
   * takeoverAfter}, which must exceed {@code fenceAfter} so that the owner has fenced itself by
   * then ({@code bus.ownership.*}).
   *
   * @param auto whether standbys take over by themselves (else only {@code POST
   *     /clouds/{name}/failover} does)
   */
  public record Ownership(
      Duration confirmEvery, Duration fenceAfter, Duration takeoverAfter, boolean auto) {
    public static final Ownership DEFAULTS =
        new Ownership(Duration.ofMillis(500), Duration.ofSeconds(2), Duration.ofSeconds(3), true);

    /** {@code null} keeps a value. */
    public Ownership with(Duration confirm, Duration fence, Duration takeover, Boolean automatic) {
      return new Ownership(
          confirm != null ? confirm : confirmEvery,
          fence != null ? fence : fenceAfter,
          takeover != null ? takeover : takeoverAfter,
          automatic != null ? automatic : auto);
    }
  }

  /**
   * How jobs travel between clouds.
   *
   * @param dispatchLease how long a job sent to another cloud stays held for that cloud's outcome
   *     before it is sent again with the same idempotency key ({@code bus.dispatchLease}, default 5
   *     min); also how long a node remembers where to send a late answer of an awaited job
   * @param consumers subscriptions this node opens on its own cloud's queue, that is envelopes it
   *     handles at once ({@code bus.consumers}, default 4)
   * @param remoteJobs jobs of other clouds this node runs at once; when all run, the node takes no
   *     further envelope from the queue until one ends ({@code bus.remoteJobs}, default 64)
   */
  public record CrossCloudJobs(Duration dispatchLease, int consumers, int remoteJobs) {
    public static final CrossCloudJobs DEFAULTS = new CrossCloudJobs(Duration.ofMinutes(5), 4, 64);

    /** {@code null} keeps a value. */
    public CrossCloudJobs with(Duration lease, Integer consumerCount, Integer jobs) {
      return new CrossCloudJobs(
          lease != null ? lease : dispatchLease,
          consumerCount != null ? consumerCount : consumers,
          jobs != null ? jobs : remoteJobs);
    }
  }

  public static final int DEFAULT_CONNECT_ATTEMPTS = 5;
  public static final Duration DEFAULT_CONNECT_INTERVAL = Duration.ofSeconds(2);
  public static final Duration DEFAULT_HEALTH_GRACE = Duration.ofSeconds(30);

  public BusConfig {
    amqp = Collections.unmodifiableMap(new LinkedHashMap<>(amqp));
    keys = Collections.unmodifiableMap(new LinkedHashMap<>(keys));
  }

  /** The defaults: the in-process memory bus, keys generated in the JVM. */
  public static BusConfig defaults() {
    SignedBus.Settings s = SignedBus.Settings.DEFAULTS;
    TopologySettings h = TopologySettings.DEFAULTS;
    return new BusConfig(
        NodeConfig.DEFAULT_BUS_URL,
        Map.of(),
        Map.of(),
        s.maxAge(),
        s.clockSkew(),
        s.replayGuardSize(),
        h.interval(),
        h.suspectAfter(),
        h.downAfter(),
        DEFAULT_CONNECT_ATTEMPTS,
        DEFAULT_CONNECT_INTERVAL,
        DEFAULT_HEALTH_GRACE,
        CrossCloudJobs.DEFAULTS,
        Ownership.DEFAULTS);
  }

  /** {@code bus.url}, parsed. */
  public BusUrl transport() {
    return BusUrl.parse(url);
  }

  /** {@code bus.amqp.*} with the URL's query options over them. */
  public AmqpSettings amqpSettings(AmqpAddress address) {
    Map<String, String> merged = new LinkedHashMap<>(amqp);
    merged.putAll(address.options());
    return AmqpSettings.parse(merged);
  }

  /** {@code bus.keys}, parsed. */
  public BusKeys busKeys() {
    return BusKeys.parse(keys);
  }

  /** {@code bus.signing.*}. */
  public SignedBus.Settings signing() {
    return new SignedBus.Settings(signingMaxAge, signingClockSkew, signingReplayGuardSize);
  }

  /** {@code bus.heartbeat.*}. */
  public TopologySettings heartbeat() {
    return new TopologySettings(heartbeatInterval, heartbeatSuspectAfter, heartbeatDownAfter);
  }

  /**
   * The pairs {@code bus.keys} must hold for a node of {@code cloud} that talks to {@code clouds}
   * (its own cloud with each of them and with itself, for its cloud's other nodes) but does not, in
   * canonical form ({@code a|b}, {@code a <= b}).
   *
   * @throws IllegalArgumentException when {@code bus.keys} itself is malformed
   */
  public List<String> missingKeyPairs(String cloud, Collection<String> clouds) {
    BusKeys parsed = busKeys();
    Set<String> peers = new TreeSet<>(clouds);
    peers.add(cloud);
    List<String> missing = new ArrayList<>();
    for (String peer : peers) {
      if (parsed.key(cloud, peer).isEmpty()) {
        missing.add(cloud.compareTo(peer) <= 0 ? cloud + "|" + peer : peer + "|" + cloud);
      }
    }
    return missing;
  }

  /**
   * Refuses an {@code amqp://} bus without the keys of this node's cloud pairs.
   *
   * @throws ConfigException naming the missing {@code bus.keys} entries and how to make them
   */
  public void requireKeys(String cloud, Collection<String> clouds) {
    List<String> missing;
    try {
      missing = missingKeyPairs(cloud, clouds);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage(), e);
    }
    if (!missing.isEmpty()) {
      throw new ConfigException(
          "bus.keys has no key for "
              + String.join(", ", missing.stream().map(p -> "'" + p + "'").toList())
              + ": on an amqp:// bus every envelope between clouds is signed, and node.cloud '"
              + cloud
              + "' needs a key shared with each configured cloud and with itself. Add one per"
              + " pair (32 random bytes in base64: openssl rand -base64 32), the same on every"
              + " node of both clouds, under bus.keys in cob.yaml (a value, {env: VAR} or {file:"
              + " PATH}) or as COB_BUS_KEYS");
    }
  }

  public BusConfig withUrl(String value) {
    return new BusConfig(
        value,
        amqp,
        keys,
        signingMaxAge,
        signingClockSkew,
        signingReplayGuardSize,
        heartbeatInterval,
        heartbeatSuspectAfter,
        heartbeatDownAfter,
        connectAttempts,
        connectInterval,
        healthGrace,
        jobs,
        ownership);
  }

  /** These {@code bus.amqp.*} settings added, replacing any of the same name. */
  public BusConfig withAmqp(Map<String, String> more) {
    Map<String, String> merged = new LinkedHashMap<>(amqp);
    merged.putAll(more);
    return new BusConfig(
        url,
        merged,
        keys,
        signingMaxAge,
        signingClockSkew,
        signingReplayGuardSize,
        heartbeatInterval,
        heartbeatSuspectAfter,
        heartbeatDownAfter,
        connectAttempts,
        connectInterval,
        healthGrace,
        jobs,
        ownership);
  }

  /** These keys added, replacing any of the same pair name. */
  public BusConfig withKeys(Map<String, String> more) {
    Map<String, String> merged = new LinkedHashMap<>(keys);
    merged.putAll(more);
    return new BusConfig(
        url,
        amqp,
        merged,
        signingMaxAge,
        signingClockSkew,
        signingReplayGuardSize,
        heartbeatInterval,
        heartbeatSuspectAfter,
        heartbeatDownAfter,
        connectAttempts,
        connectInterval,
        healthGrace,
        jobs,
        ownership);
  }

  /** {@code bus.signing.*}; {@code null} keeps a value. */
  public BusConfig withSigning(Duration maxAge, Duration clockSkew, Integer replayGuardSize) {
    return new BusConfig(
        url,
        amqp,
        keys,
        maxAge != null ? maxAge : signingMaxAge,
        clockSkew != null ? clockSkew : signingClockSkew,
        replayGuardSize != null ? replayGuardSize : signingReplayGuardSize,
        heartbeatInterval,
        heartbeatSuspectAfter,
        heartbeatDownAfter,
        connectAttempts,
        connectInterval,
        healthGrace,
        jobs,
        ownership);
  }

  /** {@code bus.heartbeat.*}; {@code null} keeps a value. */
  public BusConfig withHeartbeat(Duration interval, Integer suspectAfter, Integer downAfter) {
    return new BusConfig(
        url,
        amqp,
        keys,
        signingMaxAge,
        signingClockSkew,
        signingReplayGuardSize,
        interval != null ? interval : heartbeatInterval,
        suspectAfter != null ? suspectAfter : heartbeatSuspectAfter,
        downAfter != null ? downAfter : heartbeatDownAfter,
        connectAttempts,
        connectInterval,
        healthGrace,
        jobs,
        ownership);
  }

  /** {@code bus.connect.*} and {@code bus.healthGrace}; {@code null} keeps a value. */
  public BusConfig withConnection(Integer attempts, Duration interval, Duration grace) {
    return new BusConfig(
        url,
        amqp,
        keys,
        signingMaxAge,
        signingClockSkew,
        signingReplayGuardSize,
        heartbeatInterval,
        heartbeatSuspectAfter,
        heartbeatDownAfter,
        attempts != null ? attempts : connectAttempts,
        interval != null ? interval : connectInterval,
        grace != null ? grace : healthGrace,
        jobs,
        ownership);
  }

  /**
   * {@code bus.dispatchLease}, {@code bus.consumers}, {@code bus.remoteJobs}; {@code null} keeps a
   * value.
   */
  public BusConfig withJobs(Duration dispatchLease, Integer consumers, Integer remoteJobs) {
    return new BusConfig(
        url,
        amqp,
        keys,
        signingMaxAge,
        signingClockSkew,
        signingReplayGuardSize,
        heartbeatInterval,
        heartbeatSuspectAfter,
        heartbeatDownAfter,
        connectAttempts,
        connectInterval,
        healthGrace,
        jobs.with(dispatchLease, consumers, remoteJobs),
        ownership);
  }

  /** {@code bus.ownership.*}; {@code null} keeps a value. */
  public BusConfig withOwnership(
      Duration confirmEvery, Duration fenceAfter, Duration takeoverAfter, Boolean auto) {
    return new BusConfig(
        url,
        amqp,
        keys,
        signingMaxAge,
        signingClockSkew,
        signingReplayGuardSize,
        heartbeatInterval,
        heartbeatSuspectAfter,
        heartbeatDownAfter,
        connectAttempts,
        connectInterval,
        healthGrace,
        jobs,
        ownership.with(confirmEvery, fenceAfter, takeoverAfter, auto));
  }

  /** The keys are not shown, only their pairs; the URL without its password. */
  @Override
  public String toString() {
    return "BusConfig[url=%s, amqp=%s, keys=%s, signing=%s/%s/%d, heartbeat=%s/%d/%d, connect=%d/%s, healthGrace=%s, jobs=%s, ownership=%s]"
        .formatted(
            url == null ? null : url.replaceFirst("(://[^:/@]*:)[^@]*@", "$1***@"),
            amqp,
            keys.keySet(),
            signingMaxAge,
            signingClockSkew,
            signingReplayGuardSize,
            heartbeatInterval,
            heartbeatSuspectAfter,
            heartbeatDownAfter,
            connectAttempts,
            connectInterval,
            healthGrace,
            jobs,
            ownership,
            ownership);
  }
}
