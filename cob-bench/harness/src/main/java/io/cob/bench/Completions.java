package io.cob.bench;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Where an engine reports, in the benchmark's JVM, that an instance has ended (after the
 * transaction that ended it committed) and that a no-op step ran. A static singleton because the
 * peers instantiate their listeners and delegates from class names in the model; each engine runs
 * in a JVM of its own, so nothing is shared between engines.
 */
public final class Completions {
  public static final Completions INSTANCE = new Completions();

  private final ConcurrentHashMap<String, Long> endedAt = new ConcurrentHashMap<>();
  private final AtomicLong ended = new AtomicLong();
  private final LongAdder handlerCalls = new LongAdder();
  private volatile long target = Long.MAX_VALUE;
  private volatile CountDownLatch reached = new CountDownLatch(1);
  private volatile long reachedAt;

  private Completions() {}

  /** A no-op step ran (a delegate or a job handler was called). */
  public void handlerCalled() {
    handlerCalls.increment();
  }

  /** The instance with this business key ended; called after the commit. Counted once per key. */
  public void instanceEnded(String businessKey) {
    long now = System.nanoTime();
    if (endedAt.putIfAbsent(businessKey, now) != null) {
      return;
    }
    if (ended.incrementAndGet() == target) {
      reachedAt = now;
      reached.countDown();
    }
  }

  /** Arms {@link #awaitTarget} for the moment {@code total} instances have ended in this JVM. */
  public void expect(long total) {
    reached = new CountDownLatch(1);
    target = total;
    if (ended.get() >= total) {
      reachedAt = System.nanoTime();
      reached.countDown();
    }
  }

  /** Waits for the armed total; returns the {@link System#nanoTime()} it was reached, or -1. */
  public long awaitTarget(Duration timeout) throws InterruptedException {
    return reached.await(timeout.toMillis(), TimeUnit.MILLISECONDS) ? reachedAt : -1;
  }

  public long ended() {
    return ended.get();
  }

  public long handlerCalls() {
    return handlerCalls.sum();
  }

  /** When the instance with this key ended ({@link System#nanoTime()}), or {@code null}. */
  public Long endedAt(String businessKey) {
    return endedAt.get(businessKey);
  }
}
