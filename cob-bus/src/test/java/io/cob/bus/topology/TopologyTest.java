package io.cob.bus.topology;

import static io.cob.bus.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cob.bus.BusCounters;
import io.cob.bus.BusCounters.Traffic;
import io.cob.bus.BusKeys;
import io.cob.bus.EnvelopeSigner;
import io.cob.bus.RecordingHandler;
import io.cob.bus.SignedBus;
import io.cob.bus.memory.MemoryBus;
import io.cob.engine.TestClock;
import io.cob.engine.port.bus.Bus;
import io.cob.engine.port.bus.Envelope;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Heartbeats and cloud health over the memory bus, with a clock the test moves. */
class TopologyTest {
  private static final Instant T0 = Instant.parse("2026-06-01T08:00:00Z");
  private static final TopologySettings SETTINGS =
      new TopologySettings(Duration.ofSeconds(1), 3, 10);
  private static final List<String> CLOUDS = List.of("a", "b", "c");

  private final TestClock clock = new TestClock(T0);
  private final MemoryBus bus = new MemoryBus();
  private final Map<String, Topology> nodes = new LinkedHashMap<>();

  @AfterEach
  void tearDown() {
    nodes.values().forEach(Topology::close);
    bus.close();
  }

  private Topology node(String cloud, Bus via, Clock nodeClock, TopologySettings settings) {
    Topology t =
        new Topology(
            via,
            cloud,
            cloud + "-1",
            CLOUDS,
            settings,
            nodeClock,
            () -> UUID.randomUUID().toString());
    nodes.put(cloud, t);
    return t;
  }

  private Topology started(String cloud) {
    Topology t = node(cloud, bus, clock, SETTINGS);
    t.start();
    return t;
  }

  /** Every node ticks; then waits until each connected node heard every other connected one. */
  private void tickAll(Set<String> connected) {
    nodes.values().forEach(Topology::tick);
    Instant now = clock.instant();
    for (String listener : connected) {
      for (String sender : connected) {
        if (!listener.equals(sender)) {
          await(
              listener + " hears " + sender + " at " + now,
              () ->
                  nodes.get(listener).nodes().stream()
                      .anyMatch(n -> n.nodeId().equals(sender + "-1") && now.equals(n.lastSeen())));
        }
      }
    }
  }

