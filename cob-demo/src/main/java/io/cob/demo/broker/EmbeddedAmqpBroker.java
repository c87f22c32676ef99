package io.cob.demo.broker;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.qpid.server.SystemLauncher;
import org.apache.qpid.server.SystemLauncherListener;
import org.apache.qpid.server.model.Broker;
import org.apache.qpid.server.model.Port;
import org.apache.qpid.server.model.SystemConfig;

/**
 * An AMQP 0-9-1 broker inside the demo's JVM: Apache Qpid Broker-J with an in-memory system
 * configuration and virtual host, listening on {@code 127.0.0.1} on a port the system chose, with
 * one user {@code cob} whose password is made per run. Nothing is written to disk.
 *
 * <p>What was checked against the RabbitMQ Java client that cob's {@code amqp} connector uses:
 * queue declaration, default-exchange publishing, publisher confirms, manual acknowledgements,
 * {@code reply_to}/{@code correlation_id} request/reply. Two differences from RabbitMQ: Broker-J
 * does not know the {@code x-expires} queue argument (the connector's reply queue asks for it), so
 * the broker is told to ignore unknown declare arguments (its queues live as long as the demo
 * anyway); and an unroutable {@code mandatory} message is returned and then nacked where RabbitMQ
 * acks it.
 */
public final class EmbeddedAmqpBroker implements AutoCloseable {
  private final SystemLauncher launcher;
  private final int port;
  private final String password;

  private EmbeddedAmqpBroker(SystemLauncher launcher, int port, String password) {
    this.launcher = launcher;
    this.port = port;
    this.password = password;
  }

  /**
   * Starts the broker (about two seconds on a cold JVM).
   *
   * @throws Exception whatever Broker-J throws when it cannot start
   */
  public static EmbeddedAmqpBroker start(String password) throws Exception {
    AtomicReference<SystemConfig<?>> system = new AtomicReference<>();
    SystemLauncher launcher =
        new SystemLauncher(
            new SystemLauncherListener.DefaultSystemLauncherListener() {
              @Override
              public void onContainerResolve(SystemConfig<?> config) {
                system.set(config);
              }
            });
    Map<String, Object> attributes = new HashMap<>();
    attributes.put("type", "Memory");
    attributes.put(
        "initialConfigurationLocation",
        EmbeddedAmqpBroker.class.getResource("/io/cob/demo/qpid-broker.json").toExternalForm());
    attributes.put("startupLoggedToSystemOut", false);
    attributes.put("context", Map.of("cob.demo.amqp.password", password));
    launcher.startup(attributes);
    try {
      Broker<?> broker = (Broker<?>) system.get().getContainer(Broker.class);
      int port =
          broker.getPorts().stream()
              .filter(p -> "AMQP".equals(p.getName()))
              .mapToInt(Port::getBoundPort)
              .findFirst()
              .orElseThrow(() -> new IllegalStateException("the broker opened no AMQP port"));
      return new EmbeddedAmqpBroker(launcher, port, password);
    } catch (RuntimeException e) {
      launcher.shutdown();
      throw e;
    }
  }

  /** {@code amqp://cob:PASSWORD@127.0.0.1:PORT} */
  public String url() {
    return "amqp://cob:" + password + "@127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  @Override
  public void close() {
    launcher.shutdown();
  }
}
