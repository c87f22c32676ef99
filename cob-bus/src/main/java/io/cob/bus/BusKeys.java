package io.cob.bus;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The HMAC-SHA256 keys that sign envelopes, one per <b>unordered</b> pair of clouds: the key of
 * {@code private|public-a} signs what {@code private} sends to {@code public-a} and what {@code
 * public-a} sends to {@code private}. One key per pair is enough because the signature covers the
 * source and the target cloud, so an envelope cannot be reflected back or redirected without
 * breaking it; and it halves what operators must distribute. Traffic inside one cloud (a broadcast
 * reaching the sender's own cloud, heartbeats between its nodes) needs the pair {@code a|a}.
 *
 * <p>Configured as {@code bus.keys} in {@code cob.yaml}: a map from {@code "a|b"} to a base64 key
 * of at least 32 bytes ({@code openssl rand -base64 32}). Immutable and thread-safe; {@link
 * #toString()} never shows key material.
 */
public final class BusKeys {
  /** The smallest key accepted, in bytes: the HMAC-SHA256 output length (RFC 2104 §3). */
  public static final int MIN_KEY_BYTES = 32;

  private static final String ALGORITHM = "HmacSHA256";

  private final Map<String, SecretKey> byPair;

  private BusKeys(Map<String, SecretKey> byPair) {
    this.byPair = Collections.unmodifiableMap(byPair);
  }

  /** No keys: every envelope is refused as an unknown pair. */
  public static BusKeys none() {
    return new BusKeys(Map.of());
  }

  /**
   * Reads {@code bus.keys}: pair {@code "a|b"} (either order) to base64 key (standard or URL-safe
   * alphabet).
   *
   * @throws IllegalArgumentException naming the entry when a pair is malformed, a key is not base64
   *     or shorter than {@link #MIN_KEY_BYTES}, or one pair is given twice (as {@code a|b} and
   *     {@code b|a})
   */
  public static BusKeys parse(Map<String, String> base64ByPair) {
    Map<String, SecretKey> keys = new TreeMap<>();
    base64ByPair.forEach(
        (pair, base64) -> {
          String name = pairName(pair);
          byte[] key = decode(pair, base64);
          if (keys.put(name, new SecretKeySpec(key, ALGORITHM)) != null) {
            throw new IllegalArgumentException(
                "bus.keys '" + pair + "': the pair " + name + " is given twice");
          }
        });
    return new BusKeys(keys);
  }

  /** Builds keys from raw bytes, for tests and generated set-ups; same rules as {@link #parse}. */
  public static BusKeys of(Map<String, byte[]> rawByPair) {
    Map<String, String> encoded = new TreeMap<>();
    rawByPair.forEach((pair, key) -> encoded.put(pair, Base64.getEncoder().encodeToString(key)));
    return parse(encoded);
  }

  /**
   * Fresh random keys for every pair of these clouds, each cloud with itself included: for an
   * embedded installation whose clouds all live in one JVM ({@code memory:} bus, {@code cob demo}),
   * where nobody needs to configure keys. Never use it across processes: each would have other
   * keys.
   */
  public static BusKeys random(Collection<String> clouds) {
    SecureRandom random = new SecureRandom();
    List<String> names = new ArrayList<>(new TreeSet<>(clouds));
    Map<String, byte[]> keys = new TreeMap<>();
    for (int i = 0; i < names.size(); i++) {
      for (int j = i; j < names.size(); j++) {
        byte[] key = new byte[MIN_KEY_BYTES];
        random.nextBytes(key);
        keys.put(names.get(i) + "|" + names.get(j), key);
      }
    }
    return of(keys);
  }

  /** The key shared by two clouds (in either order), if configured. */
  public Optional<SecretKey> key(String cloudA, String cloudB) {
    return Optional.ofNullable(byPair.get(canonical(cloudA, cloudB)));
  }

  /** Every cloud that shares a key with this one (itself included when {@code a|a} is given). */
  public Set<String> peersOf(String cloud) {
    Set<String> peers = new TreeSet<>();
    for (String pair : byPair.keySet()) {
      int bar = pair.indexOf('|');
      String a = pair.substring(0, bar);
      String b = pair.substring(bar + 1);
      if (a.equals(cloud)) {
        peers.add(b);
      }
      if (b.equals(cloud)) {
        peers.add(a);
      }
    }
    return peers;
  }

  /** The configured pairs, in canonical form ({@code a|b} with {@code a <= b}). */
  public Set<String> pairs() {
    return byPair.keySet();
  }

  @Override
  public String toString() {
    return "BusKeys" + byPair.keySet();
  }

  /** The name of the unordered pair: the two cloud names sorted, joined by {@code |}. */
  static String canonical(String a, String b) {
    return a.compareTo(b) <= 0 ? a + "|" + b : b + "|" + a;
  }

  private static String pairName(String pair) {
    String[] parts = pair == null ? new String[0] : pair.split("\\|", -1);
    if (parts.length != 2 || parts[0].isBlank() || parts[1].isBlank()) {
      throw new IllegalArgumentException(
          "bus.keys '"
              + pair
              + "': expected two cloud names separated by '|', e.g. 'private|public-a'");
    }
    return canonical(parts[0].strip(), parts[1].strip());
  }

  private static byte[] decode(String pair, String base64) {
    if (base64 == null || base64.isBlank()) {
      throw new IllegalArgumentException("bus.keys '" + pair + "': the key is empty");
    }
    byte[] key;
    try {
      String text = base64.strip();
      key =
          text.indexOf('-') >= 0 || text.indexOf('_') >= 0
              ? Base64.getUrlDecoder().decode(text)
              : Base64.getDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "bus.keys '" + pair + "': the key is not base64 (" + e.getMessage() + ")");
    }
    if (key.length < MIN_KEY_BYTES) {
      throw new IllegalArgumentException(
          "bus.keys '%s': the key has %d bytes, at least %d are needed (openssl rand -base64 32)"
              .formatted(pair, key.length, MIN_KEY_BYTES));
    }
    return key;
  }
}
