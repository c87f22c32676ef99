package io.cob.demo.services;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.Delivery;
import java.io.IOException;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The appointment scheduler of the claim demo, "in another data centre": it consumes the queue
 * {@value #QUEUE} on an AMQP 0-9-1 broker and answers each request on its {@code reply_to} queue
 * with the request's {@code correlation_id}, as the {@code amqp} connector's request-reply mode
 * expects. The answer is JSON {@code {appointmentId, slot, location}}.
 *
 * <p>One booking per {@code message_id} (the job's idempotency key): a redelivered or re-sent
 * request gets the same appointment ({@link #bookings()}). Requests are acknowledged after the
 * reply was published; the client's consumer thread handles them one at a time.
 */
public final class AppointmentScheduler implements AutoCloseable {
  public static final String QUEUE = "scheduler.appointments";

  private final Connection connection;
  private final Channel channel;
  private final IdempotencyLedger bookings = new IdempotencyLedger();
  private final AtomicInteger appointments = new AtomicInteger();

  /**
   * Connects, declares the queue (durable) and starts consuming.
   *
   * @throws IOException when the broker refuses
   */
  public AppointmentScheduler(String brokerUrl) throws IOException {
    ConnectionFactory factory = new ConnectionFactory();
    try {
      factory.setUri(brokerUrl);
      this.connection = factory.newConnection("cob-demo-scheduler");
    } catch (TimeoutException
        | java.net.URISyntaxException
        | java.security.GeneralSecurityException e) {
      throw new IOException("cannot connect the scheduler to the broker: " + e, e);
    }
    this.channel = connection.createChannel();
    channel.queueDeclare(QUEUE, true, false, false, null);
    channel.basicConsume(QUEUE, false, (tag, delivery) -> answer(delivery), tag -> {});
  }

  /** Bookings per request message id. */
  public IdempotencyLedger bookings() {
    return bookings;
  }

  private void answer(Delivery d) throws IOException {
    AMQP.BasicProperties p = d.getProperties();
    String key = p.getMessageId() == null ? "none" : p.getMessageId();
    Map<String, Object> booking = bookings.apply(key, this::book).result();
    if (p.getReplyTo() != null) {
      AMQP.BasicProperties reply =
          new AMQP.BasicProperties.Builder()
              .correlationId(p.getCorrelationId())
              .contentType("application/json")
              .build();
      channel.basicPublish(
          "", p.getReplyTo(), reply, LoopbackServer.JSON.writeValueAsBytes(booking));
    }
    channel.basicAck(d.getEnvelope().getDeliveryTag(), false);
  }

  private Map<String, Object> book() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("appointmentId", "APT-" + (310 + appointments.incrementAndGet()));
    out.put("slot", LocalDate.now().plusDays(9) + "T09:30");
    out.put("location", "Assessment centre East, room 4");
    return out;
  }

  @Override
  public void close() {
    try {
      connection.close(2_000);
    } catch (IOException | RuntimeException e) {
      // The broker may already be gone at the end of the demo; nothing is left to release.
    }
  }
}
