package io.cob.bus.amqp;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.AlreadyClosedException;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.ShutdownSignalException;
import io.cob.engine.port.bus.Bus;
import io.cob.engine.port.bus.BusException;
import io.cob.engine.port.bus.Envelope;
import io.cob.engine.port.bus.EnvelopeHandler;
import io.cob.engine.port.bus.Subscription;
import java.io.IOException;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code amqp://} bus on RabbitMQ (AMQP 0-9-1), with the guarantees of the {@link Bus}
 * contract.
 *
 * <p><b>Topology</b> (names in {@link AmqpNames}, all prefixed by the namespace): per cloud one
 * durable queue {@code cob.cloud.<name>}, a quorum queue by default ({@code x-queue-type=quorum},
 * {@code x-delivery-limit} as a backstop against a message that crashes every consumer) or a
 * classic durable queue, with dead-lettering through the exchange {@code cob.dlx} into {@code
 * cob.cloud.<name>.dlq}. The direct exchange {@code cob.bus} routes by cloud name; the fanout
 * exchange {@code cob.broadcast} is bound to every cloud queue; the fanout exchange {@code
 * cob.announce} to every listener's private queue. A cloud's queue is declared when the cloud is
 * {@linkplain #declareCloud declared}, subscribed or first published to. An existing queue with
 * other arguments (a classic queue where a quorum one is asked for) is an error naming it.
 *
 * <p><b>Publishing</b>: persistent messages, publisher confirms per message ({@link
 * ConfirmingPublisher}), mandatory routing for messages to one cloud, so a message that no queue
 * took is an error and not a silent loss. <b>Consuming</b>: one channel per subscription, prefetch,
 * manual acknowledgement after the handler ({@link AmqpSubscription}).
 *
 * <p><b>Connection loss.</b> The client reconnects by itself every {@code recoveryInterval} and
 * recovers channels, queues, bindings and consumers. Meanwhile {@link #publish} throws {@link
 * BusException} (the caller's outbox keeps the envelope), and unacknowledged deliveries are
 * redelivered after recovery. The first connection is not retried: {@link #connect} fails with the
 * reason.
 *
 * <p>{@code amqps://} uses the JVM's default trust store and verifies the host name.
 *
 * <p>Thread-safe.
 */
public final class AmqpBus implements Bus {
  private static final Logger LOG = LoggerFactory.getLogger(AmqpBus.class);

  private final AmqpAddress address;
  private final AmqpSettings settings;
  private final AmqpNames names;
  private final Connection connection;
  private final ConfirmingPublisher publisher;
  private final Object adminLock = new Object();
  private final Set<String> declaredClouds = ConcurrentHashMap.newKeySet();
  private final Set<Subscription> subscriptions = new CopyOnWriteArraySet<>();
  private Channel admin;
  private volatile boolean closed;

  private final AmqpPresence presence;

  private AmqpBus(
      AmqpAddress address,
      AmqpSettings settings,
      Connection connection,
      ConnectionFactory factory) {
    this.address = address;
    this.settings = settings;
    this.names = new AmqpNames(settings.namespace());
    this.connection = connection;
    this.publisher = new ConfirmingPublisher(connection, settings.confirmTimeout());
    String name = settings.connectionName() == null ? "cob" : settings.connectionName();
    this.presence = new AmqpPresence(factory, name, names);
  }

  /**
   * Connects to the broker of {@code bus.url}, with its query options over the defaults.
   *
   * @throws IllegalArgumentException when the URL or an option is malformed
   * @throws BusException when the broker cannot be reached or refuses the login
   */
  public static AmqpBus connect(String url) {
    AmqpAddress address = AmqpAddress.parse(url);
    return connect(address, AmqpSettings.parse(address.options()));
  }

  /**
   * Connects to a broker and declares the exchanges.
   *
   * @throws BusException when the broker cannot be reached, refuses the login, or the exchanges
   *     cannot be declared
   */
  public static AmqpBus connect(AmqpAddress address, AmqpSettings settings) {
    ConnectionFactory factory = factory(address, settings);
    Connection connection;
    try {
      connection = factory.newConnection(settings.connectionName());
    } catch (IOException | TimeoutException e) {
      throw new BusException("cannot connect to RabbitMQ at " + address + ": " + reason(e), e);
    }
    AmqpBus bus = new AmqpBus(address, settings, connection, factory);
    try {
      bus.declareExchanges();
    } catch (RuntimeException e) {
      bus.close();
      throw e;
    }
    LOG.info(
        "event=bus_connected url={} namespace={} queueType={}",
        address,
        settings.namespace(),
        settings.queueType().name().toLowerCase());
    return bus;
  }

  /** The settings in use. */
  public AmqpSettings settings() {
    return settings;
  }

  /**
   * Whether the connection to the broker is open now: false while the client recovers a lost
   * connection, and after {@link #close()}. For health checks; a send may still fail when it is
   * true.
   */
  public boolean isConnected() {
    return !closed && connection.isOpen();
  }

  @Override
  public void publish(Envelope envelope) {
    requireOpen();
    AMQP.BasicProperties props = AmqpEnvelopeCodec.properties(envelope, true);
    byte[] body = envelope.payload();
    if (envelope.isBroadcast()) {
      publisher.publish(names.broadcastExchange(), "", false, props, body);
      return;
    }
    String target = envelope.targetCloud();
    declareCloud(target);
    try {
      publisher.publish(names.busExchange(), target, true, props, body);
    } catch (BusException e) {
      declaredClouds.remove(target); // the queue may have been deleted: declare it again next time
      throw e;
    }
  }

  @Override
  public void announce(Envelope envelope) {
    requireOpen();
    if (!envelope.isBroadcast()) {
      throw new IllegalArgumentException(
          "announced envelope " + envelope.messageId() + " must not have a target cloud");
    }
    publisher.publish(
        names.announceExchange(),
        "",
        false,
        AmqpEnvelopeCodec.properties(envelope, false),
        envelope.payload());
  }

  @Override
  public void declareCloud(String cloud) {
    requireOpen();
    requireCloudName(cloud);
    if (declaredClouds.contains(cloud)) {
      return;
    }
    synchronized (adminLock) {
      String queue = names.cloudQueue(cloud);
      String dlq = names.deadLetterQueue(cloud);
      admin(
          "declare the queues of cloud " + cloud,
          ch -> {
            ch.queueDeclare(dlq, true, false, false, queueArguments(null, null));
            ch.queueBind(dlq, names.deadLetterExchange(), dlq);
            ch.queueDeclare(
                queue, true, false, false, queueArguments(dlq, settings.maxDeliveries()));
            ch.queueBind(queue, names.busExchange(), cloud);
            ch.queueBind(queue, names.broadcastExchange(), "");
          });
      declaredClouds.add(cloud);
    }
  }

  @Override
  public Subscription subscribe(String cloud, EnvelopeHandler handler) {
    Objects.requireNonNull(handler, "handler");
    declareCloud(cloud);
    AmqpSubscription subscription =
        new AmqpSubscription(
            cloud, names.cloudQueue(cloud), handler, settings, publisher, subscriptions::remove);
    subscription.start(connection);
    subscriptions.add(subscription);
    return subscription;
  }

  @Override
  public Subscription listen(String cloud, EnvelopeHandler handler) {
    requireOpen();
    requireCloudName(cloud);
    AmqpListener listener =
        new AmqpListener(cloud, Objects.requireNonNull(handler, "handler"), subscriptions::remove);
    listener.start(connection, names.announceExchange());
    subscriptions.add(listener);
    return listener;
  }

  @Override
  public Subscription holdPresence(String cloud) {
    requireOpen();
    requireCloudName(cloud);
    return presence.hold(cloud);
  }

  @Override
  public boolean presence(String cloud) {
    requireOpen();
    requireCloudName(cloud);
    return presence.present(cloud);
  }

  @Override
  public void postTakeoverNotice(String cloud, byte[] notice) {
    requireOpen();
    requireNoticeName(cloud);
    presence.post(cloud, notice);
  }

  @Override
  public java.util.Optional<byte[]> takeoverNotice(String cloud) {
    requireOpen();
    requireNoticeName(cloud);
    return presence.read(cloud);
  }

  @Override
  public void clearTakeoverNotice(String cloud) {
    requireOpen();
    requireNoticeName(cloud);
    presence.clear(cloud);
  }

  /**
   * Reads the dead-letter queue without consuming it: the messages are fetched unacknowledged and
   * go back when the temporary channel closes. A cloud without a dead-letter queue has none; a
   * message in it that is no envelope is skipped (and logged).
   */
  @Override
  public List<Envelope> deadLetters(String cloud, int max) {
    requireOpen();
    requireCloudName(cloud);
    String dlq = names.deadLetterQueue(cloud);
    List<Envelope> found = new ArrayList<>();
    if (!exists(dlq)) {
      return found;
    }
    withTemporaryChannel(
        "read the dead letters of " + cloud,
        ch -> {
          GetResponse r;
          while (found.size() < max && (r = ch.basicGet(dlq, false)) != null) {
            try {
              found.add(AmqpEnvelopeCodec.envelope(r.getProps(), r.getBody()));
            } catch (AmqpEnvelopeCodec.MalformedEnvelopeException | IllegalArgumentException e) {
              LOG.info(
                  "event=dead_letter_unreadable queue={} message={} error=\"{}\"",
                  dlq,
                  r.getProps().getMessageId(),
                  e.getMessage());
            }
          }
        });
    return found;
  }

  /** Whether a queue exists (a passive declare of a missing one closes its channel: a spare). */
  private boolean exists(String queue) {
    try (Channel probe = connection.createChannel()) {
      probe.queueDeclarePassive(queue);
      return true;
    } catch (IOException e) {
      if (e.getCause() instanceof ShutdownSignalException s
          && s.getReason() instanceof AMQP.Channel.Close close
          && close.getReplyCode() == AMQP.NOT_FOUND) {
        return false;
      }
      throw new BusException("cannot look for " + queue + " on " + address + ": " + reason(e), e);
    } catch (TimeoutException | AlreadyClosedException e) {
      throw new BusException("cannot look for " + queue + " on " + address + ": " + reason(e), e);
    }
  }

  /**
   * Deletes every queue this bus declared (with their messages) and the exchanges: for tests and
   * for removing a namespace. Other nodes using the namespace lose their queues too.
   */
  public void deleteDeclared() {
    synchronized (adminLock) {
      // The takers from the same copy: each cloud leaves the set once its queues are gone, and
      // the notices the later clouds left about it must go too.
      Set<String> clouds = Set.copyOf(declaredClouds);
      for (String cloud : clouds) {
        admin(
            "delete the queues of " + cloud,
            ch -> {
              ch.queueDelete(names.cloudQueue(cloud));
              ch.queueDelete(names.deadLetterQueue(cloud));
              ch.queueDelete(names.takeoverQueue(cloud));
              for (String taker : clouds) {
                ch.queueDelete(names.takeoverQueue(cloud + "~" + taker));
              }
              ch.queueDelete(names.presenceQueue(cloud));
            });
        declaredClouds.remove(cloud);
      }
      admin(
          "delete the exchanges",
          ch -> {
            ch.exchangeDelete(names.busExchange());
            ch.exchangeDelete(names.broadcastExchange());
            ch.exchangeDelete(names.announceExchange());
            ch.exchangeDelete(names.deadLetterExchange());
          });
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    subscriptions.forEach(Subscription::close);
    presence.close();
    publisher.close();
    try {
      connection.close();
    } catch (IOException | AlreadyClosedException e) {
      LOG.debug("event=bus_close error=\"{}\"", e.toString());
    }
    LOG.info("event=bus_closed url={}", address);
  }

  private void declareExchanges() {
    synchronized (adminLock) {
      admin(
          "declare the exchanges",
          ch -> {
            ch.exchangeDeclare(names.busExchange(), BuiltinExchangeType.DIRECT, true);
            ch.exchangeDeclare(names.broadcastExchange(), BuiltinExchangeType.FANOUT, true);
            ch.exchangeDeclare(names.announceExchange(), BuiltinExchangeType.FANOUT, true);
            ch.exchangeDeclare(names.deadLetterExchange(), BuiltinExchangeType.DIRECT, true);
          });
    }
  }

  private Map<String, Object> queueArguments(String deadLetterQueue, Integer deliveryLimit) {
    Map<String, Object> args = new HashMap<>();
    if (settings.queueType() == AmqpSettings.QueueType.QUORUM) {
      args.put("x-queue-type", "quorum");
      if (deliveryLimit != null) {
        args.put("x-delivery-limit", deliveryLimit);
      }
    }
    if (deadLetterQueue != null) {
      args.put("x-dead-letter-exchange", names.deadLetterExchange());
      args.put("x-dead-letter-routing-key", deadLetterQueue);
    }
    return args;
  }

  private interface ChannelWork {
    void run(Channel channel) throws IOException;
  }

  /**
   * Runs declarations on the long-lived admin channel (so that connection recovery re-declares
   * them), opening a new one when a channel-level error closed it. Under {@link #adminLock}.
   */
  private void admin(String what, ChannelWork work) {
    try {
      if (admin == null || !admin.isOpen()) {
        admin = connection.createChannel();
      }
      work.run(admin);
    } catch (IOException | AlreadyClosedException e) {
      throw new BusException("cannot " + what + " on " + address + ": " + reason(e), e);
    }
  }

  private void withTemporaryChannel(String what, ChannelWork work) {
    try (Channel ch = connection.createChannel()) {
      work.run(ch);
    } catch (IOException | TimeoutException | AlreadyClosedException e) {
      throw new BusException("cannot " + what + " on " + address + ": " + reason(e), e);
    }
  }

  private void requireOpen() {
    if (closed) {
      throw new BusException("the bus to " + address + " is closed");
    }
  }

  /** A notice's name: a cloud's, or a cloud's and its taker's ({@code private~public-b}). */
  private static void requireNoticeName(String name) {
    if (name == null || !name.matches("[A-Za-z0-9._-]+(~[A-Za-z0-9._-]+)?")) {
      throw new IllegalArgumentException(
          "take-over notice name '"
              + name
              + "' must be a cloud name or two joined by '~' (letters, digits, '.', '_', '-')");
    }
  }

  private static void requireCloudName(String cloud) {
    if (cloud == null || !cloud.matches("[A-Za-z0-9._-]+")) {
      throw new IllegalArgumentException(
          "cloud name '" + cloud + "' may hold only letters, digits, '.', '_' and '-'");
    }
  }

  private static ConnectionFactory factory(AmqpAddress address, AmqpSettings settings) {
    ConnectionFactory factory = new ConnectionFactory();
    factory.setHost(address.host());
    factory.setPort(address.port());
    factory.setUsername(address.user());
    factory.setPassword(address.password());
    factory.setVirtualHost(address.vhost());
    factory.setAutomaticRecoveryEnabled(true);
    factory.setTopologyRecoveryEnabled(true);
    factory.setNetworkRecoveryInterval(settings.recoveryInterval().toMillis());
    factory.setRequestedHeartbeat((int) Math.max(1, settings.heartbeat().toSeconds()));
    factory.setConnectionTimeout((int) settings.connectTimeout().toMillis());
    factory.setHandshakeTimeout((int) settings.connectTimeout().toMillis());
    if (address.tls()) {
      try {
        factory.useSslProtocol(SSLContext.getDefault());
      } catch (NoSuchAlgorithmException e) {
        throw new BusException("TLS is not available in this JVM for " + address, e);
      }
      factory.enableHostnameVerification();
    }
    return factory;
  }

  /** The most telling message of an exception chain (the broker's reply text, if any). */
  private static String reason(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    return t == e ? message : e.getClass().getSimpleName() + ": " + message;
  }
}
