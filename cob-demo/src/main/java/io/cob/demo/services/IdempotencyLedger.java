package io.cob.demo.services;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What a service did per idempotency key: how many requests carried the key and how many times the
 * effect (a charge, a payout plan, a booking) was applied. A well-behaved caller and service give
 * one effect per key however many requests there were. Thread-safe.
 */
public final class IdempotencyLedger {
  /** The tally of one key. */
  public record Tally(int requests, int effects) {}

  private final Map<String, Tally> byKey = new LinkedHashMap<>();
  private final Map<String, Object> results = new LinkedHashMap<>();

  /**
   * Records a request with {@code key}: the first one applies {@code effect} and keeps its result,
   * later ones return that result without applying anything.
   *
   * @return the result, and whether this request was a replay of an earlier one
   */
  public synchronized <T> Outcome<T> apply(String key, Supplier<T> effect) {
    Tally t = byKey.getOrDefault(key, new Tally(0, 0));
    boolean replay = results.containsKey(key);
    if (!replay) {
      results.put(key, effect.get());
      t = new Tally(t.requests() + 1, t.effects() + 1);
    } else {
      t = new Tally(t.requests() + 1, t.effects());
    }
    byKey.put(key, t);
    @SuppressWarnings("unchecked")
    T result = (T) results.get(key);
    return new Outcome<>(result, replay);
  }

  /** The result and whether it was replayed. */
  public record Outcome<T>(T result, boolean replayed) {}

  /** A copy of the tallies, by key in the order first seen. */
  public synchronized Map<String, Tally> tallies() {
    return new LinkedHashMap<>(byKey);
  }
}
