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
}
