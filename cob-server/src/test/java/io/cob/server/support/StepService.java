package io.cob.server.support;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The service the HTTP steps of fail-over tests call ({@code POST /svc/STEP}): it records, per
 * instance and step, every {@code Idempotency-Key} it was called with ({@code
 * instanceId:elementInstanceKey}, so the instance is what comes before the last colon), takes
 * between {@code minDelay} and {@code maxDelay} to answer, so that steps are in flight when a node
 * dies, and holds the calls of a {@linkplain #hold held} step until {@link #release}.
 *
 * <p>A step answers {@code 200 {"ok":true}} unless told otherwise ({@link #answer}, {@link
 * #failOnce}).
 *
 * <p>A repeat of one key is allowed (the step ran again after a fail-over, as the service's
 * de-duplication expects); a second key for the same step of the same instance is a step that
 * happened twice in effect.
 */
public final class StepService implements AutoCloseable {
  private final HttpServer server;
  private final Duration minDelay;
  private final Duration maxDelay;
  private final Map<String, Set<String>> keysByStep = new ConcurrentHashMap<>();
  private final AtomicInteger calls = new AtomicInteger();
  private final Set<String> held = ConcurrentHashMap.newKeySet();
  private final Map<String, String> answers = new ConcurrentHashMap<>();
  private final Map<String, String> failures = new ConcurrentHashMap<>();
  private final CountDownLatch released = new CountDownLatch(1);

  private StepService(Duration minDelay, Duration maxDelay) throws IOException {
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
            String failure = failures.remove(step);
            byte[] body =
                (failure != null ? failure : answers.getOrDefault(step, "{\"ok\":true}"))
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(failure != null ? 503 : 200, body.length);
            exchange.getResponseBody().write(body);
          }
        });
    server.start();
  }

  /** A service answering each call after a random delay between the two. */
  public static StepService start(Duration minDelay, Duration maxDelay) throws IOException {
    return new StepService(minDelay, maxDelay);
  }

  /** The URL of a step's endpoint. */
  public String url(String step) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/svc/" + step;
  }

  /** Calls of {@code step} are answered with this JSON body. */
  public void answer(String step, String json) {
    answers.put(step, json);
  }

  /**
   * The next call of {@code step} is answered {@code 503} with this JSON body, later ones as usual.
   */
  public void failOnce(String step, String json) {
    failures.put(step, json);
  }

  /** Calls of {@code step} wait until {@link #release()} (then take their usual delay). */
  public void hold(String step) {
    held.add(step);
  }

  /** Lets every held call go on, and the later ones pass. */
  public void release() {
    released.countDown();
  }

  /** Calls so far, repeats included. */
  public int calls() {
    return calls.get();
  }

  /** Whether {@code step} of {@code instanceId} was called at all. */
  public boolean called(String instanceId, String step) {
    return keysByStep.containsKey(instanceId + "|" + step);
  }

  /** Every (instance|step) the service saw, with the distinct keys it was called with. */
  public Map<String, Set<String>> keysByStep() {
    return new TreeMap<>(keysByStep);
  }

  /** The (instance|step) pairs called with more than one key: effects that happened twice. */
  public Map<String, Set<String>> secondKeys() {
    Map<String, Set<String>> out = new TreeMap<>();
    keysByStep.forEach(
        (step, keys) -> {
          if (keys.size() > 1) {
            out.put(step, Set.copyOf(keys));
          }
        });
    return out;
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
