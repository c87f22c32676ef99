package io.cob.bus;

import static io.cob.bus.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cob.engine.port.bus.Bus;
import io.cob.engine.port.bus.Envelope;
import io.cob.engine.port.bus.EnvelopeHandler.Delivery;
import io.cob.engine.port.bus.Subscription;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link Bus} adapter passes (DESIGN.md §10.6): memory ({@code MemoryBusTest})
 * and RabbitMQ ({@code AmqpBusIT}, {@code AmqpClassicBusIT}). Each test uses cloud names of its
 * own, so leftovers of another test never reach it.
 */
public abstract class BusContract {
  private final String run = UUID.randomUUID().toString().substring(0, 6);
  protected Bus bus;

  /** A new bus, as several nodes in different clouds would share it. */
  protected abstract Bus newBus();

  /** The number of failed deliveries after which the bus dead-letters. */
  protected abstract int maxDeliveries();

  /** Removes what the test left in the transport (before the bus is closed). */
  protected void cleanUp(Bus bus) {}

  @BeforeEach
  void openBus() {
    bus = newBus();
  }

  @AfterEach
  void closeBus() {
    try {
      cleanUp(bus);
    } finally {
      bus.close();
    }
  }

  /** A cloud name unique to this test. */
  protected String cloud(String name) {
    return name + "-" + run;
  }

  @Test
  void shouldMarkACloudPresentWhileANodeHoldsItsPresence() {
    assertThat(bus.presence(cloud("p"))).isFalse();

    var first = bus.holdPresence(cloud("p"));
    var second = bus.holdPresence(cloud("p"));
    assertThat(bus.presence(cloud("p"))).isTrue();
    assertThat(bus.presence(cloud("q"))).isFalse();
    first.close();
    assertThat(bus.presence(cloud("p"))).as("one holder left").isTrue();
    second.close();

    await("the mark is gone with its last holder", () -> !bus.presence(cloud("p")));
  }

