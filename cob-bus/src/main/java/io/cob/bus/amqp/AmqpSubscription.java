package io.cob.bus.amqp;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.AlreadyClosedException;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import io.cob.bus.amqp.AmqpEnvelopeCodec.MalformedEnvelopeException;
import io.cob.engine.port.bus.BusException;
import io.cob.engine.port.bus.Envelope;
import io.cob.engine.port.bus.EnvelopeHandler;
import io.cob.engine.port.bus.EnvelopeHandler.Delivery;
import io.cob.engine.port.bus.Subscription;
import java.io.IOException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A consumer of one cloud queue on its own channel (prefetch {@code prefetch}, manual
 * acknowledgements). The client calls it one delivery at a time; it acknowledges after the handler
 * returns. When the handler throws it counts the delivery: below {@code maxDeliveries} the envelope
 * goes back to the queue (quorum: {@code basic.nack} with requeue, the broker counts in {@code
 * x-delivery-count}; classic: re-published with the count in {@code cob-deliveries}, then
 * acknowledged, since a classic queue does not count), at {@code maxDeliveries} it is rejected and
 * the broker dead-letters it. A message that is no envelope at all is dead-lettered at once.
 *
 * <p>The channel is recovered with the connection; deliveries that were not acknowledged before a
 * connection loss are redelivered by the broker (acknowledgements of the lost channel are dropped
 * by the client).
 */
final class AmqpSubscription implements Subscription {
  private static final Logger LOG = LoggerFactory.getLogger(AmqpSubscription.class);

  private final String cloud;
  private final String queue;
  private final EnvelopeHandler handler;
  private final AmqpSettings settings;
  private final ConfirmingPublisher publisher;
  private final Consumer<AmqpSubscription> onClose;
  private final ReentrantLock inHandler = new ReentrantLock();
  private volatile boolean closed;
  private Channel channel;
  private String consumerTag;

  AmqpSubscription(
      String cloud,
      String queue,
      EnvelopeHandler handler,
      AmqpSettings settings,
      ConfirmingPublisher publisher,
      Consumer<AmqpSubscription> onClose) {
    this.cloud = cloud;
    this.queue = queue;
    this.handler = handler;
    this.settings = settings;
    this.publisher = publisher;
    this.onClose = onClose;
  }

  void start(Connection connection) {
    try {
      channel = connection.createChannel();
      channel.basicQos(settings.prefetch());
      consumerTag = channel.basicConsume(queue, false, new Receiver(channel));
    } catch (IOException | AlreadyClosedException e) {
      throw new BusException("cannot subscribe to " + queue + ": " + e.getMessage(), e);
    }
  }

  @Override
  public String cloud() {
    return cloud;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    onClose.accept(this);
    // Waits for a handler that is running (the lock is re-entrant: closing from the handler works).
    inHandler.lock();
    try {
      if (channel.isOpen()) {
        channel.basicCancel(consumerTag);
        channel.close(); // what was prefetched and not acknowledged goes back to the queue
      } else {
        // While the connection is down: forget the channel, or recovery would revive the consumer.
        channel.abort();
      }
    } catch (IOException | TimeoutException | AlreadyClosedException e) {
      LOG.debug("event=subscription_close cloud={} error=\"{}\"", cloud, e.toString());
    } finally {
      inHandler.unlock();
    }
  }

  private final class Receiver extends DefaultConsumer {
    Receiver(Channel channel) {
      super(channel);
    }

    @Override
    public void handleDelivery(
        String tag, com.rabbitmq.client.Envelope amqp, AMQP.BasicProperties props, byte[] body) {
      inHandler.lock();
      try {
        if (!closed) {
          deliver(amqp, props, body);
        }
      } finally {
        inHandler.unlock();
      }
    }
  }

  private void deliver(com.rabbitmq.client.Envelope amqp, AMQP.BasicProperties props, byte[] body) {
    long tag = amqp.getDeliveryTag();
    Envelope envelope;
    try {
      envelope = AmqpEnvelopeCodec.envelope(props, body);
    } catch (MalformedEnvelopeException | IllegalArgumentException e) {
      LOG.warn(
          "event=envelope_malformed cloud={} message={} error=\"{}\" (dead-lettered)",
          cloud,
          props.getMessageId(),
          e.getMessage());
      settle(() -> channel.basicReject(tag, false), props);
      return;
    }
    int count = deliveryCount(props);
    try {
      handler.handle(envelope, new Delivery(count, amqp.isRedeliver() || count > 1));
      settle(() -> channel.basicAck(tag, false), props);
    } catch (Throwable failure) {
      failed(tag, props, body, envelope, count, failure);
      if (failure instanceof VirtualMachineError fatal) {
        throw fatal;
      }
    }
  }

  private void failed(
      long tag,
      AMQP.BasicProperties props,
      byte[] body,
      Envelope envelope,
      int count,
      Throwable failure) {
    if (count >= settings.maxDeliveries()) {
      LOG.warn(
          "event=envelope_dead_lettered cloud={} message={} type={} instance={} deliveries={}"
              + " error=\"{}\"",
          cloud,
          envelope.messageId(),
          envelope.type(),
          envelope.instanceId(),
          count,
          failure.toString());
      settle(() -> channel.basicReject(tag, false), props);
      return;
    }
    LOG.debug(
        "event=envelope_redelivery cloud={} message={} deliveries={} error=\"{}\"",
        cloud,
        envelope.messageId(),
        count,
        failure.toString());
    if (settings.queueType() == AmqpSettings.QueueType.QUORUM) {
      settle(() -> channel.basicNack(tag, false, true), props);
      return;
    }
    try {
      publisher.publish(
          "",
          queue,
          true,
          AmqpEnvelopeCodec.withHeader(props, AmqpEnvelopeCodec.DELIVERIES, (long) count),
          body);
      settle(() -> channel.basicAck(tag, false), props);
    } catch (BusException e) {
      // Not counted this time, but not lost either.
      settle(() -> channel.basicNack(tag, false, true), props);
    }
  }

  private int deliveryCount(AMQP.BasicProperties props) {
    String header =
        settings.queueType() == AmqpSettings.QueueType.QUORUM
            ? AmqpEnvelopeCodec.QUORUM_DELIVERY_COUNT
            : AmqpEnvelopeCodec.DELIVERIES;
    return (int) Math.min(Integer.MAX_VALUE - 1, AmqpEnvelopeCodec.count(props, header)) + 1;
  }

  private interface ChannelCall {
    void run() throws IOException;
  }

  /** Acknowledges or rejects; if the channel is gone the broker redelivers anyway. */
  private void settle(ChannelCall call, AMQP.BasicProperties props) {
    try {
      call.run();
    } catch (IOException | AlreadyClosedException e) {
      LOG.info(
          "event=ack_lost cloud={} message={} error=\"{}\" (the broker will redeliver)",
          cloud,
          props.getMessageId(),
          e.toString());
    }
  }
}
