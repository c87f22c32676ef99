package io.cob.bus.memory;

import io.cob.engine.port.bus.Envelope;
import io.cob.engine.port.bus.EnvelopeHandler;
import io.cob.engine.port.bus.EnvelopeHandler.Delivery;
import io.cob.engine.port.bus.Subscription;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One listener of announcements: its own queue and virtual thread; each announcement is handed to
 * the handler once, and lost if the handler throws.
 */
final class MemoryListener implements Subscription {
  private static final Logger LOG = LoggerFactory.getLogger(MemoryListener.class);

  private final String cloud;
  private final EnvelopeHandler handler;
  private final Consumer<MemoryListener> onClose;
  private final LinkedBlockingQueue<Envelope> inbox = new LinkedBlockingQueue<>();
  private volatile boolean closed;
  private Thread worker;

  MemoryListener(String cloud, EnvelopeHandler handler, Consumer<MemoryListener> onClose) {
    this.cloud = cloud;
    this.handler = handler;
    this.onClose = onClose;
  }

  void start() {
    worker = Thread.ofVirtual().name("cob-bus-memory-listen-" + cloud).start(this::run);
  }

  void offer(Envelope envelope) {
    if (!closed) {
      inbox.add(envelope);
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
    if (Thread.currentThread() != worker) {
      try {
        worker.join(java.time.Duration.ofSeconds(30));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void run() {
    try {
      while (!closed) {
        Envelope envelope = inbox.poll(100, TimeUnit.MILLISECONDS);
        if (envelope != null && !closed) {
          deliver(envelope);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void deliver(Envelope envelope) {
    try {
      handler.handle(envelope, Delivery.first());
    } catch (Exception e) {
      LOG.warn(
          "event=announcement_lost cloud={} message={} type={} error=\"{}\"",
          cloud,
          envelope.messageId(),
          envelope.type(),
          e.toString());
    }
  }
}
