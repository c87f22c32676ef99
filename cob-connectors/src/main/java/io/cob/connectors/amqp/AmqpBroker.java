package io.cob.connectors.amqp;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.AuthenticationFailureException;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.Method;
import com.rabbitmq.client.Return;
import com.rabbitmq.client.ShutdownSignalException;
import io.cob.connectors.ConnectorException;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection to one RabbitMQ broker, shared by every task that names its URL: publishes with
 * publisher confirms on pooled channels and, once asked, consumes the node's reply queue.
 *
 * <p>Thread-safe. A channel is used by one publishing thread at a time (channels are not
 * thread-safe); idle confirm-mode channels are kept for reuse, a channel that failed is closed.
 * Automatic recovery is on: after a network failure the client reconnects and restores the
 * channels, the reply queue and its consumer; a publish during the outage fails as transient.
 */
final class AmqpBroker implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AmqpBroker.class);
  private static final int MAX_IDLE_CHANNELS = 8;

  private final String address;
  private final Connection connection;
  private final Queue<PublishChannel> idle = new ConcurrentLinkedQueue<>();
  private ReplyConsumer replies;

  private AmqpBroker(String address, Connection connection) {
    this.address = address;
    this.connection = connection;
  }

  /**
   * Connects to the broker at {@code url} ({@code amqp://user:password@host:port/vhost}).
   *
   * @param recoveryInterval the wait between attempts to reconnect after the connection broke
   * @throws ConnectorException misconfigured for a bad URI or refused credentials, transient when
   *     the broker cannot be reached
   */
  static AmqpBroker connect(String url, String connectionName, Duration recoveryInterval) {
    String address = redact(url);
    ConnectionFactory factory = new ConnectionFactory();
    try {
      factory.setUri(url);
    } catch (URISyntaxException | GeneralSecurityException | IllegalArgumentException e) {
      throw ConnectorException.misconfigured(
          "'" + address + "' is not an AMQP URI (amqp://user:password@host:5672/vhost): " + e);
    }
    factory.setAutomaticRecoveryEnabled(true);
    factory.setTopologyRecoveryEnabled(true);
    factory.setNetworkRecoveryInterval(recoveryInterval.toMillis());
    factory.setConnectionTimeout(10_000);
    factory.setRequestedHeartbeat(30);
    try {
      Connection c = factory.newConnection(connectionName);
      LOG.info("event=amqp_connected broker={} connection={}", address, connectionName);
      return new AmqpBroker(address, c);
    } catch (AuthenticationFailureException e) {
      throw ConnectorException.misconfigured(
          "broker " + address + " refused the user name or password: " + e.getMessage());
    } catch (IOException | TimeoutException e) {
      throw ConnectorException.transientFailure(
          "cannot connect to " + address + ": " + describe(e), e);
    }
  }

  /** The broker's URI without the password, for messages and logs. */
  String address() {
    return address;
  }

  /**
   * Publishes one message and waits until the broker confirms it (stored on disk for a persistent
   * message to a durable queue).
   *
   * @throws ConnectorException transient for a nack, a missing confirm, an unroutable mandatory
   *     message or a lost connection; misconfigured when the broker refuses the publish (no such
   *     exchange, no access)
   */
  void publish(
      String exchange,
      String routingKey,
      boolean mandatory,
      AMQP.BasicProperties properties,
      byte[] body,
      Duration confirmTimeout) {
    String what = "publish to exchange '" + exchange + "' with routing key '" + routingKey + "'";
    PublishChannel ch = borrow();
    boolean healthy = false;
    try {
      ch.returned = null;
      ch.channel.basicPublish(exchange, routingKey, mandatory, properties, body);
      ch.channel.waitForConfirmsOrDie(confirmTimeout.toMillis());
      Return r = ch.returned;
      healthy = true;
      if (r != null) {
        throw ConnectorException.transientFailure(
            what
                + " on "
                + address
                + " was returned as unroutable ("
                + r.getReplyCode()
                + " "
                + r.getReplyText()
                + "): no queue is bound for it",
            null);
      }
    } catch (TimeoutException e) {
      throw ConnectorException.transientFailure(
          what + ": " + address + " did not confirm it within " + confirmTimeout, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ConnectorException.transientFailure(what + ": interrupted", e);
    } catch (IOException | ShutdownSignalException e) {
      throw refused(what, e);
    } finally {
      release(ch, healthy);
    }
  }

  /**
   * Declares the durable reply queue and consumes it with {@code onReply}, once; later calls return
   * at once.
   */
  synchronized void consumeReplies(
      String queue, Duration expiry, Consumer<ReplyConsumer.Reply> onReply) {
    if (replies == null) {
      try {
        replies = ReplyConsumer.start(connection, queue, expiry, onReply);
      } catch (IOException | ShutdownSignalException e) {
        throw refused("declare and consume reply queue '" + queue + "'", e);
      }
    }
  }

  private PublishChannel borrow() {
    PublishChannel ch;
    while ((ch = idle.poll()) != null) {
      if (ch.channel.isOpen()) {
        return ch;
      }
    }
    try {
      return new PublishChannel(connection.createChannel());
    } catch (IOException | ShutdownSignalException e) {
      throw ConnectorException.transientFailure(
          "cannot open a channel on " + address + ": " + describe(e), e);
    }
  }

  private void release(PublishChannel ch, boolean healthy) {
    if (healthy && ch.channel.isOpen() && idle.size() < MAX_IDLE_CHANNELS) {
      idle.offer(ch);
    } else {
      closeQuietly(ch.channel);
    }
  }

  /** The broker refused or the channel broke: which of the two decides whether to retry. */
  private ConnectorException refused(String what, Exception e) {
    ShutdownSignalException shutdown = shutdownCause(e);
    if (shutdown != null && shutdown.getReason() instanceof Method m) {
      int code = replyCode(m);
      String text = what + " on " + address + " failed: " + replyText(m) + " (" + code + ")";
      // 403 access refused, 404 no such exchange/queue, 406 precondition (queue declared otherwise)
      if (code == 403 || code == 404 || code == 406) {
        return ConnectorException.misconfigured(text);
      }
      return ConnectorException.transientFailure(text, e);
    }
    return ConnectorException.transientFailure(
        what + " on " + address + " failed: " + describe(e), e);
  }

  private static ShutdownSignalException shutdownCause(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ShutdownSignalException s) {
        return s;
      }
    }
    return null;
  }

  private static int replyCode(Method m) {
    return switch (m) {
      case AMQP.Channel.Close c -> c.getReplyCode();
      case AMQP.Connection.Close c -> c.getReplyCode();
      default -> 0;
    };
  }

  private static String replyText(Method m) {
    return switch (m) {
      case AMQP.Channel.Close c -> c.getReplyText();
      case AMQP.Connection.Close c -> c.getReplyText();
      default -> m.protocolMethodName();
    };
  }

  private static String describe(Throwable e) {
    return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
  }

  /** The URI without user information, so that no password reaches a log or an incident. */
  static String redact(String url) {
    try {
      URI u = new URI(url);
      if (u.getRawUserInfo() == null) {
        return url;
      }
      return new URI(u.getScheme(), null, u.getHost(), u.getPort(), u.getPath(), null, null)
          .toString();
    } catch (URISyntaxException e) {
      return "(an unreadable URI)";
    }
  }

  private static void closeQuietly(Channel channel) {
    try {
      if (channel.isOpen()) {
        channel.close();
      }
    } catch (IOException | TimeoutException | ShutdownSignalException e) {
      LOG.debug("event=amqp_channel_close_failed error={}", e.toString());
    }
  }

  /** Closes the reply consumer, the idle channels and the connection. */
  @Override
  public synchronized void close() {
    if (replies != null) {
      replies.close();
    }
    PublishChannel ch;
    while ((ch = idle.poll()) != null) {
      closeQuietly(ch.channel);
    }
    try {
      connection.close(5_000);
    } catch (IOException | ShutdownSignalException e) {
      LOG.debug("event=amqp_close_failed broker={} error={}", address, e.toString());
    }
  }

  /** A confirm-mode channel and the last message the broker returned on it. */
  private static final class PublishChannel {
    final Channel channel;
    volatile Return returned;

    PublishChannel(Channel channel) throws IOException {
      this.channel = channel;
      channel.confirmSelect();
      // The broker sends basic.return before the confirm, so after the confirm this is set.
      channel.addReturnListener(r -> returned = r);
    }
  }
}
