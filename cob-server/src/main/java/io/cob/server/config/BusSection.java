package io.cob.server.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cob.bus.BusUrl;
import io.cob.bus.amqp.AmqpSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * Reads the {@code bus} section of {@code cob.yaml} and its {@code COB_BUS_…} environment overrides
 * into a {@link BusConfig}, and checks it. Every error names the key (and the variable, for the
 * environment); key material never appears in a message.
 *
 * <p>Environment variables: {@code COB_BUS_URL}; {@code COB_BUS_AMQP_<NAME>} for {@code
 * bus.amqp.<name>} ({@code COB_BUS_AMQP_QUEUE_TYPE} is {@code queueType}); {@code COB_BUS_KEYS},
 * the whole keys mapping as YAML or JSON (pair names hold {@code |}, which no variable name can),
 * with the same value forms as in the file ({@code {env: VAR}}, {@code {file: PATH}}); {@code
 * COB_BUS_SIGNING_MAX_AGE}, {@code COB_BUS_SIGNING_CLOCK_SKEW}, {@code
 * COB_BUS_SIGNING_REPLAY_GUARD_SIZE}, {@code COB_BUS_HEARTBEAT_INTERVAL}, {@code
 * COB_BUS_HEARTBEAT_SUSPECT_AFTER}, {@code COB_BUS_HEARTBEAT_DOWN_AFTER}, {@code
 * COB_BUS_CONNECT_ATTEMPTS}, {@code COB_BUS_CONNECT_INTERVAL}, {@code COB_BUS_HEALTH_GRACE}, {@code
 * COB_BUS_DISPATCH_LEASE}, {@code COB_BUS_CONSUMERS}, {@code COB_BUS_REMOTE_JOBS}. Any other {@code
 * COB_BUS_…} variable is an error, so that a misspelt one is not silently ignored.
 */
final class BusSection {
  private static final String AMQP_PREFIX = "COB_BUS_AMQP_";
  private static final Map<String, String> VARIABLES =
      Map.ofEntries(
          Map.entry("COB_BUS_URL", "bus.url"),
          Map.entry("COB_BUS_KEYS", "bus.keys"),
          Map.entry("COB_BUS_SIGNING_MAX_AGE", "bus.signing.maxAge"),
          Map.entry("COB_BUS_SIGNING_CLOCK_SKEW", "bus.signing.clockSkew"),
          Map.entry("COB_BUS_SIGNING_REPLAY_GUARD_SIZE", "bus.signing.replayGuardSize"),
          Map.entry("COB_BUS_HEARTBEAT_INTERVAL", "bus.heartbeat.interval"),
          Map.entry("COB_BUS_HEARTBEAT_SUSPECT_AFTER", "bus.heartbeat.suspectAfter"),
          Map.entry("COB_BUS_HEARTBEAT_DOWN_AFTER", "bus.heartbeat.downAfter"),
          Map.entry("COB_BUS_CONNECT_ATTEMPTS", "bus.connect.attempts"),
          Map.entry("COB_BUS_CONNECT_INTERVAL", "bus.connect.interval"),
          Map.entry("COB_BUS_HEALTH_GRACE", "bus.healthGrace"),
          Map.entry("COB_BUS_DISPATCH_LEASE", "bus.dispatchLease"),
          Map.entry("COB_BUS_CONSUMERS", "bus.consumers"),
          Map.entry("COB_BUS_REMOTE_JOBS", "bus.remoteJobs"),
          Map.entry("COB_BUS_OWNERSHIP_CONFIRM_EVERY", "bus.ownership.confirmEvery"),
          Map.entry("COB_BUS_OWNERSHIP_FENCE_AFTER", "bus.ownership.fenceAfter"),
          Map.entry("COB_BUS_OWNERSHIP_TAKEOVER_AFTER", "bus.ownership.takeoverAfter"),
          Map.entry("COB_BUS_OWNERSHIP_AUTO", "bus.ownership.auto"));

  private BusSection() {}

  // The shape of the bus section; Jackson rejects every key not declared here.
  record File(
      String url,
      LinkedHashMap<String, Object> amqp,
      LinkedHashMap<String, Object> keys,
      Signing signing,
      Heartbeat heartbeat,
      Connect connect,
      String healthGrace,
      String dispatchLease,
      Integer consumers,
      Integer remoteJobs,
      OwnershipFile ownership) {}

  record OwnershipFile(
      String confirmEvery, String fenceAfter, String takeoverAfter, Boolean auto) {}

  record Signing(String maxAge, String clockSkew, Integer replayGuardSize) {}

  record Heartbeat(String interval, Integer suspectAfter, Integer downAfter) {}

  record Connect(Integer attempts, String interval) {}

