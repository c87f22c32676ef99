package io.cob.connectors;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The services on this machine that integration tests talk to (RabbitMQ, Mosquitto), and what to do
 * when one is missing: fail under {@code CI=true}, where the tests must run, else skip.
 */
public final class TestServices {
  public static final String RABBITMQ_URL = "amqp://guest:guest@127.0.0.1:5672";
  public static final String MOSQUITTO_URL = "tcp://127.0.0.1:1883";

  private TestServices() {}

  /** Fails (CI) or skips the calling test unless RabbitMQ listens on 127.0.0.1:5672. */
  public static void requireRabbitMq() {
    require("RabbitMQ", 5672);
  }

  /** Fails (CI) or skips the calling test unless Mosquitto listens on 127.0.0.1:1883. */
  public static void requireMosquitto() {
    require("Mosquitto", 1883);
  }

  private static void require(String name, int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
    } catch (IOException e) {
      String reason = name + " is not reachable at 127.0.0.1:" + port + ": " + e.getMessage();
      if ("true".equals(System.getenv("CI"))) {
        Assertions.fail(reason + " (CI=true: these tests must run, not be skipped)");
      }
      Assumptions.abort(reason + " (skipped; with CI=true this fails)");
    }
  }
}
