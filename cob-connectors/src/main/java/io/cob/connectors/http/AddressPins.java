package io.cob.connectors.http;

import java.net.InetAddress;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Host names pinned to the addresses {@link OutboundPolicy} checked, for the length of a call: the
 * JVM's name lookups ({@link PinnedAddressResolver}) answer a pinned name with those addresses, so
 * the HTTP client connects to exactly what was checked even when the name's DNS answer has changed
 * since (DNS rebinding). Other names, and pinned ones once released, resolve as usual.
 *
 * <p>Thread-safe. Calls to one name may overlap; the name stays pinned until the last is released,
 * to the addresses of the first (a later check of the same name got them from the JVM's cache).
 */
public final class AddressPins {
  private record Pin(List<InetAddress> addresses, int holders) {}

  private static final Map<String, Pin> PINS = new ConcurrentHashMap<>();

  private AddressPins() {}

  /** A pin to release when the call is over. */
  public interface Held extends AutoCloseable {
    @Override
    void close();
  }

  /** Pins {@code host} to {@code addresses} until the returned pin is closed. */
  public static Held pin(String host, List<InetAddress> addresses) {
    String key = host.toLowerCase(Locale.ROOT);
    PINS.compute(
        key,
        (k, p) ->
            p == null
                ? new Pin(List.copyOf(addresses), 1)
                : new Pin(p.addresses(), p.holders() + 1));
    return () ->
        PINS.computeIfPresent(
            key, (k, p) -> p.holders() <= 1 ? null : new Pin(p.addresses(), p.holders() - 1));
  }

  /** The addresses {@code host} is pinned to, or {@code null}. */
  static List<InetAddress> pinned(String host) {
    Pin p = PINS.get(host.toLowerCase(Locale.ROOT));
    return p == null ? null : p.addresses();
  }
}