  /** The file's {@code bus} section over {@code b}; key files are relative to {@code baseDir}. */
  static BusConfig fromFile(File f, BusConfig b, Path baseDir, Map<String, String> env) {
    if (f.url() != null) {
      b = b.withUrl(f.url());
    }
    if (f.amqp() != null) {
      Map<String, String> amqp = new LinkedHashMap<>();
      f.amqp().forEach((k, v) -> amqp.put(k, scalar("bus.amqp." + k, v)));
      b = b.withAmqp(amqp);
    }
    if (f.keys() != null) {
      b = b.withKeys(keys(f.keys(), baseDir, env));
    }
    Signing s = f.signing();
    if (s != null) {
      b =
          b.withSigning(
              duration("bus.signing.maxAge", s.maxAge()),
              duration("bus.signing.clockSkew", s.clockSkew()),
              s.replayGuardSize());
    }
    Heartbeat h = f.heartbeat();
    if (h != null) {
      b =
          b.withHeartbeat(
              duration("bus.heartbeat.interval", h.interval()), h.suspectAfter(), h.downAfter());
    }
    Connect c = f.connect();
    b =
        b.withConnection(
            c == null ? null : c.attempts(),
            c == null ? null : duration("bus.connect.interval", c.interval()),
            duration("bus.healthGrace", f.healthGrace()));
    OwnershipFile o = f.ownership();
    if (o != null) {
      b =
          b.withOwnership(
              duration("bus.ownership.confirmEvery", o.confirmEvery()),
              duration("bus.ownership.fenceAfter", o.fenceAfter()),
              duration("bus.ownership.takeoverAfter", o.takeoverAfter()),
              o.auto());
    }
    return b.withJobs(
        duration("bus.dispatchLease", f.dispatchLease()), f.consumers(), f.remoteJobs());
  }

