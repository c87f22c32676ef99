package io.cob.bus.memory;

import static io.cob.bus.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cob.bus.BusContract;
import io.cob.bus.RecordingHandler;
import io.cob.bus.TestEnvelopes;
import io.cob.engine.port.bus.Bus;
import io.cob.engine.port.bus.BusException;
import io.cob.engine.port.bus.Envelope;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The bus contract on the in-memory bus, plus cutting a cloud off. */
class MemoryBusTest extends BusContract {

  @Override
  protected Bus newBus() {
    return new MemoryBus(maxDeliveries());
  }

  @Override
  protected int maxDeliveries() {
    return 4;
  }

  private MemoryBus memory() {
    return (MemoryBus) bus;
  }

  @Test
  void shouldHoldEnvelopesForADisconnectedCloudUntilItReconnects() {
    RecordingHandler a = new RecordingHandler();
    bus.subscribe(cloud("a"), a);
    memory().disconnect(cloud("a"));

    Envelope waiting = TestEnvelopes.to(cloud("b"), cloud("a"));
    bus.publish(waiting);
    Envelope broadcast = TestEnvelopes.broadcast(cloud("b"), Instant.now());
    bus.publish(broadcast);
    assertThat(memory().queued(cloud("a"))).isEqualTo(2);
    assertThat(a.count()).isZero();

    memory().reconnect(cloud("a"));

    await("the waiting envelopes arrive", () -> a.distinctIds().size() == 2);
    assertThat(memory().isDisconnected(cloud("a"))).isFalse();
  }

  @Test
  void shouldFailWhatADisconnectedCloudSends() {
    bus.subscribe(cloud("b"), new RecordingHandler());
    memory().disconnect(cloud("a"));

    assertThatThrownBy(() -> bus.publish(TestEnvelopes.to(cloud("a"), cloud("b"))))
        .isInstanceOf(BusException.class)
        .hasMessageContaining(cloud("a") + " is cut off");
    assertThatThrownBy(() -> bus.announce(TestEnvelopes.broadcast(cloud("a"), Instant.now())))
        .isInstanceOf(BusException.class);

    memory().reconnect(cloud("a"));
    bus.publish(TestEnvelopes.to(cloud("a"), cloud("b")));
  }

  @Test
  void shouldNotAnnounceToAListenerOfADisconnectedCloud() {
    RecordingHandler a = new RecordingHandler();
    RecordingHandler c = new RecordingHandler();
    bus.listen(cloud("a"), a);
    bus.listen(cloud("c"), c);
    memory().disconnect(cloud("a"));

    Envelope news = TestEnvelopes.broadcast(cloud("b"), Instant.now());
    bus.announce(news);
    await("the connected listener hears it", () -> c.got(news.messageId()));
    memory().reconnect(cloud("a"));
    Envelope next = TestEnvelopes.broadcast(cloud("b"), Instant.now());
    bus.announce(next);

    await("the reconnected listener hears the next one", () -> a.got(next.messageId()));
    assertThat(a.got(news.messageId())).as("announcements are not kept").isFalse();
  }

  @Test
  void shouldRefuseEverythingOnceClosed() {
    bus.close();

    assertThatThrownBy(() -> bus.publish(TestEnvelopes.to(cloud("a"), cloud("b"))))
        .isInstanceOf(BusException.class)
        .hasMessageContaining("closed");
    assertThatThrownBy(() -> bus.subscribe(cloud("a"), new RecordingHandler()))
        .isInstanceOf(BusException.class);
  }

  @Test
  void shouldRejectAMaxDeliveriesBelowOne() {
    assertThatThrownBy(() -> new MemoryBus(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxDeliveries must be at least 1, not 0");
  }
}
