package io.cob.demo.broker;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the AMQP 0-9-1 broker the claim demo uses, so that it runs with no set-up: the broker
 * embedded in this JVM ({@link EmbeddedAmqpBroker}) first; when that cannot start, a RabbitMQ on
 * {@code 127.0.0.1:5672} with the default {@code guest} account if one answers; otherwise the demo
 * stops with a message saying what to do.
 *
 * @param url the broker's URL for the services, with the password in it
 * @param nodeUrl the same URL for the nodes' {@code connectors.amqp.url}, the password replaced by
 *     {@code {{secrets.AMQP_PASSWORD}}}
 * @param password the value of the secret {@code AMQP_PASSWORD}
 * @param description what was chosen and why, for the trace
 * @param owned the broker to stop at the end, or {@code null} for one the demo did not start
 */
public record AmqpBrokerChoice(
    String url, String nodeUrl, String password, String description, AutoCloseable owned)
    implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AmqpBrokerChoice.class);
  static final int RABBITMQ_PORT = 5672;

  /**
   * Picks a broker.
   *
   * @param password the password the embedded broker is started with
   * @throws IllegalStateException naming both attempts when neither broker is available
   */
  public static AmqpBrokerChoice choose(String password) {
    String embeddedFailure;
    try {
      EmbeddedAmqpBroker broker = EmbeddedAmqpBroker.start(password);
      return new AmqpBrokerChoice(
          broker.url(),
          "amqp://cob:{{secrets.AMQP_PASSWORD}}@127.0.0.1:" + broker.port(),
          password,
          "embedded AMQP 0-9-1 broker (Apache Qpid Broker-J, in memory) on 127.0.0.1:"
              + broker.port(),
          broker);
    } catch (Exception | LinkageError e) {
      embeddedFailure = e.toString();
      LOG.warn("event=demo_embedded_broker_failed error={}", embeddedFailure);
    }
    if (reachable("127.0.0.1", RABBITMQ_PORT)) {
      return new AmqpBrokerChoice(
          "amqp://guest:guest@127.0.0.1:" + RABBITMQ_PORT,
          "amqp://guest:{{secrets.AMQP_PASSWORD}}@127.0.0.1:" + RABBITMQ_PORT,
          "guest",
          "RabbitMQ on 127.0.0.1:" + RABBITMQ_PORT + " (the embedded broker could not start)",
          null);
    }
    throw new IllegalStateException(
        "the claim demo needs an AMQP 0-9-1 broker for its appointment scheduler: the embedded"
            + " broker could not start ("
            + embeddedFailure
            + ") and no RabbitMQ answers on 127.0.0.1:"
            + RABBITMQ_PORT
            + "; start RabbitMQ (guest/guest) there and run 'cob demo claim' again");
  }

  private static boolean reachable(String host, int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, port), 300);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public void close() throws Exception {
    if (owned != null) {
      owned.close();
    }
  }
}
