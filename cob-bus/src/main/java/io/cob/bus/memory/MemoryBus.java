package io.cob.bus.memory;

import io.cob.engine.port.bus.Bus;
import io.cob.engine.port.bus.BusException;
import io.cob.engine.port.bus.Envelope;
import io.cob.engine.port.bus.EnvelopeHandler;
import io.cob.engine.port.bus.Subscription;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArraySet;

/**
 * The {@code memory:} bus: a broker inside one JVM. Several nodes (of one or several clouds) that
 * share one instance talk to each other as through RabbitMQ, with the same guarantees ({@link Bus}
 * contract): per-cloud queues with competing subscribers, redelivery with a delivery count when a
 * handler throws, a dead-letter list per cloud after {@code maxDeliveries}, broadcast to every
 * known cloud, announcements to every listener. Nothing survives the JVM.
 *
 * <p><b>Threads.</b> Each subscription and each listener delivers on its own virtual thread, one
 * envelope at a time; a failed delivery goes back to the end of the cloud's queue.
 *
 * <p><b>Cutting a cloud off.</b> {@link #disconnect(String)} simulates a network partition of one
 * cloud, for tests and the demo: envelopes for it wait in its queue (its subscribers receive
 * nothing), announcements to its listeners are lost, and everything its nodes publish or announce
 * fails with {@link BusException} (the sender is known by {@link Envelope#sourceCloud()}). {@link
 * #reconnect(String)} ends it and the waiting envelopes are delivered.
 *
 * <p>Thread-safe.
 */
public final class MemoryBus implements Bus {
  /** The default number of failed deliveries before an envelope is dead-lettered. */
  public static final int DEFAULT_MAX_DELIVERIES = 5;

  private final int maxDeliveries;
  private final ConcurrentMap<String, CloudQueue> queues = new ConcurrentHashMap<>();
  private final Set<String> disconnected = ConcurrentHashMap.newKeySet();
  private final Set<MemorySubscription> subscriptions = new CopyOnWriteArraySet<>();
  private final Set<MemoryListener> listeners = new CopyOnWriteArraySet<>();
  private volatile boolean closed;

  /** A bus that dead-letters after {@value #DEFAULT_MAX_DELIVERIES} failed deliveries. */
  public MemoryBus() {
    this(DEFAULT_MAX_DELIVERIES);
  }

  /**
   * @param maxDeliveries failed deliveries after which an envelope goes to the dead-letter list (at
   *     least 1)
   */
  public MemoryBus(int maxDeliveries) {
    if (maxDeliveries < 1) {
      throw new IllegalArgumentException(
          "bus maxDeliveries must be at least 1, not " + maxDeliveries);
    }
    this.maxDeliveries = maxDeliveries;
  }

  @Override
  public void publish(Envelope envelope) {
    requireSendable(envelope);
    if (envelope.isBroadcast()) {
      queues.values().forEach(q -> q.offer(envelope));
    } else {
      queue(envelope.targetCloud()).offer(envelope);
    }
  }

  @Override
  public void announce(Envelope envelope) {
    requireSendable(envelope);
    if (!envelope.isBroadcast()) {
      throw new IllegalArgumentException(
          "announced envelope " + envelope.messageId() + " must not have a target cloud");
    }
    for (MemoryListener listener : listeners) {
      if (!disconnected.contains(listener.cloud())) {
        listener.offer(envelope);
      }
    }
  }

  @Override
  public void declareCloud(String cloud) {
    requireOpen();
    queue(cloud);
  }

  @Override
  public Subscription subscribe(String cloud, EnvelopeHandler handler) {
    requireOpen();
    Objects.requireNonNull(handler, "handler");
    MemorySubscription subscription =
        new MemorySubscription(queue(cloud), handler, maxDeliveries, subscriptions::remove);
    subscriptions.add(subscription);
    subscription.start();
    return subscription;
  }

  @Override
  public Subscription listen(String cloud, EnvelopeHandler handler) {
    requireOpen();
    requireCloudName(cloud);
    MemoryListener listener =
        new MemoryListener(cloud, Objects.requireNonNull(handler, "handler"), listeners::remove);
    listeners.add(listener);
    listener.start();
    return listener;
  }

  @Override
  public List<Envelope> deadLetters(String cloud, int max) {
    CloudQueue queue = queues.get(cloud);
    return queue == null ? List.of() : queue.deadLetters(max);
  }

