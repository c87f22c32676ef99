package io.cob.server.replication;

import static io.cob.server.support.CloudNodes.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.cob.bus.memory.MemoryBus;
import io.cob.server.config.BusConfig;
import io.cob.server.support.DelegatingBus;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** The ownership lease of one node, on a memory broker. */
class OwnershipGuardTest {
  static final BusConfig.Ownership FAST =
      new BusConfig.Ownership(
          Duration.ofMillis(50), Duration.ofMillis(300), Duration.ofMillis(600), true);

  /**
   * A question to the broker may fail with something else than the bus's own exception (a client
   * library's, when the connection dies under the call): the guard asks again the next round. Were
   * its thread to end, the node would stay fenced for good, and as a standby it would never take a
   * cloud over.
   */
  @Test
  void shouldKeepConfirmingTheLeaseAfterAQuestionFailedUnexpectedly() {
    MemoryBus memory = new MemoryBus();
    AtomicLong firstAsked = new AtomicLong();
    DelegatingBus failingForAWhile =
        new DelegatingBus(memory) {
          @Override
          public boolean presence(String cloud) {
            long first = firstAsked.updateAndGet(t -> t == 0 ? System.nanoTime() : t);
            if (System.nanoTime() - first < Duration.ofMillis(600).toNanos()) {
              throw new IllegalStateException("the connection died under the call");
            }
            return super.presence(cloud);
          }
        };
    OwnershipGuard guard =
        new OwnershipGuard(
            failingForAWhile,
            "private",
            "node-p",
            Map.of("private", List.of("public-a")),
            FAST,
            new Takeovers() {
              @Override
              public boolean hasTakeoverCandidates(String from, Predicate<String> present) {
                return false;
              }

              @Override
              public Replication.FailoverResult failover(String from, String reason) {
                return new Replication.FailoverResult(from, "private", 0, List.of());
              }

              @Override
              public Replication.FailoverResult failover(
                  String from, String reason, Predicate<String> present) {
                return failover(from, reason);
              }
            },
            Clock.systemUTC());
    try {
      guard.start();
      await("fenced while it cannot confirm", Duration.ofSeconds(5), () -> guard.fenced() != null);
      await(
          "the lease confirmed again once the broker answers",
          Duration.ofSeconds(5),
          () -> guard.fenced() == null);
      assertThat(memory.presence("private")).as("the mark still held").isTrue();
    } finally {
      guard.close();
      memory.close();
    }
  }
}
