package io.cob.bus;

import static io.cob.bus.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cob.bus.memory.MemoryBus;
import io.cob.engine.TestClock;
import io.cob.engine.port.bus.BusException;
import io.cob.engine.port.bus.Envelope;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Signing over the memory bus: node {@code a} sends, node {@code b} receives through its own {@link
 * SignedBus}; an attacker publishes straight onto the shared transport.
 */
class SignedBusTest {
  private static final Instant NOW = Instant.parse("2026-05-01T12:00:00Z");
  private static final SignedBus.Settings SETTINGS =
      new SignedBus.Settings(Duration.ofMinutes(10), Duration.ofSeconds(30), 1000);

  private final TestClock clock = new TestClock(NOW);
  private final BusKeys keys =
      BusKeys.of(
          Map.of(
              "a|b", BusKeysTest.bytes(32, 1),
              "a|a", BusKeysTest.bytes(32, 2),
              "b|c", BusKeysTest.bytes(32, 3)));
  private MemoryBus transport;
  private SignedBus nodeA;
  private SignedBus nodeB;
  private final RecordingHandler b = new RecordingHandler();

  @BeforeEach
  void setUp() {
    transport = new MemoryBus(3);
    nodeA = signed(keys);
    nodeB = signed(keys);
    nodeB.subscribe("b", b);
  }

  @AfterEach
  void tearDown() {
    transport.close();
  }

  private SignedBus signed(BusKeys k) {
    return new SignedBus(transport, new EnvelopeSigner(k), SETTINGS, clock, new BusCounters());
  }

  private static Envelope fromAToB(Instant sentAt) {
    return TestEnvelopes.to("a", "b", sentAt);
  }

  /** Publishes a marker through the proper path, so that what was sent before was handled. */
  private void drain() {
    Envelope marker = fromAToB(clock.instant());
    nodeA.publish(marker);
    await("the marker passes", () -> b.got(marker.messageId()));
  }

  @Test
  void shouldPassAValidEnvelope() {
    Envelope sent = fromAToB(NOW);
    nodeA.publish(sent);

    await("b receives it", () -> b.got(sent.messageId()));
    Envelope received = b.envelopes().getFirst();
    assertThat(received.withSignature(null)).isEqualTo(sent);
    assertThat(received.signature()).isNotNull();
    assertThat(nodeB.counters().snapshot().accepted()).isEqualTo(1);
    assertThat(nodeB.counters().snapshot().refusedTotal()).isZero();
  }

  @Test
  void shouldCountWhatItSendsByTargetAndWhatItLetsThroughBySource() {
    nodeA.publish(fromAToB(NOW));
    nodeA.publish(fromAToB(NOW));
    nodeA.publish(TestEnvelopes.broadcast("a", NOW));
    drain();

    BusCounters sent = nodeA.counters();
    assertThat(sent.count(flow(BusCounters.Direction.SENT, "b"))).isEqualTo(3); // with the marker
    assertThat(sent.count(flow(BusCounters.Direction.SENT, BusCounters.EVERY_CLOUD))).isEqualTo(1);
    assertThat(sent.count(flow(BusCounters.Direction.SEND_FAILED, "b"))).isZero();
    BusCounters received = nodeB.counters();
    assertThat(received.flows())
        .as("b holds every one a sent it, the broadcast too; none came twice")
        .containsExactly(Map.entry(flow(BusCounters.Direction.RECEIVED, "a"), 4L));
  }

  @Test
  void shouldCountThePayloadBytesSentByTargetOverEveryType() {
    nodeA.publish(
        Envelope.builder("m-big", "job.dispatch", "a")
            .targetCloud("b")
            .sentAt(NOW)
            .payload(new byte[1000])
            .build());
    nodeA.publish(fromAToB(NOW)); // 7 bytes: {"n":1}
    nodeA.publish(
        Envelope.builder("m-ev", "event.replicate", "a")
            .targetCloud("b")
            .sentAt(NOW)
            .payload(new byte[20])
            .build());
    nodeA.announce(TestEnvelopes.broadcast("a", NOW));
    transport.disconnect("a");
    assertThatThrownBy(() -> nodeA.publish(fromAToB(NOW))).isInstanceOf(BusException.class);

    BusCounters counters = nodeA.counters();
    assertThat(counters.traffic(flow(BusCounters.Direction.SENT, "b")))
        .isEqualTo(new BusCounters.Traffic(2, 1007));
    assertThat(counters.sentByTarget())
        .as("by target over every type; a send the transport refused is not traffic")
        .containsExactly(
            Map.entry(BusCounters.EVERY_CLOUD, new BusCounters.Traffic(1, 7)),
            Map.entry("b", new BusCounters.Traffic(3, 1027)));
  }

