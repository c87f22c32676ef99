package io.cob.bus.memory;

import java.security.SecureRandom;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The in-memory brokers of this JVM, by name: what {@code bus.url: memory:} (the unnamed broker,
 * name {@code ""}) and {@code memory:NAME} point at. Every node of the JVM that leases the same
 * name talks to the same {@link MemoryBus}, so several nodes of several clouds in one JVM (the
 * embedded demo, tests) form one bus; separate names are separate brokers that never hear each
 * other.
 *
 * <p>A broker exists while at least one {@linkplain #lease lease} on it is open: the first lease
 * makes it, with a fresh random secret from which the envelope keys of its clouds are derived
 * ({@link MemoryBusLease#keys}); closing the last one closes it and forgets it, so that a later
 * lease starts with an empty broker, as a fresh JVM would.
 *
 * <p>Thread-safe.
 */
public final class MemoryBrokers {
  private static final int SECRET_BYTES = 32;
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Map<String, Broker> OPEN = new HashMap<>();

  private MemoryBrokers() {}

  /**
   * Opens a lease on the named broker, making the broker if none is open under that name.
   *
   * @param name the broker's name; {@code ""} for {@code memory:}
   */
  public static synchronized MemoryBusLease lease(String name) {
    if (name == null) {
      throw new IllegalArgumentException("memory broker name is missing (use \"\" for memory:)");
    }
    Broker broker =
        OPEN.computeIfAbsent(
            name,
            n -> {
              byte[] secret = new byte[SECRET_BYTES];
              RANDOM.nextBytes(secret);
              return new Broker(new MemoryBus(), secret);
            });
    broker.leases++;
    return new MemoryBusLease(name, broker.bus, broker.secret, () -> release(name, broker));
  }

  /**
   * The broker of that name while a lease on it is open, to {@linkplain MemoryBus#disconnect cut a
   * cloud off} in tests and the demo.
   */
  public static synchronized Optional<MemoryBus> find(String name) {
    Broker broker = OPEN.get(name);
    return broker == null ? Optional.empty() : Optional.of(broker.bus);
  }

  private static synchronized void release(String name, Broker broker) {
    broker.leases--;
    if (broker.leases == 0 && OPEN.get(name) == broker) {
      OPEN.remove(name);
      broker.bus.close();
    }
  }

  /** A broker and how many leases hold it. Guarded by the class lock. */
  private static final class Broker {
    final MemoryBus bus;
    final byte[] secret;
    int leases;

    Broker(MemoryBus bus, byte[] secret) {
      this.bus = bus;
      this.secret = secret;
    }
  }
}
