package io.cob.server.support;

import io.cob.bus.amqp.AmqpAddress;
import io.cob.bus.amqp.AmqpBus;
import io.cob.bus.amqp.AmqpSettings;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Collection;
import java.util.UUID;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The RabbitMQ of the machine for node tests: {@code amqp://guest:guest@127.0.0.1:5672/} unless
 * {@code COB_TEST_AMQP_URL} says otherwise. When it cannot be reached the calling test is skipped
 * with the reason, except under {@code CI=true}, where it fails: CI never passes by skipping.
 */
public final class RabbitMq {
  public static final String URL =
      System.getenv().getOrDefault("COB_TEST_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/");

  private RabbitMq() {}

  /** A namespace no other run uses, so that runs never see each other's queues. */
  public static String uniqueNamespace() {
    return "it-" + UUID.randomUUID().toString().substring(0, 8) + ".";
  }

  public static void requireAvailable() {
    AmqpAddress address = AmqpAddress.parse(URL);
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(address.host(), address.port()), 2000);
    } catch (IOException e) {
      String reason = "RabbitMQ is not reachable at " + address + ": " + e.getMessage();
      if ("true".equals(System.getenv("CI"))) {
        Assertions.fail(reason + " (CI=true: the RabbitMQ tests must run, not be skipped)", e);
      }
      String skipped = reason + " (test skipped; with CI=true it fails)";
      System.err.println("WARNING: " + skipped);
      Assumptions.abort(skipped);
    }
  }

  /** Deletes the queues of these clouds and the exchanges of a namespace. */
  public static void deleteNamespace(String namespace, Collection<String> clouds) {
    try (AmqpBus bus =
        AmqpBus.connect(AmqpAddress.parse(URL), AmqpSettings.DEFAULTS.withNamespace(namespace))) {
      clouds.forEach(bus::declareCloud);
      bus.deleteDeclared();
    }
  }
}
