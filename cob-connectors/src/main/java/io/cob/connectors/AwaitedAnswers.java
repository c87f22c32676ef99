package io.cob.connectors;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiPredicate;

/**
 * What a node remembers about the answers it waits for (replies, device answers), by correlation
 * key, each until the deadline of its job's wait. Thread-safe.
 *
 * <p>An entry stays until its deadline even after its answer came, so that a duplicate answer is
 * routed like the first and refused by the engine as a second completion. Entries live in memory
 * only: after a restart the jobs run again when their locks lapse and register anew.
 *
 * @param <K> the correlation key
 * @param <V> what the connector needs to apply the answer (job key, result variable)
 */
public final class AwaitedAnswers<K, V> {
  private static final Duration PURGE_INTERVAL = Duration.ofSeconds(1);

  private record Entry<V>(V value, Instant until) {}

  private final Map<K, Entry<V>> entries = new ConcurrentHashMap<>();
  private final Clock clock;
  private volatile Instant nextPurge = Instant.MIN;

  public AwaitedAnswers(Clock clock) {
    this.clock = clock;
  }

  /**
   * Waits for the answer with {@code key} for {@code timeout}.
   *
   * @param sameWaiter whether an entry already registered under this key belongs to the same waiter
   *     (e.g. the same job, sent again); only then is it replaced
   * @return the value of another waiter that still holds the key (nothing was registered), or empty
   *     when this one is registered
   */
  public Optional<V> expect(K key, V value, Duration timeout, BiPredicate<V, V> sameWaiter) {
    purgeExpired();
    Instant now = clock.instant();
    AtomicReference<V> other = new AtomicReference<>();
    entries.compute(
        key,
        (k, old) -> {
          if (old != null && old.until().isAfter(now) && !sameWaiter.test(old.value(), value)) {
            other.set(old.value());
            return old;
          }
          return new Entry<>(value, now.plus(timeout));
        });
    return Optional.ofNullable(other.get());
  }

  /** The waiter for {@code key}, also after its answer came, until its deadline. */
  public Optional<V> find(K key) {
    Entry<V> e = entries.get(key);
    return e == null ? Optional.empty() : Optional.of(e.value());
  }

  /** Forgets {@code key} (the request could not be sent). */
  public void forget(K key) {
    entries.remove(key);
  }

  public int size() {
    return entries.size();
  }

  private void purgeExpired() {
    Instant now = clock.instant();
    if (now.isBefore(nextPurge)) {
      return;
    }
    nextPurge = now.plus(PURGE_INTERVAL);
    entries.values().removeIf(e -> !e.until().isAfter(now));
  }
}