  @Test
  void shouldKeepTheLatestTakeoverNoticeUntilCleared() {
    assertThat(bus.takeoverNotice(cloud("t"))).isEmpty();

    bus.postTakeoverNotice(cloud("t"), "one".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    bus.postTakeoverNotice(cloud("t"), "two".getBytes(java.nio.charset.StandardCharsets.UTF_8));

    assertThat(bus.takeoverNotice(cloud("t")))
        .hasValueSatisfying(n -> assertThat(n).asString().isEqualTo("two"));
    assertThat(bus.takeoverNotice(cloud("t"))).as("reading takes nothing away").isPresent();
    assertThat(bus.takeoverNotice(cloud("u"))).isEmpty();
    bus.clearTakeoverNotice(cloud("t"));
    assertThat(bus.takeoverNotice(cloud("t"))).isEmpty();
  }

  @Test
  void shouldKeepTheNoticesOfTwoTakersApart() {
    String byA = cloud("t") + "~" + cloud("a");
    String byB = cloud("t") + "~" + cloud("b");
    bus.postTakeoverNotice(byA, "by a".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    bus.postTakeoverNotice(byB, "by b".getBytes(java.nio.charset.StandardCharsets.UTF_8));

    bus.clearTakeoverNotice(byA);

    assertThat(bus.takeoverNotice(byA)).isEmpty();
    assertThat(bus.takeoverNotice(byB))
        .hasValueSatisfying(n -> assertThat(n).asString().isEqualTo("by b"));
    bus.clearTakeoverNotice(byB);
  }

  @Test
  void shouldDeliverToTheTargetCloudOnly() {
    RecordingHandler a = new RecordingHandler();
    RecordingHandler b = new RecordingHandler();
    bus.subscribe(cloud("a"), a);
    bus.subscribe(cloud("b"), b);

    Envelope forA = TestEnvelopes.to(cloud("b"), cloud("a"));
    bus.publish(forA);
    Envelope marker = TestEnvelopes.to(cloud("a"), cloud("b"));
    bus.publish(marker);

    await("a receives its envelope", () -> a.got(forA.messageId()));
    await("b receives the marker", () -> b.got(marker.messageId()));
    assertThat(a.distinctIds()).containsExactly(forA.messageId());
    assertThat(b.distinctIds()).containsExactly(marker.messageId());
    assertThat(a.received().getFirst().delivery()).isEqualTo(new Delivery(1, false));
  }

  @Test
  void shouldBroadcastToEverySubscribedCloud() {
    Map<String, RecordingHandler> handlers = new LinkedHashMap<>();
    for (String name : List.of("a", "b", "c")) {
      handlers.put(cloud(name), new RecordingHandler());
      bus.subscribe(cloud(name), handlers.get(cloud(name)));
    }

    Envelope broadcast = TestEnvelopes.broadcast(cloud("a"), Instant.now());
    bus.publish(broadcast);

    handlers.forEach(
        (cloud, h) -> await(cloud + " receives the broadcast", () -> h.got(broadcast.messageId())));
    handlers.values().forEach(h -> assertThat(h.envelopes()).containsOnly(broadcast));
  }

  @Test
  void shouldRedeliverWithTheSameMessageIdWhenTheHandlerThrows() {
    RecordingHandler recorder = new RecordingHandler();
    AtomicInteger calls = new AtomicInteger();
    bus.subscribe(
        cloud("a"),
        (envelope, delivery) -> {
          recorder.handle(envelope, delivery);
          if (calls.incrementAndGet() == 1) {
            throw new IllegalStateException("store unavailable, try again");
          }
        });

    Envelope sent = TestEnvelopes.to(cloud("b"), cloud("a"));
    bus.publish(sent);

    await("the envelope is delivered twice", () -> recorder.count() >= 2);
    List<RecordingHandler.Received> received = recorder.received();
    assertThat(received.get(0).envelope()).isEqualTo(sent);
    assertThat(received.get(1).envelope()).isEqualTo(sent);
    assertThat(received.get(0).delivery().count()).isEqualTo(1);
    assertThat(received.get(1).delivery().count()).isEqualTo(2);
    assertThat(received.get(1).delivery().redelivered()).isTrue();
  }

  @Test
  void shouldDeadLetterAPoisonMessageAfterMaxDeliveries() {
    Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    RecordingHandler others = new RecordingHandler();
    Envelope poison = TestEnvelopes.to(cloud("b"), cloud("a"));
    bus.subscribe(
        cloud("a"),
        (envelope, delivery) -> {
          calls.computeIfAbsent(envelope.messageId(), id -> new AtomicInteger()).incrementAndGet();
          if (envelope.messageId().equals(poison.messageId())) {
            throw new IllegalArgumentException("cannot ever handle this");
          }
          others.handle(envelope, delivery);
        });

    bus.publish(poison);
    await("the poison message is dead-lettered", () -> !bus.deadLetters(cloud("a"), 10).isEmpty());
    Envelope after = TestEnvelopes.to(cloud("b"), cloud("a"));
    bus.publish(after);
    await("the next envelope is handled", () -> others.got(after.messageId()));

    assertThat(bus.deadLetters(cloud("a"), 10)).containsExactly(poison);
    assertThat(calls.get(poison.messageId())).hasValue(maxDeliveries());
    assertThat(bus.deadLetters(cloud("a"), 10)).as("reading does not remove").hasSize(1);
    assertThat(bus.deadLetters(cloud("b"), 10)).isEmpty();
  }

  @Test
  void shouldRoundTripEveryFieldExactly() {
    RecordingHandler a = new RecordingHandler();
    bus.subscribe(cloud("a"), a);
    byte[] payload = new byte[300];
    for (int i = 0; i < payload.length; i++) {
      payload[i] = (byte) i; // every byte value, zeros included
    }
    Envelope full =
        Envelope.builder(UUID.randomUUID().toString(), "job.result", cloud("b"))
            .targetCloud(cloud("a"))
            .instanceId("inst-42")
            .epoch(7)
            .tenant("acme")
            .traceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
            .sentAt(Instant.parse("2026-03-01T10:15:30.123456789Z"))
            .headers(Map.of("content-type", "application/json", "x-ünïcode", "✓ ok", "empty", ""))
            .payload(payload)
            .signature(new byte[] {0, 1, 2, (byte) 0xff})
            .build();
    Envelope bare = TestEnvelopes.broadcast(cloud("b"), Instant.now());

    bus.publish(full);
    bus.publish(bare);

    await("both arrive", () -> a.got(full.messageId()) && a.got(bare.messageId()));
    Envelope received =
        a.envelopes().stream()
            .filter(e -> e.messageId().equals(full.messageId()))
            .findFirst()
            .get();
    assertThat(received).isEqualTo(full);
    assertThat(received.sentAt()).isEqualTo(Instant.parse("2026-03-01T10:15:30.123Z"));
    assertThat(received.payload()).isEqualTo(payload);
    assertThat(received.headers()).containsEntry("x-ünïcode", "✓ ok").containsEntry("empty", "");
    Envelope receivedBare =
        a.envelopes().stream()
            .filter(e -> e.messageId().equals(bare.messageId()))
            .findFirst()
            .get();
    assertThat(receivedBare).isEqualTo(bare);
    assertThat(receivedBare.targetCloud()).isNull();
    assertThat(receivedBare.instanceId()).isNull();
    assertThat(receivedBare.traceparent()).isNull();
    assertThat(receivedBare.signature()).isNull();
  }

  @Test
  void shouldLoseNothingWhenManyThreadsPublishAtOnce() throws Exception {
    RecordingHandler a = new RecordingHandler();
    bus.subscribe(cloud("a"), a);
    int threads = 8;
    int each = 250;
    Set<String> sent = ConcurrentHashMap.newKeySet();
    try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        futures.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < each; i++) {
                    Envelope e = TestEnvelopes.to(cloud("b"), cloud("a"));
                    bus.publish(e);
                    sent.add(e.messageId());
                  }
                }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    }

