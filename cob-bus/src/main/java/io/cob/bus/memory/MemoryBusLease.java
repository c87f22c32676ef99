package io.cob.bus.memory;

import io.cob.bus.BusKeys;
import io.cob.engine.port.bus.Bus;
import io.cob.engine.port.bus.BusException;
import io.cob.engine.port.bus.Envelope;
import io.cob.engine.port.bus.EnvelopeHandler;
import io.cob.engine.port.bus.Subscription;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * One node's use of a shared in-memory broker ({@link MemoryBrokers#lease}): a {@link Bus} that
 * passes everything to the broker, and whose {@link #close()} stops only the subscriptions and
 * listeners made through it and then releases the broker, which other nodes of the JVM may still
 * use. The broker itself closes with its last lease.
 *
 * <p>Thread-safe.
 */
public final class MemoryBusLease implements Bus {
  private static final String KEY_LABEL = "cob memory bus envelope key ";

  private final String name;
  private final MemoryBus broker;
  private final byte[] secret;
  private final Runnable release;
  private final Set<Subscription> open = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean closed = new AtomicBoolean();

  MemoryBusLease(String name, MemoryBus broker, byte[] secret, Runnable release) {
    this.name = name;
    this.broker = broker;
    this.secret = secret;
    this.release = release;
  }

  /** The broker's name ({@code ""} for {@code memory:}). */
  public String name() {
    return name;
  }

  /** The shared broker, to cut clouds off in tests and the demo. */
  public MemoryBus broker() {
    return broker;
  }

  /**
   * The envelope keys of every pair of these clouds (each with itself included), derived from the
   * broker's secret: every lease of the same broker derives the same key for the same pair, so the
   * nodes of one JVM verify each other without configured keys, and nothing outside the JVM knows
   * them. A cloud left out of {@code clouds} shares no key with anyone.
   */
  public BusKeys keys(Collection<String> clouds) {
    List<String> names = new ArrayList<>(new TreeSet<>(clouds));
    Map<String, byte[]> keys = new TreeMap<>();
    for (int i = 0; i < names.size(); i++) {
      for (int j = i; j < names.size(); j++) {
        String pair = names.get(i) + "|" + names.get(j);
        keys.put(pair, derive(pair));
      }
    }
    return BusKeys.of(keys);
  }

  /** Whether this node's cloud can use the broker now (not closed, not cut off). */
  public boolean isConnected(String cloud) {
    return !closed.get() && !broker.isDisconnected(cloud);
  }

  @Override
  public void publish(Envelope envelope) {
    requireOpen();
    broker.publish(envelope);
  }

  @Override
  public void declareCloud(String cloud) {
    requireOpen();
    broker.declareCloud(cloud);
  }

  @Override
  public Subscription subscribe(String cloud, EnvelopeHandler handler) {
    requireOpen();
    return track(broker.subscribe(cloud, handler));
  }

  @Override
  public void announce(Envelope envelope) {
    requireOpen();
    broker.announce(envelope);
  }

  @Override
  public Subscription listen(String cloud, EnvelopeHandler handler) {
    requireOpen();
    return track(broker.listen(cloud, handler));
  }

  @Override
  public List<Envelope> deadLetters(String cloud, int max) {
    return broker.deadLetters(cloud, max);
  }

  /**
   * The cloud this node holds the presence of, once it does: its presence questions come from it.
   */
  private volatile String presenceCloud;

  @Override
  public Subscription holdPresence(String cloud) {
    requireOpen();
    presenceCloud = cloud;
    return track(broker.holdPresence(cloud));
  }

  @Override
  public boolean presence(String cloud) {
    requireOpen();
    return broker.presence(presenceCloud, cloud);
  }

  @Override
  public void postTakeoverNotice(String cloud, byte[] notice) {
    requireOpen();
    if (presenceCloud != null && broker.isDisconnected(presenceCloud)) {
      throw new BusException("cloud " + presenceCloud + " is cut off from the bus");
    }
    broker.postTakeoverNotice(cloud, notice);
  }

  @Override
  public java.util.Optional<byte[]> takeoverNotice(String cloud) {
    requireOpen();
    if (presenceCloud != null && broker.isDisconnected(presenceCloud)) {
      throw new BusException("cloud " + presenceCloud + " is cut off from the bus");
    }
    return broker.takeoverNotice(cloud);
  }

  @Override
  public void clearTakeoverNotice(String cloud) {
    requireOpen();
    broker.clearTakeoverNotice(cloud);
  }

  /** Stops this lease's subscriptions and listeners and releases the broker. Idempotent. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      open.forEach(Subscription::close);
      release.run();
    }
  }

  private Subscription track(Subscription subscription) {
    Subscription tracked =
        new Subscription() {
          @Override
          public String cloud() {
            return subscription.cloud();
          }

          @Override
          public void close() {
            open.remove(this);
            subscription.close();
          }
        };
    open.add(tracked);
    if (closed.get()) {
      // The lease closed while this was being set up: do not leave it running.
      tracked.close();
      requireOpen();
    }
    return tracked;
  }

  private void requireOpen() {
    if (closed.get()) {
      throw new BusException("this node's lease on the memory bus '" + name + "' is closed");
    }
  }

  private byte[] derive(String pair) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      return mac.doFinal((KEY_LABEL + pair).getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
    }
  }
}
