package io.cob.engine.runtime;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Lets external workers wait (long poll) for jobs of a type: every commit that makes jobs of a type
 * available bumps that type's counter and wakes the waiters. Jobs made available by other nodes are
 * not seen here, so waiters also poll the store now and then.
 */
final class JobAvailability {
  private final Map<String, Long> generation = new HashMap<>();

  synchronized void available(String type) {
    generation.merge(type, 1L, Long::sum);
    notifyAll();
  }

  synchronized long generation(String type) {
    return generation.getOrDefault(type, 0L);
  }

  /** Waits until jobs of the type became available after {@code seen}, or the timeout passed. */
  synchronized boolean awaitAfter(String type, long seen, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (generation.getOrDefault(type, 0L) == seen) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      wait(Math.max(1, left / 1_000_000));
    }
    return true;
  }
}