  @Test
  void shouldSeeACutOffCloudSuspectThenDownAndUpAgain() {
    Topology a = started("a");
    Topology b = started("b");
    Topology c = started("c");
    List<HealthChange> seenByA = new CopyOnWriteArrayList<>();
    a.addListener(seenByA::add);
    assertThat(a.health("b")).as("not heard yet").isEqualTo(CloudHealth.SUSPECT);

    tickAll(Set.of("a", "b", "c"));
    assertThat(List.of(a.health("b"), a.health("c"), b.health("a"), c.health("b")))
        .containsOnly(CloudHealth.UP);

    bus.disconnect("b");
    List<CloudHealth> bAsSeenByA = new ArrayList<>();
    for (int second = 1; second <= 10; second++) {
      clock.advance(SETTINGS.interval());
      tickAll(Set.of("a", "c"));
      bAsSeenByA.add(a.health("b"));
      assertThat(a.health("c")).isEqualTo(CloudHealth.UP);
    }
    assertThat(bAsSeenByA)
        .containsExactly(
            CloudHealth.UP,
            CloudHealth.UP,
            CloudHealth.SUSPECT,
            CloudHealth.SUSPECT,
            CloudHealth.SUSPECT,
            CloudHealth.SUSPECT,
            CloudHealth.SUSPECT,
            CloudHealth.SUSPECT,
            CloudHealth.SUSPECT,
            CloudHealth.DOWN);
    assertThat(c.health("b")).isEqualTo(CloudHealth.DOWN);
    assertThat(b.health("a")).as("the cut-off side sees the others go").isEqualTo(CloudHealth.DOWN);
    assertThat(a.cloud("b").orElseThrow().lastSeen()).isEqualTo(T0);

    bus.reconnect("b");
    clock.advance(SETTINGS.interval());
    tickAll(Set.of("a", "b", "c"));

    assertThat(List.of(a.health("b"), c.health("b"), b.health("a"), b.health("c")))
        .containsOnly(CloudHealth.UP);
    assertThat(seenByA)
        .filteredOn(change -> change.cloud().equals("b"))
        .extracting(HealthChange::from, HealthChange::to)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(CloudHealth.SUSPECT, CloudHealth.UP),
            org.assertj.core.groups.Tuple.tuple(CloudHealth.UP, CloudHealth.SUSPECT),
            org.assertj.core.groups.Tuple.tuple(CloudHealth.SUSPECT, CloudHealth.DOWN),
            org.assertj.core.groups.Tuple.tuple(CloudHealth.DOWN, CloudHealth.UP));
  }

  @Test
  void shouldMarkACloudNeverHeardFromDownAfterDownAfterIntervals() {
    Topology a = started("a");

    clock.advance(SETTINGS.interval().multipliedBy(9));
    a.tick();
    assertThat(a.health("b")).isEqualTo(CloudHealth.SUSPECT);
    clock.advance(SETTINGS.interval());
    a.tick();

    assertThat(a.health("b")).isEqualTo(CloudHealth.DOWN);
    assertThat(a.health("a")).as("its own cloud").isEqualTo(CloudHealth.UP);
    assertThat(a.health("nowhere")).isEqualTo(CloudHealth.DOWN);
    assertThat(a.clouds()).extracting(CloudView::cloud).containsExactly("a", "b", "c");
  }

  @Test
  void shouldMeasureTheRoundTripFromEchoedTimestamps() {
    RecordingHandler wire = new RecordingHandler();
    bus.listen("tap", wire);
    Topology a = node("a", bus, clock, SETTINGS);
    Topology b = node("b", bus, clock, SETTINGS);

    a.tick();
    await("a's heartbeat is on the wire", () -> wire.count() == 1);
    clock.advance(Duration.ofMillis(40)); // on the way to b
    b.receive(wire.envelopes().get(0));
    clock.advance(Duration.ofMillis(500)); // held by b until its next heartbeat
    b.tick();
    await("b's heartbeat is on the wire", () -> wire.count() == 2);
    clock.advance(Duration.ofMillis(60)); // on the way back
    a.receive(wire.envelopes().get(1));

    NodeView bNode = a.nodes().getFirst();
    assertThat(bNode.nodeId()).isEqualTo("b-1");
    assertThat(bNode.roundTrip()).isEqualTo(Duration.ofMillis(100));
    assertThat(a.cloud("b").orElseThrow().latency()).isEqualTo(Duration.ofMillis(50));
    assertThat(bNode.reportedHealth()).containsEntry("a", CloudHealth.UP);
    assertThat(b.cloud("a").orElseThrow().latency()).as("not measured yet").isNull();
  }

  @Test
  void shouldDiscoverACloudThatIsNotConfigured() {
    Topology a = started("a");
    Topology d = node("d", bus, clock, SETTINGS);

    d.tick();

    await("a hears d", () -> a.health("d") == CloudHealth.UP);
    assertThat(a.clouds()).extracting(CloudView::cloud).contains("d");
  }

  @Test
  void shouldIgnoreItsOwnAndMalformedHeartbeats() {
    Topology a = started("a");

    a.tick();
    a.receive(
        Envelope.builder("x", "heartbeat", "b")
            .sentAt(T0)
            .payload("not json".getBytes(StandardCharsets.UTF_8))
            .build());
    a.receive(
        Envelope.builder("y", "heartbeat", "b")
            .sentAt(T0)
            .payload(
                "{\"node\":\"z-1\",\"cloud\":\"c\",\"sentAt\":0}".getBytes(StandardCharsets.UTF_8))
            .build());
    a.receive(Envelope.builder("z", "job.result", "b").sentAt(T0).build());

    assertThat(a.nodes()).isEmpty();
    assertThat(a.health("b")).isEqualTo(CloudHealth.SUSPECT);
  }

  @Test
  void shouldKeepCloudsUpOnASchedulerOverASignedBus() {
    TopologySettings fast = new TopologySettings(Duration.ofMillis(50), 3, 10);
    BusKeys keys =
        BusKeys.of(
            Map.of(
                "a|a", new byte[32],
                "a|b", new byte[32],
                "b|b", new byte[32]));
    SignedBus signed =
        new SignedBus(
            bus,
            new EnvelopeSigner(keys),
            SignedBus.Settings.DEFAULTS,
            Clock.systemUTC(),
            new BusCounters());
    Topology a = node("a", signed, Clock.systemUTC(), fast);
    Topology b = node("b", signed, Clock.systemUTC(), fast);
    a.start();
    b.start();
    try (ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor()) {
      a.runEvery(timer);
      b.runEvery(timer);

      await("a sees b", () -> a.health("b") == CloudHealth.UP);
      await("b sees a", () -> b.health("a") == CloudHealth.UP);
      await("a measured the round trip", () -> a.nodes().getFirst().roundTrip() != null);
      a.close();
      b.close();
    }
    assertThat(signed.counters().snapshot().refusedTotal()).isZero();
  }

  @Test
  void shouldShowEveryCloudsInstancesAndTrafficFromTheHeartbeatsOfItsNodes() {
    Topology a1 = started("a");
    Topology a2 =
        new Topology(bus, "a", "a-2", CLOUDS, SETTINGS, clock, () -> "id-" + UUID.randomUUID());
    nodes.put("a-2", a2);
    a2.start();
    Topology b = started("b");
    Topology c = started("c"); // reports nothing, as a node of an older version
    a1.reportWith(
        () ->
            report(
                new InstanceCounts(3, 1),
                Map.of("b", new Traffic(2, 100), BusCounters.EVERY_CLOUD, new Traffic(5, 500))));
    a2.reportWith(() -> report(new InstanceCounts(4, 1), Map.of("b", new Traffic(1, 10))));
    b.reportWith(() -> report(new InstanceCounts(7, 0), Map.of("a", new Traffic(6, 60))));

    a1.tick();
    await("b hears a-1", () -> b.nodes().stream().anyMatch(n -> n.nodeId().equals("a-1")));
    clock.advance(Duration.ofMillis(10));
    a2.tick();
    await("b hears a-2", () -> b.nodes().stream().anyMatch(n -> n.nodeId().equals("a-2")));
    b.tick();
    c.tick();
    await("a-1 hears a-2, b and c", () -> a1.nodes().size() == 3);
    await("a-1 heard b's report", () -> a1.cloud("b").orElseThrow().instances() != null);

    CloudView aSeenByB = b.cloud("a").orElseThrow();
    assertThat(aSeenByB.instances())
        .as("the count of the node heard last: the nodes of a cloud share its store")
        .isEqualTo(new InstanceCounts(4, 1));
    assertThat(aSeenByB.sent())
        .as("summed over the cloud's nodes")
        .containsExactly(
            Map.entry(BusCounters.EVERY_CLOUD, new Traffic(5, 500)),
            Map.entry("b", new Traffic(3, 110)));
    CloudView own = a1.cloud("a").orElseThrow();
    assertThat(own.instances())
        .as("as this node announced them")
        .isEqualTo(new InstanceCounts(3, 1));
    assertThat(own.sent()).isEqualTo(aSeenByB.sent());
    assertThat(a1.cloud("b").orElseThrow().instances()).isEqualTo(new InstanceCounts(7, 0));
    assertThat(a1.cloud("b").orElseThrow().sent())
        .containsExactly(Map.entry("a", new Traffic(6, 60)));
    assertThat(a1.cloud("c").orElseThrow().instances()).isNull();
    assertThat(a1.cloud("c").orElseThrow().sent()).isEmpty();
    assertThat(a1.health("c")).isEqualTo(CloudHealth.UP);
  }

  @Test
  void shouldAnnounceItselfWhenItsReportFailsOrCarriesNegativeNumbers() {
    Topology a = started("a");
    Topology b = node("b", bus, clock, SETTINGS);
    b.reportWith(
        () -> {
          throw new IllegalStateException("store closed");
        });

    b.tick();

    await("a hears b", () -> a.health("b") == CloudHealth.UP);
    assertThat(a.cloud("b").orElseThrow().instances()).isNull();
    a.receive(
        Envelope.builder("n", "heartbeat", "c")
            .sentAt(T0)
            .payload(
                ("{\"node\":\"c-1\",\"cloud\":\"c\",\"sentAt\":0,"
                        + "\"instances\":{\"owned\":-1,\"standby\":2},"
                        + "\"sent\":{\"a\":{\"messages\":-5,\"bytes\":1},"
                        + "\"b\":{\"messages\":5,\"bytes\":80}}}")
                    .getBytes(StandardCharsets.UTF_8))
            .build());

    assertThat(a.health("c")).isEqualTo(CloudHealth.UP);
    assertThat(a.cloud("c").orElseThrow().instances()).isNull();
    assertThat(a.cloud("c").orElseThrow().sent())
        .containsExactly(Map.entry("b", new Traffic(5, 80)));
  }

  private static NodeReport report(InstanceCounts instances, Map<String, Traffic> sent) {
    return new NodeReport(instances, new java.util.TreeMap<>(sent));
  }

  @Test
  void shouldRefuseInconsistentSettings() {
    assertThatThrownBy(() -> new TopologySettings(Duration.ZERO, 3, 10))
        .hasMessage("bus.heartbeat.interval must be positive, not PT0S");
    assertThatThrownBy(() -> new TopologySettings(Duration.ofSeconds(1), 0, 10))
        .hasMessage("bus.heartbeat.suspectAfter must be at least 1, not 0");
    assertThatThrownBy(() -> new TopologySettings(Duration.ofSeconds(1), 3, 3))
        .hasMessage("bus.heartbeat.downAfter (3) must be more than suspectAfter (3)");
  }
}
