package io.cob.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * Drives one workload against one engine, one repetition at a time, and checks after each that
 * every instance it started has ended, by the engine's own account.
 *
 * <p>Time is taken from the first start to the commit that ended the last instance (reported by
 * {@link Completions}), so a durable workload is measured end to end, not up to the last start.
 */
final class Driver {
  private final BenchEngine engine;
  private final Vendor vendor;
  private final Workload workload;
  private final int threads;
  private final Duration timeout;
  private final Completions completions = Completions.INSTANCE;
  private long started;

  Driver(BenchEngine engine, Vendor vendor, Workload workload, int threads, Duration timeout) {
    this.engine = engine;
    this.vendor = vendor;
    this.workload = workload;
    this.threads = threads;
    this.timeout = timeout;
  }

  /**
   * One result: throughput; for the latency workload the start-to-end percentiles; for the heap
   * workload the live heap before and after.
   */
  record Rep(
      int rep,
      boolean warmup,
      int instances,
      double seconds,
      double perSecond,
      Double p50Ms,
      Double p99Ms,
      long extraHandlerCalls,
      double jvmCpuMs,
      double machineCpuMs,
      Long heapBeforeBytes,
      Long heapAfterBytes) {}

  /** Runs one instance alone and waits for its end: the first instance of a fresh engine. */
  void probe() throws InterruptedException {
    completions.expect(started + 1);
    startOne("probe", 0);
    if (workload == Workload.P3 || workload == Workload.HEAP) {
      engine.correlate(Models.MESSAGE, "probe");
    }
    started++;
    if (completions.awaitTarget(timeout) < 0) {
      throw new IllegalStateException("the first instance did not end within " + timeout);
    }
  }

  Rep run(int rep, boolean warmup, int n, double rate) throws Exception {
    long target = started + n;
    completions.expect(target);
    long handlerCallsBefore = completions.handlerCalls();
    String[] keys = new String[n];
    for (int i = 0; i < n; i++) {
      keys[i] = "r" + rep + "-" + i;
    }
    double jvmCpu0 = CpuClock.jvmMs();
    double machineCpu0 = CpuClock.machineBusyMs();
    long t0 = System.nanoTime();
    long[] intended = null;
    switch (workload) {
      case P1, P2 -> inParallel(n, i -> startOne(keys[i], i));
      case P3 -> {
        inParallel(n, i -> startOne(keys[i], i));
        inParallel(n, i -> engine.correlate(Models.MESSAGE, keys[i]));
      }
      case LAT -> intended = openLoop(keys, rate, t0);
      case HEAP -> throw new IllegalArgumentException("the heap workload runs with fill()");
      case FAILOVER ->
          throw new IllegalArgumentException("FAILOVER runs in its own module, cob-bench/failover");
    }
    started = target;
    long t1 = completions.awaitTarget(timeout);
    if (t1 < 0) {
      throw new IllegalStateException(
          completions.ended() + " of " + target + " instances ended within " + timeout);
    }
    double jvmCpu = CpuClock.jvmMs() - jvmCpu0;
    double machineCpu = CpuClock.machineBusyMs() - machineCpu0;
    double seconds = (t1 - t0) / 1e9;
    long extra = verify(target, handlerCallsBefore, n);
    Double p50 = null;
    Double p99 = null;
    if (intended != null) {
      double[] ms = new double[n];
      for (int i = 0; i < n; i++) {
        ms[i] = (completions.endedAt(keys[i]) - intended[i]) / 1e6;
      }
      Arrays.sort(ms);
      p50 = Stats.percentile(ms, 50);
      p99 = Stats.percentile(ms, 99);
    }
    return new Rep(
        rep, warmup, n, seconds, n / seconds, p50, p99, extra, jvmCpu, machineCpu, null, null);
  }

  /**
   * The heap workload: starts {@code n} instances that all stay waiting for a message, and measures
   * the live heap (after a full collection) before and after. Checks that every one of them is
   * waiting, by the engine's account.
   */
  Rep fill(int n) throws Exception {
    long heapBefore = liveHeap();
    double jvmCpu0 = CpuClock.jvmMs();
    double machineCpu0 = CpuClock.machineBusyMs();
    long t0 = System.nanoTime();
    inParallel(n, i -> startOne("w-" + i, i));
    double seconds = (System.nanoTime() - t0) / 1e9;
    double jvmCpu = CpuClock.jvmMs() - jvmCpu0;
    double machineCpu = CpuClock.machineBusyMs() - machineCpu0;
    String pid = workload.processId();
    long completed = engine.completedInstances(pid);
    long waiting = engine.unfinishedInstances(pid);
    if (completed != started || waiting != n) {
      throw new IllegalStateException(
          "the engine reports "
              + completed
              + " completed and "
              + waiting
              + " waiting instances of "
              + pid
              + "; expected "
              + started
              + " completed and "
              + n
              + " waiting");
    }
    return new Rep(
        0,
        false,
        n,
        seconds,
        n / seconds,
        null,
        null,
        0,
        jvmCpu,
        machineCpu,
        heapBefore,
        liveHeap());
  }