  /** Presence marks: holders per cloud. */
  private final Map<String, java.util.concurrent.atomic.AtomicInteger> presence =
      new ConcurrentHashMap<>();

  /** Take-over notices per cloud. */
  private final Map<String, byte[]> notices = new ConcurrentHashMap<>();

  /**
   * Holds the presence mark of {@code cloud} for a node of {@code cloud}. The mark counts while the
   * cloud is not cut off: cutting a cloud off drops its marks, as a broker drops a dead
   * connection's queue, and they do not come back with {@link #reconnect}.
   */
  @Override
  public Subscription holdPresence(String cloud) {
    requireOpen();
    requireCloudName(cloud);
    if (disconnected.contains(cloud)) {
      throw new BusException("cloud " + cloud + " is cut off from the bus: no presence held");
    }
    java.util.concurrent.atomic.AtomicInteger holders =
        presence.computeIfAbsent(cloud, c -> new java.util.concurrent.atomic.AtomicInteger());
    holders.incrementAndGet();
    java.util.concurrent.atomic.AtomicBoolean released =
        new java.util.concurrent.atomic.AtomicBoolean();
    return new Subscription() {
      @Override
      public String cloud() {
        return cloud;
      }

      @Override
      public void close() {
        if (released.compareAndSet(false, true)) {
          holders.updateAndGet(n -> Math.max(0, n - 1));
        }
      }
    };
  }

  /** Whether {@code cloud} has a presence mark now; the asking cloud must not be cut off. */
  public boolean presence(String askingCloud, String cloud) {
    requireOpen();
    if (askingCloud != null && disconnected.contains(askingCloud)) {
      throw new BusException("cloud " + askingCloud + " is cut off from the bus");
    }
    java.util.concurrent.atomic.AtomicInteger holders = presence.get(cloud);
    return holders != null && holders.get() > 0 && !disconnected.contains(cloud);
  }

  @Override
  public boolean presence(String cloud) {
    return presence(null, cloud);
  }

  @Override
  public void postTakeoverNotice(String cloud, byte[] notice) {
    requireOpen();
    notices.put(cloud, notice.clone());
  }

  @Override
  public java.util.Optional<byte[]> takeoverNotice(String cloud) {
    requireOpen();
    return java.util.Optional.ofNullable(notices.get(cloud)).map(byte[]::clone);
  }

  @Override
  public void clearTakeoverNotice(String cloud) {
    requireOpen();
    notices.remove(cloud);
  }

  /** Cuts a cloud off the bus until {@link #reconnect}: see the class comment. Idempotent. */
  public void disconnect(String cloud) {
    disconnected.add(cloud);
    // The broker notices the dead connections and drops their presence marks.
    // (holds taken before count on the old counter, which is gone)
    presence.remove(cloud);
    queue(cloud).connected(false);
  }

  /** Ends {@link #disconnect}: the envelopes that waited are delivered. Idempotent. */
  public void reconnect(String cloud) {
    disconnected.remove(cloud);
    queue(cloud).connected(true);
  }

  /** Whether a cloud is cut off now. */
  public boolean isDisconnected(String cloud) {
    return disconnected.contains(cloud);
  }

  /** How many envelopes wait in a cloud's queue (not counting those in a handler now). */
  public int queued(String cloud) {
    CloudQueue queue = queues.get(cloud);
    return queue == null ? 0 : queue.size();
  }

  /** Stops every subscription and listener; later sends fail. Idempotent. */
  @Override
  public void close() {
    closed = true;
    subscriptions.forEach(MemorySubscription::close);
    listeners.forEach(MemoryListener::close);
  }

  private CloudQueue queue(String cloud) {
    requireCloudName(cloud);
    return queues.computeIfAbsent(cloud, CloudQueue::new);
  }

  private void requireSendable(Envelope envelope) {
    Objects.requireNonNull(envelope, "envelope");
    requireOpen();
    if (disconnected.contains(envelope.sourceCloud())) {
      throw new BusException(
          "cloud "
              + envelope.sourceCloud()
              + " is cut off from the bus: envelope "
              + envelope.messageId()
              + " not sent");
    }
  }

  private void requireOpen() {
    if (closed) {
      throw new BusException("the memory bus is closed");
    }
  }

  private static void requireCloudName(String cloud) {
    if (cloud == null || cloud.isBlank()) {
      throw new IllegalArgumentException("cloud name is missing");
    }
  }
}