  /** The {@code COB_BUS_…} variables over {@code b}. */
  static BusConfig fromEnvironment(Map<String, String> env, BusConfig b, ObjectMapper yaml) {
    Map<String, String> amqp = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : env.entrySet()) {
      String name = e.getKey();
      if (name.startsWith(AMQP_PREFIX) && name.length() > AMQP_PREFIX.length()) {
        amqp.put(camel(name.substring(AMQP_PREFIX.length())), e.getValue());
      } else if (name.startsWith("COB_BUS_") && !VARIABLES.containsKey(name)) {
        throw new ConfigException(
            name
                + " is not a bus setting; known: "
                + new TreeSet<>(VARIABLES.keySet())
                + " and COB_BUS_AMQP_<NAME>");
      }
    }
    b = b.withAmqp(amqp);
    String v;
    if ((v = env.get("COB_BUS_URL")) != null) {
      b = b.withUrl(v);
    }
    if ((v = env.get("COB_BUS_KEYS")) != null) {
      LinkedHashMap<String, Object> raw;
      try {
        raw = yaml.readValue(v, new TypeReference<LinkedHashMap<String, Object>>() {});
      } catch (JsonProcessingException e) {
        throw new ConfigException(
            "COB_BUS_KEYS (bus.keys) must be a mapping of 'cloud|cloud' to a key, as YAML or"
                + " JSON: "
                + e.getOriginalMessage(),
            e);
      }
      b = b.withKeys(keys(raw == null ? new LinkedHashMap<>() : raw, null, env));
    }
    b =
        b.withSigning(
            envDuration(env, "COB_BUS_SIGNING_MAX_AGE"),
            envDuration(env, "COB_BUS_SIGNING_CLOCK_SKEW"),
            envInteger(env, "COB_BUS_SIGNING_REPLAY_GUARD_SIZE"));
    b =
        b.withHeartbeat(
            envDuration(env, "COB_BUS_HEARTBEAT_INTERVAL"),
            envInteger(env, "COB_BUS_HEARTBEAT_SUSPECT_AFTER"),
            envInteger(env, "COB_BUS_HEARTBEAT_DOWN_AFTER"));
    b =
        b.withConnection(
            envInteger(env, "COB_BUS_CONNECT_ATTEMPTS"),
            envDuration(env, "COB_BUS_CONNECT_INTERVAL"),
            envDuration(env, "COB_BUS_HEALTH_GRACE"));
    String auto = env.get("COB_BUS_OWNERSHIP_AUTO");
    if (auto != null && !auto.strip().matches("(?i)true|false")) {
      throw new ConfigException(
          "COB_BUS_OWNERSHIP_AUTO (bus.ownership.auto) must be true or false, not '" + auto + "'");
    }
    b =
        b.withOwnership(
            envDuration(env, "COB_BUS_OWNERSHIP_CONFIRM_EVERY"),
            envDuration(env, "COB_BUS_OWNERSHIP_FENCE_AFTER"),
            envDuration(env, "COB_BUS_OWNERSHIP_TAKEOVER_AFTER"),
            auto == null ? null : Boolean.valueOf(auto.strip()));
    return b.withJobs(
        envDuration(env, "COB_BUS_DISPATCH_LEASE"),
        envInteger(env, "COB_BUS_CONSUMERS"),
        envInteger(env, "COB_BUS_REMOTE_JOBS"));
  }

  /**
   * Checks the bus settings of a node, including that an {@code amqp://} bus has a key for every
   * pair of this node's cloud with the configured clouds: an unsigned bus between clouds is not
   * allowed.
   *
   * @throws ConfigException naming the key
   */
  static void validate(NodeConfig c) {
    BusConfig b = c.bus();
    BusUrl transport;
    try {
      transport = b.transport();
      if (transport instanceof BusUrl.Amqp amqp) {
        b.amqpSettings(amqp.address());
      } else {
        AmqpSettings.parse(b.amqp());
      }
      b.signing();
      b.heartbeat();
      b.busKeys();
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage(), e);
    }
    if (b.connectAttempts() < 1) {
      throw new ConfigException(
          "bus.connect.attempts must be at least 1, not " + b.connectAttempts());
    }
    if (b.connectInterval().isNegative()) {
      throw new ConfigException(
          "bus.connect.interval must not be negative, not " + b.connectInterval());
    }
    if (b.healthGrace().isNegative()) {
      throw new ConfigException("bus.healthGrace must not be negative, not " + b.healthGrace());
    }
    BusConfig.CrossCloudJobs jobs = b.jobs();
    if (jobs.dispatchLease().isNegative() || jobs.dispatchLease().isZero()) {
      throw new ConfigException(
          "bus.dispatchLease must be a positive duration, not " + jobs.dispatchLease());
    }
    if (jobs.consumers() < 1 || jobs.consumers() > 64) {
      throw new ConfigException("bus.consumers must be between 1 and 64, not " + jobs.consumers());
    }
    if (jobs.remoteJobs() < 1) {
      throw new ConfigException("bus.remoteJobs must be at least 1, not " + jobs.remoteJobs());
    }
    BusConfig.Ownership o = b.ownership();
    for (var e :
        Map.of(
                "confirmEvery", o.confirmEvery(),
                "fenceAfter", o.fenceAfter(),
                "takeoverAfter", o.takeoverAfter())
            .entrySet()) {
      if (e.getValue().isNegative() || e.getValue().isZero()) {
        throw new ConfigException(
            "bus.ownership." + e.getKey() + " must be a positive duration, not " + e.getValue());
      }
    }
    if (o.fenceAfter().compareTo(o.confirmEvery()) <= 0) {
      throw new ConfigException(
          "bus.ownership.fenceAfter (%s) must be longer than bus.ownership.confirmEvery (%s): a node would fence itself between two confirmations"
              .formatted(o.fenceAfter(), o.confirmEvery()));
    }
    if (o.takeoverAfter().compareTo(o.fenceAfter()) <= 0) {
      throw new ConfigException(
          "bus.ownership.takeoverAfter (%s) must be longer than bus.ownership.fenceAfter (%s): a standby could take a cloud over before its owner has fenced itself"
              .formatted(o.takeoverAfter(), o.fenceAfter()));
    }
    if (transport instanceof BusUrl.Amqp) {
      b.requireKeys(c.cloud(), c.clouds().keySet());
    }
  }

  private static Map<String, String> keys(
      Map<String, Object> raw, Path baseDir, Map<String, String> env) {
    Map<String, String> out = new LinkedHashMap<>();
    raw.forEach(
        (pair, source) ->
            out.put(pair, SecretSources.value("bus.keys '" + pair + "'", source, baseDir, env)));
    return out;
  }

  private static String scalar(String key, Object value) {
    if (value instanceof String || value instanceof Number || value instanceof Boolean) {
      return String.valueOf(value);
    }
    throw new ConfigException(
        key + " must be a single value, not " + (value == null ? "empty" : "a list or mapping"));
  }

  private static Duration duration(String key, String value) {
    if (value == null) {
      return null;
    }
    try {
      return Duration.parse(value.strip());
    } catch (DateTimeParseException e) {
      throw new ConfigException(
          key + " must be an ISO-8601 duration such as PT2S, not '" + value + "'");
    }
  }

  private static Duration envDuration(Map<String, String> env, String variable) {
    String value = env.get(variable);
    return value == null ? null : duration(variable + " (" + VARIABLES.get(variable) + ")", value);
  }

  private static Integer envInteger(Map<String, String> env, String variable) {
    String value = env.get(variable);
    if (value == null) {
      return null;
    }
    try {
      return Integer.parseInt(value.strip());
    } catch (NumberFormatException e) {
      throw new ConfigException(
          variable
              + " ("
              + VARIABLES.get(variable)
              + ") must be a whole number, not '"
              + value
              + "'");
    }
  }

  /** {@code QUEUE_TYPE} is {@code queueType}. */
  static String camel(String snake) {
    StringBuilder out = new StringBuilder();
    boolean upper = false;
    for (char ch : snake.toLowerCase(Locale.ROOT).toCharArray()) {
      if (ch == '_') {
        upper = out.length() > 0;
      } else {
        out.append(upper ? Character.toUpperCase(ch) : ch);
        upper = false;
      }
    }
    return out.toString();
  }
}
