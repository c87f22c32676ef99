package io.cob.bus.amqp;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.AlreadyClosedException;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import io.cob.engine.port.bus.BusException;
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
 * A listener of announcements: a private, server-named, exclusive queue bound to the announce
 * exchange, consumed with automatic acknowledgement (at most once). The broker deletes the queue
 * when the connection drops; recovery declares a new one, binds it and consumes again, so nothing
 * announced during the outage is received.
 */
final class AmqpListener implements Subscription {
  private static final Logger LOG = LoggerFactory.getLogger(AmqpListener.class);

  private final String cloud;
  private final EnvelopeHandler handler;
  private final Consumer<AmqpListener> onClose;
  private final ReentrantLock inHandler = new ReentrantLock();
  private volatile boolean closed;
  private Channel channel;

  AmqpListener(String cloud, EnvelopeHandler handler, Consumer<AmqpListener> onClose) {
    this.cloud = cloud;
    this.handler = handler;
    this.onClose = onClose;
  }

  void start(Connection connection, String announceExchange) {
    try {
      channel = connection.createChannel();
      String queue = channel.queueDeclare().getQueue();
      channel.queueBind(queue, announceExchange, "");
      channel.basicConsume(queue, true, new Receiver(channel));
    } catch (IOException | AlreadyClosedException e) {
      throw new BusException("cannot listen to " + announceExchange + ": " + e.getMessage(), e);
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
    inHandler.lock();
    try {
      if (channel.isOpen()) {
        channel.close(); // the exclusive queue goes with it
      } else {
        channel.abort(); // while the connection is down: or recovery would revive the listener
      }
    } catch (IOException | TimeoutException | AlreadyClosedException e) {
      LOG.debug("event=listener_close cloud={} error=\"{}\"", cloud, e.toString());
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
          handler.handle(AmqpEnvelopeCodec.envelope(props, body), Delivery.first());
        }
      } catch (Exception e) {
        LOG.warn(
            "event=announcement_lost cloud={} message={} type={} error=\"{}\"",
            cloud,
            props.getMessageId(),
            props.getType(),
            e.toString());
      } finally {
        inHandler.unlock();
      }
    }
  }
}