    assertThat(sent).hasSize(threads * each);
    await("every envelope arrives", () -> a.distinctIds().size() == threads * each);
    assertThat(a.distinctIds()).isEqualTo(sent);
  }

  @Test
  void shouldStopDeliveringWhenTheSubscriptionIsClosed() {
    RecordingHandler first = new RecordingHandler();
    Subscription subscription = bus.subscribe(cloud("a"), first);
    Envelope one = TestEnvelopes.to(cloud("b"), cloud("a"));
    bus.publish(one);
    await("the first subscriber receives", () -> first.got(one.messageId()));

    subscription.close();
    subscription.close(); // twice is harmless
    Envelope two = TestEnvelopes.to(cloud("b"), cloud("a"));
    bus.publish(two);
    RecordingHandler second = new RecordingHandler();
    bus.subscribe(cloud("a"), second);

    await("the next subscriber receives", () -> second.got(two.messageId()));
    assertThat(first.distinctIds()).containsExactly(one.messageId());
    assertThat(subscription.cloud()).isEqualTo(cloud("a"));
  }

  @Test
  void shouldKeepEnvelopesForACloudNobodySubscribedToYet() {
    Envelope early = TestEnvelopes.to(cloud("b"), cloud("later"));
    bus.publish(early);

    RecordingHandler later = new RecordingHandler();
    bus.subscribe(cloud("later"), later);

    await("the late subscriber receives it", () -> later.got(early.messageId()));
    assertThat(later.envelopes()).containsExactly(early);
  }

  @Test
  void shouldBroadcastToADeclaredCloudBeforeItSubscribes() {
    bus.declareCloud(cloud("quiet"));
    Envelope broadcast = TestEnvelopes.broadcast(cloud("a"), Instant.now());
    bus.publish(broadcast);

    RecordingHandler quiet = new RecordingHandler();
    bus.subscribe(cloud("quiet"), quiet);

    await("the declared cloud receives it", () -> quiet.got(broadcast.messageId()));
  }

  @Test
  void shouldGiveEachEnvelopeToOneOfTheCloudsCompetingSubscribers() {
    RecordingHandler one = new RecordingHandler();
    RecordingHandler two = new RecordingHandler();
    bus.subscribe(cloud("a"), one);
    bus.subscribe(cloud("a"), two);
    Set<String> sent = new HashSet<>();
    for (int i = 0; i < 40; i++) {
      Envelope e = TestEnvelopes.to(cloud("b"), cloud("a"));
      bus.publish(e);
      sent.add(e.messageId());
    }

    await("all arrive", () -> union(one, two).size() == sent.size());
    assertThat(union(one, two)).isEqualTo(sent);
    assertThat(one.count() + two.count()).isEqualTo(sent.size());
  }

  @Test
  void shouldAnnounceToEveryListenerOfEveryCloud() {
    RecordingHandler a1 = new RecordingHandler();
    RecordingHandler a2 = new RecordingHandler();
    RecordingHandler b1 = new RecordingHandler();
    bus.listen(cloud("a"), a1);
    bus.listen(cloud("a"), a2);
    Subscription b = bus.listen(cloud("b"), b1);

    Envelope news =
        Envelope.builder(UUID.randomUUID().toString(), "heartbeat", cloud("a"))
            .sentAt(Instant.now())
            .payload("{}".getBytes(StandardCharsets.UTF_8))
            .build();
    bus.announce(news);

    for (RecordingHandler h : List.of(a1, a2, b1)) {
      await("every listener hears it", () -> h.got(news.messageId()));
      assertThat(h.envelopes()).containsExactly(news);
    }
    b.close();
    Envelope second =
        Envelope.builder(UUID.randomUUID().toString(), "heartbeat", cloud("a"))
            .sentAt(Instant.now())
            .build();
    bus.announce(second);
    await("open listeners hear the next one", () -> a1.got(second.messageId()));
    assertThat(b1.got(second.messageId())).as("closed listener").isFalse();
  }

  @Test
  void shouldRefuseToAnnounceAnEnvelopeWithATarget() {
    Envelope targeted = TestEnvelopes.to(cloud("a"), cloud("b"));
    assertThatThrownBy(() -> bus.announce(targeted))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must not have a target");
  }

  private static Set<String> union(RecordingHandler one, RecordingHandler two) {
    Set<String> all = new HashSet<>(one.distinctIds());
    all.addAll(two.distinctIds());
    return all;
  }
}
