package io.cob.server.replication;

import static org.assertj.core.api.Assertions.assertThat;

import io.cob.bus.memory.MemoryBus;
import io.cob.engine.event.EventRecord;
import io.cob.engine.event.InstanceEvent.InstanceCreated;
import io.cob.engine.port.bus.Bus;
import io.cob.engine.port.bus.Envelope;
import io.cob.engine.state.EventApplier;
import io.cob.engine.state.InstanceState;
import io.cob.engine.store.InMemoryStore;
import io.cob.server.support.DelegatingBus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** How the owner's shipper sends what its commits queue. */
class ReplicationShipperTest {
  static final int INSTANCES = 5;

  /**
   * A publish returns once the broker confirmed it, a disk write away for a durable queue: the
   * envelopes of one batch must wait for their confirms together, not one after the other, or the
   * lag of a standby grows with the number of instances running.
   */
  @Test
  void shouldSendTheEnvelopesOfABatchAtOnce() throws InterruptedException {
    MemoryBus memory = new MemoryBus();
    memory.declareCloud("public-a");
    // Each publish waits until all of the batch are being published (or 5 s pass).
    CountDownLatch publishing = new CountDownLatch(INSTANCES);
    Bus confirmingSlowly =
        new DelegatingBus(memory) {
          @Override
          public void publish(Envelope envelope) {
            publishing.countDown();
            try {
              publishing.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            super.publish(envelope);
          }
        };
    ReplicationShipper shipper =
        new ReplicationShipper(
            confirmingSlowly,
            "private",
            ReplicationPlan.ofCloud("private", List.of("public-a"), false),
            new InMemoryStore(),
            Clock.systemUTC(),
            Duration.ofSeconds(10),
            null);
    for (int i = 0; i < INSTANCES; i++) {
      EventRecord created =
          new EventRecord(
              1,
              Instant.now(),
              new InstanceCreated("i-" + i, "p", 1, null, null, 0, "private", Map.of()));
      InstanceState state = new InstanceState();
      EventApplier.apply(state, created);
      shipper.committed(state, List.of(created));
    }
    try {
      shipper.start();
      // One after the other, the fifth publish would begin only after four 5 s waits (20 s); 15 s
      // leaves a loaded machine room without letting a serial shipper pass.
      assertThat(publishing.await(15, TimeUnit.SECONDS))
          .as("all %d envelopes of the batch published together", INSTANCES)
          .isTrue();
    } finally {
      shipper.close();
    }
  }

  /**
   * On a fail-back the former owner adopts the whole log of the cloud that took the instance over;
   * the take-over in it ({@code OwnershipTaken} from this cloud) is not a hand-over this cloud
   * made: shipping the log back, as to the cloud an instance is handed to, would only have it
   * refused there (an older epoch), counted and logged as a refused shipment (found by {@code
   * ManualFailoverAndFailBackIT}). A hand-over this cloud commits still goes to its new owner.
   */
  @Test
  void shouldShipAnAdoptedLogNowhereButAHandOverToTheNewOwner() throws InterruptedException {
    MemoryBus memory = new MemoryBus();
    List<String> targets = new java.util.concurrent.CopyOnWriteArrayList<>();
    Bus recording =
        new DelegatingBus(memory) {
          @Override
          public void publish(Envelope envelope) {
            targets.add(envelope.instanceId() + "->" + envelope.targetCloud());
            super.publish(envelope);
          }
        };
    ReplicationShipper shipper =
        new ReplicationShipper(
            recording,
            "private",
            ReplicationPlan.ofCloud("private", List.of("public-b"), false),
            new InMemoryStore(),
            Clock.systemUTC(),
            Duration.ofSeconds(10),
            null);
    // All queued before the shipper starts: one batch, an envelope per instance and target.
    List<EventRecord> adopted = takenOverBy("adopted", "public-b");
    shipper.committed(replay(adopted), adopted); // taken over by public-b, adopted back whole
    List<EventRecord> handedOver = takenOverBy("handed", "public-a");
    shipper.committed(replay(handedOver.subList(0, 1)), handedOver.subList(0, 1));
    shipper.committed(replay(handedOver), handedOver.subList(1, 2)); // handed over by this cloud
    try {
      shipper.start();
      io.cob.server.support.CloudNodes.await(
          "the hand-over shipped", Duration.ofSeconds(5), () -> targets.size() >= 2);
      Thread.sleep(500); // anything more it would ship
      assertThat(targets).containsExactlyInAnyOrder("handed->public-b", "handed->public-a");
    } finally {
      shipper.close();
    }
  }

  /** Created by {@code private}, then taken over from it by {@code to}. */
  private static List<EventRecord> takenOverBy(String id, String to) {
    return List.of(
        new EventRecord(
            1, Instant.now(), new InstanceCreated(id, "p", 1, null, null, 0, "private", Map.of())),
        new EventRecord(
            2,
            Instant.now(),
            new io.cob.engine.event.InstanceEvent.OwnershipTaken("private", to, 1, "test")));
  }

  private static InstanceState replay(List<EventRecord> log) {
    InstanceState state = new InstanceState();
    log.forEach(e -> EventApplier.apply(state, e));
    return state;
  }
}
