package io.cob.bus;

import io.cob.bus.amqp.AmqpAddress;

/**
 * What {@code bus.url} names: the in-memory bus ({@code memory:}) or a RabbitMQ broker ({@code
 * amqp://...}, {@code amqps://...}).
 */
public sealed interface BusUrl {

  /** {@code memory:} — every node sharing one {@code MemoryBus} instance in this JVM. */
  record Memory() implements BusUrl {}

  /** {@code amqp://} or {@code amqps://}: a RabbitMQ broker. */
  record Amqp(AmqpAddress address) implements BusUrl {}

  /**
   * Reads {@code bus.url}.
   *
   * @throws IllegalArgumentException naming the URL and what is wrong with it
   */
  static BusUrl parse(String url) {
    String text = url == null ? "" : url.strip();
    if (text.equals("memory:") || text.equals("memory")) {
      return new Memory();
    }
    String lower = text.toLowerCase(java.util.Locale.ROOT);
    if (lower.startsWith("amqp://") || lower.startsWith("amqps://")) {
      return new Amqp(AmqpAddress.parse(text));
    }
    if (text.isEmpty()) {
      throw new IllegalArgumentException("bus.url is empty: use memory: or amqp://host:5672");
    }
    throw new IllegalArgumentException(
        "bus.url '"
            + text.replaceFirst("(://[^:/@]*:)[^@]*@", "$1***@")
            + "': expected memory: or amqp[s]://user:password@host:port/vhost");
  }
}
