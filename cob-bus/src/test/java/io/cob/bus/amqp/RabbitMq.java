package io.cob.bus.amqp;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.UUID;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The RabbitMQ the integration tests use: {@code amqp://guest:guest@127.0.0.1:5672/} unless {@code
 * COB_TEST_AMQP_URL} says otherwise. When it cannot be reached the tests are skipped with the
 * reason, except under {@code CI=true}, where they fail: CI must never pass by skipping them.
 */
final class RabbitMq {
  static final String URL =
      System.getenv().getOrDefault("COB_TEST_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/");

  private RabbitMq() {}

  static AmqpAddress address() {
    return AmqpAddress.parse(URL);
  }

  /** A namespace no other run uses, so that runs never see each other's queues. */
  static String uniqueNamespace() {
    return "it-" + UUID.randomUUID().toString().substring(0, 8) + ".";
  }

  static void requireAvailable() {
    AmqpAddress address = address();
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(address.host(), address.port()), 2000);
    } catch (IOException e) {
      String reason = "RabbitMQ is not reachable at " + address + ": " + e.getMessage();
      if ("true".equals(System.getenv("CI"))) {
        Assertions.fail(reason + " (CI=true: the RabbitMQ tests must run, not be skipped)", e);
      }
      String skipped = reason + " (tests skipped; with CI=true they fail)";
      System.err.println("WARNING: " + skipped);
      Assumptions.abort(skipped);
    }
  }
}
