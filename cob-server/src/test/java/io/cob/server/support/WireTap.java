package io.cob.server.support;

import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.cob.bus.amqp.AmqpAddress;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;

/**
 * A copy of every message the broker routes to one cloud, taken on the wire: a queue of the test,
 * bound exactly as the cloud's own queue ({@code cob.bus} with the cloud's name as routing key, and
 * {@code cob.broadcast}) and, with {@code announcements}, to {@code cob.announce} as every node's
 * listener queue is (heartbeats). The broker delivers each message to both queues, so the tap sees
 * what the cloud's nodes get, byte for byte, without taking anything from them.
 *
 * <p>Bind it before the nodes start: it declares the namespace's exchanges as {@code AmqpBus} does.
 * Thread-safe.
 */
public final class WireTap implements AutoCloseable {
  /** One message as the broker delivered it: its {@code type} property, headers and raw body. */
  public record Captured(String type, Map<String, Object> headers, byte[] body) {}

  private final Connection connection;
  private final List<Captured> captured = new CopyOnWriteArrayList<>();

  private WireTap(Connection connection) {
    this.connection = connection;
  }

  /** Taps what the broker at {@code url} routes to {@code cloud} in {@code namespace}. */
  public static WireTap of(String url, String namespace, String cloud, boolean announcements)
      throws IOException, TimeoutException {
    AmqpAddress a = AmqpAddress.parse(url);
    ConnectionFactory f = new ConnectionFactory();
    f.setHost(a.host());
    f.setPort(a.port());
    f.setUsername(a.user());
    f.setPassword(a.password());
    f.setVirtualHost(a.vhost());
    Connection connection = f.newConnection("wiretap-" + cloud);
    WireTap tap = new WireTap(connection);
    Channel ch = connection.createChannel();
    ch.exchangeDeclare(namespace + "cob.bus", BuiltinExchangeType.DIRECT, true);
    ch.exchangeDeclare(namespace + "cob.broadcast", BuiltinExchangeType.FANOUT, true);
    ch.exchangeDeclare(namespace + "cob.announce", BuiltinExchangeType.FANOUT, true);
    String queue = ch.queueDeclare().getQueue(); // exclusive: gone with the connection
    ch.queueBind(queue, namespace + "cob.bus", cloud);
    ch.queueBind(queue, namespace + "cob.broadcast", "");
    if (announcements) {
      ch.queueBind(queue, namespace + "cob.announce", "");
    }
    ch.basicConsume(
        queue,
        true,
        (tag, delivery) -> {
          Map<String, Object> headers = delivery.getProperties().getHeaders();
          tap.captured.add(
              new Captured(
                  delivery.getProperties().getType(),
                  headers == null ? Map.of() : new HashMap<>(headers),
                  delivery.getBody()));
        },
        tag -> {});
    return tap;
  }

  /** What was captured so far, in delivery order. */
  public List<Captured> captured() {
    return List.copyOf(captured);
  }

  @Override
  public void close() throws IOException {
    connection.close();
  }
}