  /** Heap in use after full collections: what the engine keeps, not what it has not yet freed. */
  private static long liveHeap() throws InterruptedException {
    var memory = java.lang.management.ManagementFactory.getMemoryMXBean();
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(200);
    }
    return memory.getHeapMemoryUsage().getUsed();
  }

  /**
   * Checks the engine's own records: all instances started so far ended, none is left, and every
   * no-op step ran. Returns how many handler calls there were beyond one per step (re-executions
   * after a retry; allowed, since delivery is at least once, but reported).
   */
  private long verify(long expectedEnded, long handlerCallsBefore, int n) {
    String pid = workload.processId();
    long completed = engine.completedInstances(pid);
    long unfinished = engine.unfinishedInstances(pid);
    if (completed != expectedEnded || unfinished != 0) {
      throw new IllegalStateException(
          "the engine reports "
              + completed
              + " completed and "
              + unfinished
              + " unfinished instances of "
              + pid
              + "; expected "
              + expectedEnded
              + " completed and none unfinished");
    }
    long calls = completions.handlerCalls() - handlerCallsBefore;
    long expectedCalls = (long) n * Models.handlerCallsPerInstance(workload, vendor);
    if (calls < expectedCalls) {
      throw new IllegalStateException(calls + " no-op steps ran, expected " + expectedCalls);
    }
    return calls - expectedCalls;
  }

  private void startOne(String key, int i) {
    Map<String, Object> vars =
        switch (workload) {
          case P3 -> Map.of("amount", i % 2 == 0 ? 150 : 50, "key", key);
          case HEAP -> Map.of("key", key);
          default -> Map.of();
        };
    engine.start(workload.processId(), key, vars);
  }

  /** Closed loop: {@code threads} clients take the next index until {@code n} are done. */
  private void inParallel(int n, IntConsumer action) throws Exception {
    AtomicInteger next = new AtomicInteger();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    ExecutorService clients = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> running = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        running.add(
            clients.submit(
                () -> {
                  int i;
                  while (failure.get() == null && (i = next.getAndIncrement()) < n) {
                    try {
                      action.accept(i);
                    } catch (RuntimeException e) {
                      failure.compareAndSet(null, e);
                    }
                  }
                }));
      }
      for (Future<?> f : running) {
        f.get();
      }
    } finally {
      clients.shutdownNow();
    }
    if (failure.get() != null) {
      throw new IllegalStateException("a client failed: " + failure.get(), failure.get());
    }
  }

  /**
   * Open loop: instance {@code i} is due at {@code t0 + i / rate} and is started then on a thread
   * of its own, whether or not earlier starts have returned, so a slow engine cannot slow down the
   * arrivals (no coordinated omission). Latency counts from the due time.
   */
  private long[] openLoop(String[] keys, double rate, long t0) throws Exception {
    int n = keys.length;
    long[] intended = new long[n];
    AtomicReference<Throwable> failure = new AtomicReference<>();
    ExecutorService arrivals = Executors.newCachedThreadPool();
    try {
      for (int i = 0; i < n && failure.get() == null; i++) {
        intended[i] = t0 + (long) (i * 1e9 / rate);
        long wait;
        while ((wait = intended[i] - System.nanoTime()) > 0) {
          LockSupport.parkNanos(wait);
        }
        int index = i;
        arrivals.execute(
            () -> {
              try {
                startOne(keys[index], index);
              } catch (RuntimeException e) {
                failure.compareAndSet(null, e);
              }
            });
      }
      arrivals.shutdown();
      if (!arrivals.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException("starts did not return within " + timeout);
      }
    } finally {
      arrivals.shutdownNow();
    }
    if (failure.get() != null) {
      throw new IllegalStateException("a start failed: " + failure.get(), failure.get());
    }
    return intended;
  }
}
