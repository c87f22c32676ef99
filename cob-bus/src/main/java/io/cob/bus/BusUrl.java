package io.cob.bus;

import io.cob.bus.amqp.AmqpAddress;

/**
 * What {@code bus.url} names: the in-memory bus ({@code memory:}) or a RabbitMQ broker ({@code
 * amqp://...}, {@code amqps://...}).
 */
public sealed interface BusUrl {

  /**
   * {@code memory:} or {@code memory:NAME}: an in-memory broker of this JVM, shared by every node
   * of the JVM that names the same one ({@code memory:} is the unnamed broker). Separate names are
   * separate brokers, so that tests in one JVM do not hear each other.
   *
   * @param name the broker's name; empty for {@code memory:}
   */
  record Memory(String name) implements BusUrl {
    public Memory {
      if (name == null || !(name.isEmpty() || name.matches("[A-Za-z0-9._-]+"))) {
        throw new IllegalArgumentException(
            "bus.url 'memory:"
                + name
                + "': a memory broker's name may hold only letters, digits, '.', '_' and '-'");
      }
    }

    /** The unnamed broker, {@code memory:}. */
    public Memory() {
      this("");
    }
  }

  /** {@code amqp://} or {@code amqps://}: a RabbitMQ broker. */
  record Amqp(AmqpAddress address) implements BusUrl {}

  /**
   * Reads {@code bus.url}.
   *
   * @throws IllegalArgumentException naming the URL and what is wrong with it
   */
  static BusUrl parse(String url) {
    String text = url == null ? "" : url.strip();
    String lower = text.toLowerCase(java.util.Locale.ROOT);
    if (lower.equals("memory")) {
      return new Memory();
    }
    if (lower.startsWith("memory:")) {
      return new Memory(text.substring("memory:".length()));
    }
    if (lower.startsWith("amqp://") || lower.startsWith("amqps://")) {
      return new Amqp(AmqpAddress.parse(text));
    }
    if (text.isEmpty()) {
      throw new IllegalArgumentException("bus.url is empty: use memory: or amqp://host:5672");
    }
    throw new IllegalArgumentException(
        "bus.url '"
            + text.replaceFirst("(://[^:/@]*:)[^@]*@", "$1***@")
            + "': expected memory:, memory:NAME or amqp[s]://user:password@host:port/vhost");
  }
}
