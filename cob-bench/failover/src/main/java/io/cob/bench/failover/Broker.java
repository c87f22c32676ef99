package io.cob.bench.failover;

import io.cob.bus.amqp.AmqpAddress;
import io.cob.bus.amqp.AmqpBus;
import io.cob.bus.amqp.AmqpSettings;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Collection;
import java.util.UUID;

/**
 * The RabbitMQ the clouds of a repetition talk through, each repetition in a namespace of its own.
 */
final class Broker {
  private final String url;

  Broker(String url) {
    this.url = url;
  }

  String url() {
    return url;
  }

  /** Fails at once, with the address, when the broker cannot be reached. */
  void requireReachable() {
    AmqpAddress address = AmqpAddress.parse(url);
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(address.host(), address.port()), 2000);
    } catch (IOException e) {
      throw new IllegalStateException(
          "RabbitMQ is not reachable at " + address + " (--amqp-url): " + e.getMessage(), e);
    }
  }

  /** A namespace no other run uses, so that no run sees another's queues. */
  static String freshNamespace() {
    return "bench-" + UUID.randomUUID().toString().substring(0, 8) + ".";
  }

  /** Deletes the queues of these clouds and the exchanges of a namespace. */
  void deleteNamespace(String namespace, Collection<String> clouds) {
    try (AmqpBus bus =
        AmqpBus.connect(AmqpAddress.parse(url), AmqpSettings.DEFAULTS.withNamespace(namespace))) {
      clouds.forEach(bus::declareCloud);
      bus.deleteDeclared();
    }
  }
}
