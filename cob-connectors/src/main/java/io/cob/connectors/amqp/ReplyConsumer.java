package io.cob.connectors.amqp;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.Delivery;
import com.rabbitmq.client.ShutdownSignalException;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes a node's durable reply queue with manual acknowledgements.
 *
 * <p>A reply is acknowledged only after {@code onReply} returned, i.e. after its outcome was
 * applied to the job or refused as a duplicate; a crash before that leaves it in the queue for the
 * next consumer. A reply whose handling throws is returned to the queue once (the engine may have
 * been briefly unavailable) and dropped with a warning the second time, so that one bad reply
 * cannot loop; its job then runs again when its lock lapses.
 *
 * <p>The client's automatic recovery re-declares the queue and restores the consumer after a
 * connection failure. Replies are handled one at a time on the client's consumer thread.
 */
final class ReplyConsumer {
  private static final Logger LOG = LoggerFactory.getLogger(ReplyConsumer.class);
  private static final int PREFETCH = 16;

  /** A reply as received: its properties and body. */
  record Reply(AMQP.BasicProperties properties, byte[] body, boolean redelivered) {}

  private final Channel channel;
  private final String queue;

  private ReplyConsumer(Channel channel, String queue) {
    this.channel = channel;
    this.queue = queue;
  }

  /**
   * Declares the queue (durable; removed by the broker once no one consumed it for {@code expiry})
   * and consumes it.
   */
  static ReplyConsumer start(
      Connection connection, String queue, Duration expiry, Consumer<Reply> onReply)
      throws IOException {
    Channel channel = connection.createChannel();
    try {
      // x-expires: a node that is gone for good (e.g. a `cob run`) leaves no queue behind.
      channel.queueDeclare(queue, true, false, false, Map.of("x-expires", expiry.toMillis()));
      channel.basicQos(PREFETCH);
      ReplyConsumer consumer = new ReplyConsumer(channel, queue);
      channel.basicConsume(
          queue,
          false,
          (tag, delivery) -> consumer.handle(delivery, onReply),
          tag -> LOG.warn("event=amqp_reply_consumer_canceled queue={}", queue));
      LOG.info("event=amqp_reply_queue_consumed queue={}", queue);
      return consumer;
    } catch (IOException | RuntimeException e) {
      closeQuietly(channel);
      throw e;
    }
  }

  private void handle(Delivery d, Consumer<Reply> onReply) throws IOException {
    long tag = d.getEnvelope().getDeliveryTag();
    boolean redelivered = d.getEnvelope().isRedeliver();
    try {
      onReply.accept(new Reply(d.getProperties(), d.getBody(), redelivered));
    } catch (RuntimeException e) {
      LOG.warn(
          "event=amqp_reply_failed queue={} correlation={} redelivered={} action={} error={}",
          queue,
          d.getProperties().getCorrelationId(),
          redelivered,
          redelivered ? "dropped" : "requeued",
          e.toString());
      channel.basicNack(tag, false, !redelivered);
      return;
    }
    channel.basicAck(tag, false);
  }

  void close() {
    closeQuietly(channel);
  }

  private static void closeQuietly(Channel channel) {
    try {
      if (channel.isOpen()) {
        channel.close();
      }
    } catch (IOException | java.util.concurrent.TimeoutException | ShutdownSignalException e) {
      LOG.debug("event=amqp_channel_close_failed error={}", e.toString());
    }
  }
}
