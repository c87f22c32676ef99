package io.cob.bus.memory;

import io.cob.engine.port.bus.Envelope;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * One cloud's queue in a {@link MemoryBus}: envelopes waiting for a subscriber, with their delivery
 * counts, and the cloud's dead letters. While the cloud is disconnected, nothing is taken from it.
 * Thread-safe.
 */
final class CloudQueue {
  /** An envelope waiting, and how often it was delivered already. */
  record Pending(Envelope envelope, int deliveries) {}

  private final String cloud;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final ArrayDeque<Pending> ready = new ArrayDeque<>();
  private final List<Envelope> dead = new ArrayList<>();
  private boolean connected = true;

  CloudQueue(String cloud) {
    this.cloud = cloud;
  }

  String cloud() {
    return cloud;
  }

  void offer(Envelope envelope) {
    put(new Pending(envelope, 0));
  }

  /** Puts an envelope whose delivery failed back at the end of the queue. */
  void requeue(Pending pending) {
    put(pending);
  }

  void deadLetter(Envelope envelope) {
    lock.lock();
    try {
      dead.add(envelope);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits for an envelope to deliver; returns {@code null} as soon as {@code stop} says so (checked
   * whenever the queue changes or {@link #wake()} is called).
   */
  Pending take(BooleanSupplier stop) throws InterruptedException {
    lock.lock();
    try {
      while (!stop.getAsBoolean()) {
        if (connected && !ready.isEmpty()) {
          return ready.pollFirst();
        }
        // The timeout only guards against a missed wake-up; every change signals.
        changed.await(1, TimeUnit.SECONDS);
      }
      return null;
    } finally {
      lock.unlock();
    }
  }

  /** Makes waiting subscribers look at their stop condition again. */
  void wake() {
    lock.lock();
    try {
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  void connected(boolean value) {
    lock.lock();
    try {
      connected = value;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  boolean connected() {
    lock.lock();
    try {
      return connected;
    } finally {
      lock.unlock();
    }
  }

  int size() {
    lock.lock();
    try {
      return ready.size();
    } finally {
      lock.unlock();
    }
  }

  List<Envelope> deadLetters(int max) {
    lock.lock();
    try {
      return List.copyOf(dead.subList(0, Math.min(max, dead.size())));
    } finally {
      lock.unlock();
    }
  }

  private void put(Pending pending) {
    lock.lock();
    try {
      ready.addLast(pending);
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }
}
