package io.cob.bus.memory;

import io.cob.engine.port.bus.EnvelopeHandler;
import io.cob.engine.port.bus.EnvelopeHandler.Delivery;
import io.cob.engine.port.bus.Subscription;
import java.time.Duration;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One subscriber of a {@link CloudQueue}: a virtual thread that takes an envelope, calls the
 * handler, and on failure puts the envelope back (or dead-letters it after {@code maxDeliveries}).
 */
final class MemorySubscription implements Subscription {
  private static final Logger LOG = LoggerFactory.getLogger(MemorySubscription.class);
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(30);

  private final CloudQueue queue;
  private final EnvelopeHandler handler;
  private final int maxDeliveries;
  private final Consumer<MemorySubscription> onClose;
  private volatile boolean closed;
  private Thread worker;

  MemorySubscription(
      CloudQueue queue,
      EnvelopeHandler handler,
      int maxDeliveries,
      Consumer<MemorySubscription> onClose) {
    this.queue = queue;
    this.handler = handler;
    this.maxDeliveries = maxDeliveries;
    this.onClose = onClose;
  }

  void start() {
    worker = Thread.ofVirtual().name("cob-bus-memory-" + queue.cloud()).start(this::run);
  }

  @Override
  public String cloud() {
    return queue.cloud();
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    queue.wake();
    onClose.accept(this);
    if (Thread.currentThread() != worker) {
      awaitWorker();
    }
  }

  private void run() {
    try {
      CloudQueue.Pending pending;
      while ((pending = queue.take(() -> closed)) != null) {
        deliver(pending);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void deliver(CloudQueue.Pending pending) {
    int count = pending.deliveries() + 1;
    try {
      handler.handle(pending.envelope(), new Delivery(count, count > 1));
    } catch (Throwable failure) {
      if (count >= maxDeliveries) {
        queue.deadLetter(pending.envelope());
        LOG.warn(
            "event=envelope_dead_lettered cloud={} message={} type={} instance={} deliveries={}"
                + " error=\"{}\"",
            queue.cloud(),
            pending.envelope().messageId(),
            pending.envelope().type(),
            pending.envelope().instanceId(),
            count,
            failure.toString());
      } else {
        queue.requeue(new CloudQueue.Pending(pending.envelope(), count));
        LOG.debug(
            "event=envelope_redelivery cloud={} message={} deliveries={} error=\"{}\"",
            queue.cloud(),
            pending.envelope().messageId(),
            count,
            failure.toString());
      }
      if (failure instanceof VirtualMachineError fatal) {
        throw fatal;
      }
    }
  }

  private void awaitWorker() {
    try {
      if (!worker.join(CLOSE_WAIT)) {
        LOG.warn(
            "event=subscription_close_timeout cloud={} waited={} (a handler is still running)",
            queue.cloud(),
            CLOSE_WAIT);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