  @Test
  void shouldCountASendTheTransportRefused() {
    transport.disconnect("a");

    assertThatThrownBy(() -> nodeA.publish(fromAToB(NOW))).isInstanceOf(BusException.class);

    assertThat(nodeA.counters().flows())
        .containsExactly(Map.entry(flow(BusCounters.Direction.SEND_FAILED, "b"), 1L));
  }

  @Test
  void shouldTellAFlowListenerOfEveryFlowOnce() {
    java.util.List<BusCounters.Flow> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
    nodeA.publish(fromAToB(NOW));
    nodeA.counters().onNewFlow(heard::add);

    nodeA.publish(fromAToB(NOW));
    nodeA.publish(TestEnvelopes.broadcast("a", NOW));

    assertThat(heard)
        .containsExactly(
            flow(BusCounters.Direction.SENT, "b"),
            flow(BusCounters.Direction.SENT, BusCounters.EVERY_CLOUD));
  }

  private static BusCounters.Flow flow(BusCounters.Direction direction, String cloud) {
    return new BusCounters.Flow(direction, cloud, "job.dispatch");
  }

  @Test
  void shouldRefuseAndCountAForgedSignature() {
    Envelope genuine = new EnvelopeSigner(keys).sign(fromAToB(NOW));
    Envelope forged =
        genuine.toBuilder()
            .payload("{\"amount\":1000000}".getBytes(StandardCharsets.UTF_8))
            .build();

    transport.publish(forged);
    drain();

    assertThat(b.got(forged.messageId())).isFalse();
    assertThat(nodeB.counters().snapshot().refused(RefusalReason.BAD_SIGNATURE)).isEqualTo(1);
    assertThat(transport.deadLetters("b", 10)).as("refused means acknowledged").isEmpty();
  }

  @Test
  void shouldRefuseAnUnsignedEnvelope() {
    Envelope unsigned = fromAToB(NOW);

    transport.publish(unsigned);
    drain();

    assertThat(b.got(unsigned.messageId())).isFalse();
    assertThat(nodeB.counters().snapshot().refused(RefusalReason.UNSIGNED)).isEqualTo(1);
  }

  @Test
  void shouldRefuseAnEnvelopeFromACloudWithoutAKey() {
    BusKeys strangersKeys = BusKeys.of(Map.of("b|x", BusKeysTest.bytes(32, 7)));
    SignedBus stranger = signed(strangersKeys);
    Envelope fromX = TestEnvelopes.to("x", "b", NOW);

    stranger.publish(fromX);
    drain();

    assertThat(b.got(fromX.messageId())).isFalse();
    assertThat(nodeB.counters().snapshot().refused(RefusalReason.UNKNOWN_PAIR)).isEqualTo(1);
    assertThat(nodeB.counters().flows().keySet())
        .as("an unproven source gets no series of its own")
        .extracting(BusCounters.Flow::cloud)
        .containsOnly("a");
  }

  @Test
  void shouldRefuseAnExactReplay() {
    Envelope sent = fromAToB(NOW);
    nodeA.publish(sent);
    await("the original arrives", () -> b.got(sent.messageId()));
    Envelope captured = b.envelopes().getFirst();

    transport.publish(captured);
    drain();

    assertThat(b.received())
        .filteredOn(r -> r.envelope().messageId().equals(sent.messageId()))
        .hasSize(1);
    assertThat(nodeB.counters().snapshot().refused(RefusalReason.REPLAY)).isEqualTo(1);
  }

