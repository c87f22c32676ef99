package io.cob.engine.runtime;

import java.time.Duration;

/**
 * Counts the work in flight in a node (queued commands, running jobs) so that callers can wait
 * until the node is idle. Every {@link #begin()} must be matched by one {@link #end()}.
 */
final class WorkTracker {
  private long inFlight;

  synchronized void begin() {
    inFlight++;
  }

  synchronized void end() {
    inFlight--;
    if (inFlight <= 0) {
      notifyAll();
    }
  }

  synchronized boolean idle() {
    return inFlight <= 0;
  }

  /** Waits until nothing is in flight; returns false when the timeout passed first. */
  synchronized boolean awaitIdle(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (inFlight > 0) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      long ms = Math.max(1, left / 1_000_000);
      wait(ms);
    }
    return true;
  }
}
