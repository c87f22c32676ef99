package io.cob.bench.failover;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * Samples the owner's replication lag towards its standby at a fixed interval: {@code
 * replication.lagMs} of the standby in the owner's {@code GET /api/v1/clouds}, the age of the
 * oldest event the owner shipped there and has not had acknowledged (0 when none is pending). A
 * sample is thus the longest any event then in transit had been waiting, measured at the owner,
 * round trip of the acknowledgement included.
 */
final class LagSampler implements AutoCloseable {
  static final Duration INTERVAL = Duration.ofMillis(100);

  private final NodeApi owner;
  private final String standby;
  private final List<Double> samples = new ArrayList<>();
  private final Thread thread;
  private volatile boolean running = true;
  private volatile RuntimeException failure;

  LagSampler(NodeApi owner, String standby) {
    this.owner = owner;
    this.standby = standby;
    this.thread = Thread.ofPlatform().daemon().name("lag-sampler").start(this::run);
  }

  private void run() {
    long next = System.nanoTime();
    while (running) {
      try {
        double lag = owner.lagMs(standby);
        if (lag < 0) {
          throw new IllegalStateException(
              "the owner reports no replication towards " + standby + " in GET /api/v1/clouds");
        }
        synchronized (samples) {
          samples.add(lag);
        }
      } catch (RuntimeException e) {
        if (running) {
          failure = e;
        }
        return;
      }
      next += INTERVAL.toNanos();
      LockSupport.parkNanos(Math.max(0, next - System.nanoTime()));
    }
  }

  /** Stops sampling (before the owner is killed) and answers the samples, in ms. */
  List<Double> stop() throws InterruptedException {
    running = false;
    thread.join(60_000);
    if (failure != null) {
      throw new IllegalStateException("sampling the replication lag failed: " + failure, failure);
    }
    synchronized (samples) {
      return List.copyOf(samples);
    }
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    thread.join(60_000);
  }
}
