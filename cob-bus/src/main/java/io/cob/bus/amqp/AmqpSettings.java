package io.cob.bus.amqp;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * How an {@link AmqpBus} uses RabbitMQ: {@code bus.amqp.*} in {@code cob.yaml}, or query options of
 * {@code bus.url}.
 *
 * @param namespace prefix of every exchange and queue name ({@code namespace}, default empty), so
 *     that several installations or test runs can share a vhost
 * @param queueType {@code quorum} (default; replicated, counts deliveries, RabbitMQ 3.8+) or {@code
 *     classic} (durable classic queues for brokers without quorum queues)
 * @param maxDeliveries failed deliveries after which an envelope is dead-lettered ({@code
 *     maxDeliveries}, default 5)
 * @param prefetch unacknowledged envelopes per subscription ({@code prefetch}, default 32)
 * @param confirmTimeout longest wait for a publisher confirm ({@code confirmTimeout}, default 10 s)
 * @param recoveryInterval wait between reconnection attempts ({@code recoveryInterval}, default 2
 *     s)
 * @param heartbeat AMQP heartbeat, which detects a dead TCP connection ({@code heartbeat}, default
 *     10 s)
 * @param connectTimeout TCP connect and handshake timeout ({@code connectTimeout}, default 10 s)
 * @param connectionName the name the broker shows for the connection ({@code connectionName},
 *     default {@code cob})
 */
public record AmqpSettings(
    String namespace,
    QueueType queueType,
    int maxDeliveries,
    int prefetch,
    Duration confirmTimeout,
    Duration recoveryInterval,
    Duration heartbeat,
    Duration connectTimeout,
    String connectionName) {

  /** The kind of durable queue each cloud gets. */
  public enum QueueType {
    QUORUM,
    CLASSIC
  }

  public static final AmqpSettings DEFAULTS =
      new AmqpSettings(
          "",
          QueueType.QUORUM,
          5,
          32,
          Duration.ofSeconds(10),
          Duration.ofSeconds(2),
          Duration.ofSeconds(10),
          Duration.ofSeconds(10),
          "cob");

  private static final Set<String> KEYS =
      Set.of(
          "namespace",
          "queueType",
          "maxDeliveries",
          "prefetch",
          "confirmTimeout",
          "recoveryInterval",
          "heartbeat",
          "connectTimeout",
          "connectionName");

  public AmqpSettings {
    if (namespace == null || !namespace.matches("[A-Za-z0-9._-]*")) {
      throw new IllegalArgumentException(
          "bus.amqp.namespace may hold only letters, digits, '.', '_' and '-', not '"
              + namespace
              + "'");
    }
    if (maxDeliveries < 1) {
      throw new IllegalArgumentException(
          "bus.amqp.maxDeliveries must be at least 1, not " + maxDeliveries);
    }
    if (prefetch < 1 || prefetch > 65535) {
      throw new IllegalArgumentException(
          "bus.amqp.prefetch must be between 1 and 65535, not " + prefetch);
    }
    positive("confirmTimeout", confirmTimeout);
    positive("recoveryInterval", recoveryInterval);
    positive("heartbeat", heartbeat);
    positive("connectTimeout", connectTimeout);
  }

  /**
   * Reads settings by name over the defaults.
   *
   * @throws IllegalArgumentException naming the key when a key is unknown or a value is malformed
   */
  public static AmqpSettings parse(Map<String, String> options) {
    for (String key : options.keySet()) {
      if (!KEYS.contains(key)) {
        throw new IllegalArgumentException(
            "bus.amqp." + key + " is not a setting; known: " + new java.util.TreeSet<>(KEYS));
      }
    }
    AmqpSettings d = DEFAULTS;
    return new AmqpSettings(
        options.getOrDefault("namespace", d.namespace()),
        options.containsKey("queueType") ? queueType(options.get("queueType")) : d.queueType(),
        integer(options, "maxDeliveries", d.maxDeliveries()),
        integer(options, "prefetch", d.prefetch()),
        duration(options, "confirmTimeout", d.confirmTimeout()),
        duration(options, "recoveryInterval", d.recoveryInterval()),
        duration(options, "heartbeat", d.heartbeat()),
        duration(options, "connectTimeout", d.connectTimeout()),
        options.getOrDefault("connectionName", d.connectionName()));
  }

  /** A copy with another namespace. */
  public AmqpSettings withNamespace(String value) {
    return new AmqpSettings(
        value,
        queueType,
        maxDeliveries,
        prefetch,
        confirmTimeout,
        recoveryInterval,
        heartbeat,
        connectTimeout,
        connectionName);
  }

  /** A copy with another queue type. */
  public AmqpSettings withQueueType(QueueType value) {
    return new AmqpSettings(
        namespace,
        value,
        maxDeliveries,
        prefetch,
        confirmTimeout,
        recoveryInterval,
        heartbeat,
        connectTimeout,
        connectionName);
  }

  /** A copy with another reconnection interval. */
  public AmqpSettings withRecoveryInterval(Duration value) {
    return new AmqpSettings(
        namespace,
        queueType,
        maxDeliveries,
        prefetch,
        confirmTimeout,
        value,
        heartbeat,
        connectTimeout,
        connectionName);
  }

  private static QueueType queueType(String value) {
    try {
      return QueueType.valueOf(value.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "bus.amqp.queueType must be 'quorum' or 'classic', not '" + value + "'");
    }
  }

  private static int integer(Map<String, String> options, String key, int fallback) {
    String value = options.get(key);
    if (value == null) {
      return fallback;
    }
    try {
      return Integer.parseInt(value.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "bus.amqp." + key + " must be a whole number, not '" + value + "'");
    }
  }

  private static Duration duration(Map<String, String> options, String key, Duration fallback) {
    String value = options.get(key);
    if (value == null) {
      return fallback;
    }
    try {
      return Duration.parse(value.strip());
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "bus.amqp." + key + " must be an ISO-8601 duration such as PT5S, not '" + value + "'");
    }
  }

  private static void positive(String key, Duration value) {
    if (value == null || value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException("bus.amqp." + key + " must be positive, not " + value);
    }
  }
}
