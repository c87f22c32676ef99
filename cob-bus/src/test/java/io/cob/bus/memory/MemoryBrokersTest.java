package io.cob.bus.memory;

import static io.cob.bus.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cob.bus.RecordingHandler;
import io.cob.bus.TestEnvelopes;
import io.cob.engine.port.bus.BusException;
import io.cob.engine.port.bus.Envelope;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class MemoryBrokersTest {
  private final String name = "test-" + UUID.randomUUID();

  @Test
  void shouldLetTwoLeasesOfOneNameTalkThroughOneBroker() {
    try (MemoryBusLease a = MemoryBrokers.lease(name);
        MemoryBusLease b = MemoryBrokers.lease(name)) {
      RecordingHandler received = new RecordingHandler();
      b.subscribe("public-a", received);

      Envelope sent = TestEnvelopes.to("private", "public-a");
      a.publish(sent);

      await("the envelope crosses leases", () -> received.got(sent.messageId()));
      assertThat(a.broker()).isSameAs(b.broker());
      assertThat(MemoryBrokers.find(name)).containsSame(a.broker());
    }
  }

  @Test
  void shouldKeepSeparateNamesApart() {
    try (MemoryBusLease a = MemoryBrokers.lease(name);
        MemoryBusLease other = MemoryBrokers.lease(name + "-other")) {
      assertThat(a.broker()).isNotSameAs(other.broker());
      assertThat(a.keys(List.of("x", "y")).key("x", "y"))
          .isNotEqualTo(other.keys(List.of("x", "y")).key("x", "y"));
    }
  }

  @Test
  void shouldDeriveTheSameKeysInEveryLeaseOfABroker() {
    try (MemoryBusLease a = MemoryBrokers.lease(name);
        MemoryBusLease b = MemoryBrokers.lease(name)) {
      var fromA = a.keys(List.of("private", "public-a"));
      var fromB = b.keys(List.of("public-a", "private", "public-b"));

      assertThat(fromA.pairs())
          .containsExactly("private|private", "private|public-a", "public-a|public-a");
      assertThat(fromA.key("public-a", "private")).isEqualTo(fromB.key("private", "public-a"));
      assertThat(fromA.key("private", "private")).isNotEqualTo(fromA.key("private", "public-a"));
    }
  }

  @Test
  void shouldStopOnlyItsOwnSubscriptionsWhenALeaseCloses() {
    MemoryBusLease leaving = MemoryBrokers.lease(name);
    try (MemoryBusLease staying = MemoryBrokers.lease(name)) {
      RecordingHandler stays = new RecordingHandler();
      RecordingHandler goes = new RecordingHandler();
      staying.listen("public-a", stays);
      leaving.listen("private", goes);

      leaving.close();
      Envelope heartbeat = TestEnvelopes.broadcast("public-a", Instant.now());
      staying.announce(heartbeat);

      await("the remaining listener hears it", () -> stays.got(heartbeat.messageId()));
      assertThat(goes.count()).isZero();
      assertThat(leaving.isConnected("private")).isFalse();
      assertThat(staying.isConnected("public-a")).isTrue();
      assertThatThrownBy(() -> leaving.announce(heartbeat))
          .isInstanceOf(BusException.class)
          .hasMessageContaining("is closed");
    }
  }

  @Test
  void shouldCloseTheBrokerWithItsLastLease() {
    MemoryBusLease only = MemoryBrokers.lease(name);
    MemoryBus first = only.broker();
    only.close();

    assertThat(MemoryBrokers.find(name)).isEmpty();
    try (MemoryBusLease again = MemoryBrokers.lease(name)) {
      assertThat(again.broker()).isNotSameAs(first);
    }
  }

  @Test
  void shouldReportACloudCutOffAsNotConnected() {
    try (MemoryBusLease lease = MemoryBrokers.lease(name)) {
      lease.broker().disconnect("private");
      assertThat(lease.isConnected("private")).isFalse();
      lease.broker().reconnect("private");
      assertThat(lease.isConnected("private")).isTrue();
    }
  }
}
