package io.cob.bus.amqp;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.AlreadyClosedException;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.Return;
import com.rabbitmq.client.ShutdownSignalException;
import io.cob.engine.port.bus.BusException;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Publishes on one channel in confirm mode and lets each caller wait for the broker's confirm of
 * its own message: many threads share the channel, each publish is a short critical section, and
 * the waits overlap (unlike {@code waitForConfirms}, which waits for everybody's).
 *
 * <p>A publish counts as done only on a positive confirm. A negative confirm, a {@code
 * basic.return} (mandatory message that reached no queue; the broker sends it before the confirm),
 * a closed channel or connection, a blocked connection (resource alarm) and a timeout all throw
 * {@link BusException}: the caller's outbox publishes again. When the channel shuts down, every
 * publish still waiting fails at once. After automatic recovery the channel is in confirm mode
 * again and its sequence numbers restart, so nothing outstanding is carried over.
 *
 * <p>Thread-safe.
 */
final class ConfirmingPublisher implements AutoCloseable {
  private final Connection connection;
  private final Duration confirmTimeout;
  private final ReentrantLock lock = new ReentrantLock();
  private final ConcurrentNavigableMap<Long, Outstanding> outstanding =
      new ConcurrentSkipListMap<>();
  private volatile String blockedReason;
  private Channel channel;

  private record Outstanding(String messageId, CompletableFuture<Void> confirmed) {}

  ConfirmingPublisher(Connection connection, Duration confirmTimeout) {
    this.connection = connection;
    this.confirmTimeout = confirmTimeout;
    connection.addBlockedListener(reason -> blockedReason = reason, () -> blockedReason = null);
  }

  /**
   * Publishes and waits for the broker's confirm.
   *
   * @throws BusException when the broker did not confirm it within the timeout
   */
  void publish(
      String exchange,
      String routingKey,
      boolean mandatory,
      AMQP.BasicProperties properties,
      byte[] body) {
    String blocked = blockedReason;
    if (blocked != null) {
      throw new BusException(
          "RabbitMQ blocks publishing ("
              + blocked
              + "): "
              + properties.getMessageId()
              + " not sent");
    }
    CompletableFuture<Void> confirmed = new CompletableFuture<>();
    lock.lock();
    try {
      Channel ch = channel();
      long seq = ch.getNextPublishSeqNo();
      outstanding.put(seq, new Outstanding(properties.getMessageId(), confirmed));
      try {
        ch.basicPublish(exchange, routingKey, mandatory, properties, body);
      } catch (IOException | AlreadyClosedException e) {
        outstanding.remove(seq);
        throw new BusException(
            "cannot publish " + properties.getMessageId() + " to RabbitMQ: " + e.getMessage(), e);
      }
    } finally {
      lock.unlock();
    }
    await(properties.getMessageId(), confirmed);
  }

  @Override
  public void close() {
    lock.lock();
    try {
      if (channel != null && channel.isOpen()) {
        channel.close();
      }
    } catch (IOException | TimeoutException | AlreadyClosedException e) {
      // closing anyway
    } finally {
      lock.unlock();
    }
    failAll("the bus is closed");
  }

  private void await(String messageId, CompletableFuture<Void> confirmed) {
    try {
      confirmed.get(confirmTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new BusException(
          "RabbitMQ did not confirm " + messageId + " within " + confirmTimeout, e);
    } catch (ExecutionException e) {
      throw new BusException(
          "RabbitMQ did not take " + messageId + ": " + e.getCause().getMessage(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BusException("interrupted waiting for the confirm of " + messageId, e);
    }
  }

  /** The channel, opened on first use and again after a channel-level error. Under the lock. */
  private Channel channel() {
    if (channel != null && channel.isOpen()) {
      return channel;
    }
    if (channel != null && !connection.isOpen()) {
      throw new BusException("the connection to RabbitMQ is lost; reconnecting");
    }
    try {
      Channel ch = connection.createChannel();
      if (ch == null) {
        throw new BusException("RabbitMQ has no channel left on this connection");
      }
      ch.confirmSelect();
      ch.addConfirmListener((tag, multiple) -> settle(tag, multiple, null), this::nacked);
      ch.addReturnListener(this::returned);
      ch.addShutdownListener(this::shutdown);
      channel = ch;
      return ch;
    } catch (IOException | AlreadyClosedException e) {
      throw new BusException("cannot open a RabbitMQ channel: " + e.getMessage(), e);
    }
  }

  private void nacked(long tag, boolean multiple) {
    settle(tag, multiple, "the broker refused it (basic.nack)");
  }

  private void returned(Return r) {
    String id = r.getProperties().getMessageId();
    for (Outstanding o : outstanding.values()) {
      if (o.messageId().equals(id)) {
        o.confirmed()
            .completeExceptionally(
                new BusException(
                    "no queue took it: %s %s (exchange %s, routing key %s)"
                        .formatted(
                            r.getReplyCode(),
                            r.getReplyText(),
                            r.getExchange(),
                            r.getRoutingKey())));
      }
    }
  }

  private void settle(long tag, boolean multiple, String nack) {
    Map<Long, Outstanding> done = multiple ? outstanding.headMap(tag, true) : singleton(tag);
    for (Outstanding o : done.values()) {
      if (nack == null) {
        o.confirmed().complete(null); // no effect when a return already failed it
      } else {
        o.confirmed().completeExceptionally(new BusException(nack));
      }
    }
    done.clear();
  }

  private Map<Long, Outstanding> singleton(long tag) {
    return outstanding.subMap(tag, true, tag, true);
  }

  private void shutdown(ShutdownSignalException cause) {
    failAll("the channel closed: " + cause.getMessage());
  }

  private void failAll(String why) {
    // Entry by entry: a publish registering meanwhile on a recovered channel must not be dropped.
    for (Map.Entry<Long, Outstanding> e : outstanding.entrySet()) {
      if (outstanding.remove(e.getKey(), e.getValue())) {
        e.getValue().confirmed().completeExceptionally(new BusException(why));
      }
    }
  }
}
