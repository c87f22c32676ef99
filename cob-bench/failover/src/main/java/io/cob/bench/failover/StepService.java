package io.cob.bench.failover;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The service the HTTP steps call ({@code POST /svc/STEP}): it answers each call after a random
 * delay between two bounds, so that steps are in flight when the owner dies; holds the calls of a
 * {@linkplain #hold held} step until {@link #release}; and records, per instance and step, the
 * {@code Idempotency-Key}s it was called with ({@code instanceId:elementInstanceKey}).
 *
 * <p>A repeat of one key is a step run again after the fail-over (the service's de-duplication
 * would absorb it); a second key for one step of one instance is an effect that happened twice.
 */
final class StepService implements AutoCloseable {
  private final HttpServer server;
  private final Duration minDelay;
  private final Duration maxDelay;
  private final Map<String, Set<String>> keysByStep = new ConcurrentHashMap<>();
  private final AtomicInteger calls = new AtomicInteger();
  private final AtomicInteger answered = new AtomicInteger();
  private final Set<String> held = ConcurrentHashMap.newKeySet();
  private final CountDownLatch released = new CountDownLatch(1);

  StepService(Duration minDelay, Duration maxDelay) throws IOException {
    this.minDelay = minDelay;
    this.maxDelay = maxDelay;
    this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext(
        "/svc/",
        exchange -> {
          try (exchange) {
            String step = exchange.getRequestURI().getPath().substring("/svc/".length());
            String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
            String instance =
                key == null ? "?" : key.substring(0, Math.max(0, key.lastIndexOf(':')));
            keysByStep
                .computeIfAbsent(instance + "|" + step, k -> ConcurrentHashMap.newKeySet())
                .add(String.valueOf(key));
            calls.incrementAndGet();
            exchange.getRequestBody().readAllBytes();
            pause(step);
            byte[] body = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            answered.incrementAndGet();
          }
        });
    server.start();
  }

  /** The URL of a step's endpoint. */
  String url(String step) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/svc/" + step;
  }

  /** Calls of {@code step} wait until {@link #release()} (then take their usual delay). */
  void hold(String step) {
    held.add(step);
  }

  /** Lets every held call go on, and the later ones pass. */
  void release() {
    released.countDown();
  }

  /** Calls answered so far, repeats included. */
  int answered() {
    return answered.get();
  }

  /** Calls received so far, repeats included. */
  int calls() {
    return calls.get();
  }

  /** Whether {@code step} of {@code instanceId} was called at all. */
  boolean called(String instanceId, String step) {
    return keysByStep.containsKey(instanceId + "|" + step);
  }

  /** Distinct (instance, step, key) triples: the calls that were not repeats. */
  int distinctKeys() {
    return keysByStep.values().stream().mapToInt(Set::size).sum();
  }

  /** Steps of an instance called with more than one key: effects that happened twice. */
  int secondKeys() {
    return (int) keysByStep.values().stream().filter(keys -> keys.size() > 1).count();
  }

  private void pause(String step) {
    try {
      if (held.contains(step)) {
        released.await();
      }
      long min = minDelay.toMillis();
      long max = maxDelay.toMillis();
      Thread.sleep(min + (max > min ? ThreadLocalRandom.current().nextLong(max - min + 1) : 0));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    release();
    server.stop(0);
  }
}
