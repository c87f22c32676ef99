package io.cob.bus.amqp;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.MessageProperties;
import com.rabbitmq.client.ShutdownSignalException;
import io.cob.engine.port.bus.BusException;
import io.cob.engine.port.bus.Subscription;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeoutException;

/**
 * Presence marks and take-over notices on RabbitMQ, on a connection of their own that is never
 * recovered automatically: the client's recovery would declare the presence queue again behind
 * cob's back, before the node has checked for a take-over notice.
 *
 * <p>A presence mark is an auto-delete queue ({@code cob.presence.<cloud>}) the holder consumes
 * from: RabbitMQ deletes it when its last consumer is gone, and a consumer is gone when its
 * connection is (closed, killed, or found dead by the broker's heartbeat check). A take-over notice
 * is the one message of a durable queue ({@code cob.takeover.<cloud>}, {@code x-max-length} 1, so a
 * new notice replaces the old), published persistent with a publisher confirm; reading it takes it
 * unacknowledged, and it goes back when the channel closes.
 *
 * <p>A connection that dies while a call waits on it (a missed heartbeat, say) fails that call with
 * a {@link ShutdownSignalException}, even a {@code close}: each is caught here, so that the caller
 * (the node's ownership guard, a thread that must not die) sees a {@link BusException} or nothing.
 *
 * <p>Thread-safe.
 */
final class AmqpPresence implements AutoCloseable {
  private final ConnectionFactory factory;
  private final String connectionName;
  private final AmqpNames names;
  private Connection connection;
  private boolean closed;

  AmqpPresence(ConnectionFactory recovering, String connectionName, AmqpNames names) {
    this.factory = recovering.clone();
    this.factory.setAutomaticRecoveryEnabled(false);
    this.factory.setTopologyRecoveryEnabled(false);
    this.connectionName = connectionName + " presence";
    this.names = names;
  }

  synchronized Subscription hold(String cloud) {
    String queue = names.presenceQueue(cloud);
    Channel ch = channel("hold the presence of " + cloud);
    try {
      ch.queueDeclare(queue, false, false, true, Map.of());
      ch.basicConsume(queue, true, new DefaultConsumer(ch));
    } catch (IOException | ShutdownSignalException e) {
      throw new BusException("cannot hold the presence of " + cloud + ": " + e.getMessage(), e);
    }
    return new Subscription() {
      @Override
      public String cloud() {
        return cloud;
      }

      @Override
      public void close() {
        try {
          if (ch.isOpen()) {
            ch.close();
          }
        } catch (IOException | TimeoutException | ShutdownSignalException e) {
          // the connection is gone, and the mark with it
        }
      }
    };
  }

  synchronized boolean present(String cloud) {
    Channel ch = channel("look for the presence of " + cloud);
    try {
      ch.queueDeclarePassive(names.presenceQueue(cloud));
      return true;
    } catch (IOException e) {
      if (notFound(e)) {
        return false;
      }
      throw new BusException("cannot look for the presence of " + cloud + ": " + e, e);
    } catch (ShutdownSignalException e) {
      throw new BusException("cannot look for the presence of " + cloud + ": " + e, e);
    } finally {
      closeQuietly(ch);
    }
  }

  synchronized void post(String cloud, byte[] notice) {
    Channel ch = channel("post the take-over notice of " + cloud);
    try {
      String queue = declareNotices(ch, cloud);
      ch.confirmSelect();
      ch.basicPublish("", queue, true, MessageProperties.PERSISTENT_BASIC, notice);
      ch.waitForConfirmsOrDie(10_000);
    } catch (IOException | TimeoutException | InterruptedException | ShutdownSignalException e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw new BusException("the take-over notice of " + cloud + " was not confirmed: " + e, e);
    } finally {
      closeQuietly(ch);
    }
  }

  synchronized Optional<byte[]> read(String cloud) {
    Channel ch = channel("read the take-over notice of " + cloud);
    try {
      GetResponse r = ch.basicGet(declareNotices(ch, cloud), false);
      return Optional.ofNullable(r).map(GetResponse::getBody); // requeued when the channel closes
    } catch (IOException | ShutdownSignalException e) {
      throw new BusException("cannot read the take-over notice of " + cloud + ": " + e, e);
    } finally {
      closeQuietly(ch);
    }
  }

  synchronized void clear(String cloud) {
    Channel ch = channel("clear the take-over notice of " + cloud);
    try {
      ch.queuePurge(declareNotices(ch, cloud));
    } catch (IOException | ShutdownSignalException e) {
      throw new BusException("cannot clear the take-over notice of " + cloud + ": " + e, e);
    } finally {
      closeQuietly(ch);
    }
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (connection != null && connection.isOpen()) {
      try {
        connection.close();
      } catch (IOException | ShutdownSignalException e) {
        // closing anyway
      }
    }
  }

  private String declareNotices(Channel ch, String cloud) throws IOException {
    String queue = names.takeoverQueue(cloud);
    ch.queueDeclare(queue, true, false, false, Map.of("x-max-length", 1));
    return queue;
  }

  /** A channel on the presence connection, connecting anew when it was lost. */
  private Channel channel(String what) {
    if (closed) {
      throw new BusException("the bus is closed: cannot " + what);
    }
    try {
      if (connection == null || !connection.isOpen()) {
        connection = factory.newConnection(connectionName);
      }
      return connection.createChannel();
    } catch (IOException | TimeoutException | ShutdownSignalException e) {
      throw new BusException("cannot " + what + ": RabbitMQ cannot be reached (" + e + ")", e);
    }
  }

  private static boolean notFound(IOException e) {
    return e.getCause() instanceof ShutdownSignalException s
        && s.getReason() instanceof AMQP.Channel.Close close
        && close.getReplyCode() == AMQP.NOT_FOUND;
  }

  private static void closeQuietly(Channel ch) {
    try {
      if (ch.isOpen()) {
        ch.close();
      }
    } catch (IOException | TimeoutException | ShutdownSignalException e) {
      // a channel closed by an error is closed already
    }
  }
}