  @Test
  void shouldLetARedeliveryThroughAfterTheHandlerFailed() {
    AtomicInteger calls = new AtomicInteger();
    RecordingHandler c = new RecordingHandler();
    nodeA.subscribe(
        "a",
        (envelope, delivery) -> {
          if (calls.incrementAndGet() == 1) {
            throw new IllegalStateException("transient");
          }
          c.handle(envelope, delivery);
        });
    Envelope toSelf = TestEnvelopes.to("a", "a", NOW);

    nodeA.publish(toSelf);

    await("the redelivery is handled", () -> c.got(toSelf.messageId()));
    assertThat(c.received().getFirst().delivery().count()).isEqualTo(2);
    assertThat(nodeA.counters().snapshot().refusedTotal()).isZero();
    assertThat(nodeA.counters().snapshot().accepted()).isEqualTo(2);
    assertThat(nodeA.counters().count(flow(BusCounters.Direction.RECEIVED, "a"))).isEqualTo(2);
    assertThat(nodeA.counters().count(flow(BusCounters.Direction.REDELIVERED, "a"))).isEqualTo(1);
  }

  @Test
  void shouldRefuseAStaleEnvelope() {
    Envelope old = fromAToB(NOW.minus(Duration.ofMinutes(10)).minusMillis(1));

    nodeA.publish(old);
    drain();

    assertThat(b.got(old.messageId())).isFalse();
    assertThat(nodeB.counters().snapshot().refused(RefusalReason.STALE)).isEqualTo(1);
  }

  @Test
  void shouldRefuseAnEnvelopeFromTooFarInTheFuture() {
    Envelope future = fromAToB(NOW.plusSeconds(31));
    Envelope withinSkew = fromAToB(NOW.plusSeconds(30));

    nodeA.publish(future);
    nodeA.publish(withinSkew);
    drain();

    assertThat(b.got(future.messageId())).isFalse();
    assertThat(b.got(withinSkew.messageId())).isTrue();
    assertThat(nodeB.counters().snapshot().refused(RefusalReason.FUTURE)).isEqualTo(1);
  }

  @Test
  void shouldVerifyBroadcastsPerReceivingCloud() {
    RecordingHandler a = new RecordingHandler();
    RecordingHandler c = new RecordingHandler();
    nodeA.subscribe("a", a);
    SignedBus nodeC = signed(keys);
    nodeC.subscribe("c", c);
    Envelope broadcast = TestEnvelopes.broadcast("a", NOW);

    nodeA.publish(broadcast);

    await("a and b accept it", () -> a.got(broadcast.messageId()) && b.got(broadcast.messageId()));
    await("c refuses it: no key a|c", () -> nodeC.counters().snapshot().refusedTotal() == 1);
    assertThat(nodeC.counters().snapshot().refused(RefusalReason.UNKNOWN_PAIR)).isEqualTo(1);
    assertThat(c.count()).isZero();
  }

  @Test
  void shouldVerifyAnnouncementsToo() {
    RecordingHandler listener = new RecordingHandler();
    nodeB.listen("b", listener);
    Envelope signedNews = TestEnvelopes.broadcast("a", NOW);
    Envelope unsignedNews = TestEnvelopes.broadcast("a", NOW);

    transport.announce(unsignedNews);
    nodeA.announce(signedNews);

    await("the signed one is heard", () -> listener.got(signedNews.messageId()));
    await(
        "the unsigned one is refused",
        () -> nodeB.counters().snapshot().refused(RefusalReason.UNSIGNED) == 1);
    assertThat(listener.got(unsignedNews.messageId())).isFalse();
  }

  @Test
  void shouldFailToSendWithoutAKeyForThePair() {
    assertThatThrownBy(() -> nodeA.publish(TestEnvelopes.to("a", "c", NOW)))
        .isInstanceOf(BusException.class)
        .hasMessageContaining("no key for the pair 'a|c'");
  }

  @Test
  void shouldRefuseBadSettings() {
    assertThatThrownBy(() -> new SignedBus.Settings(Duration.ZERO, Duration.ZERO, 0))
        .hasMessage("bus.signing.maxAge must be positive, not PT0S");
    assertThatThrownBy(
            () -> new SignedBus.Settings(Duration.ofMinutes(1), Duration.ofSeconds(-1), 0))
        .hasMessage("bus.signing.clockSkew must not be negative, not PT-1S");
    assertThatThrownBy(() -> new SignedBus.Settings(Duration.ofMinutes(1), Duration.ZERO, -1))
        .hasMessage("bus.signing.replayGuardSize must not be negative, not -1");
  }
}
