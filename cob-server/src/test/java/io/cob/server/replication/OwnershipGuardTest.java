package io.cob.server.replication;

import static io.cob.server.support.CloudNodes.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.cob.bus.memory.MemoryBus;
import io.cob.server.config.BusConfig;
import io.cob.server.support.DelegatingBus;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
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
              public Replication.FailoverResult preview(String from) {
                return new Replication.FailoverResult(from, "private", 0, List.of());
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

  /**
   * A fail-over by hand that data residency refuses for every running instance takes nothing and
   * leaves no take-over notice: a notice would fence the owner, and the instances, which no other
   * cloud took, could go on nowhere.
   */
  @Test
  void shouldLeaveNoNoticeWhenResidencyRefusesEveryInstance() {
    List<String> failedOver = new ArrayList<>();
    try (MemoryBus memory = new MemoryBus()) {
      OwnershipGuard guard =
          standbyOfPrivate(
              memory,
              failedOver,
              new Replication.FailoverResult(
                  "private", "public-a", 0, List.of("i-1: it holds variables resident in ...")));

      Replication.FailoverResult r = guard.takeOver("private", "manual fail-over");

      assertThat(r.instances()).isZero();
      assertThat(r.refused()).containsExactly("i-1: it holds variables resident in ...");
      assertThat(memory.takeoverNotice(OwnershipGuard.noticeName("private", "public-a")))
          .as("the owner is not fenced")
          .isEmpty();
      assertThat(failedOver).isEmpty();
      assertThat(guard.takenOver()).isEmpty();
    }
  }

  /** One instance the cloud may take is enough: the owner is fenced and the cloud taken over. */
  @Test
  void shouldTakeOverWhenSomeInstanceMayComeHere() {
    List<String> failedOver = new ArrayList<>();
    try (MemoryBus memory = new MemoryBus()) {
      OwnershipGuard guard =
          standbyOfPrivate(
              memory,
              failedOver,
              new Replication.FailoverResult(
                  "private", "public-a", 1, List.of("i-1: it holds variables resident in ...")));

      guard.takeOver("private", "manual fail-over");

      assertThat(memory.takeoverNotice(OwnershipGuard.noticeName("private", "public-a")))
          .isPresent();
      assertThat(failedOver).containsExactly("private");
    }
  }

  /** A standby ({@code public-a}) of {@code private}, not started: only {@link #takeOver} runs. */
  private static OwnershipGuard standbyOfPrivate(
      MemoryBus bus, List<String> failedOver, Replication.FailoverResult preview) {
    return new OwnershipGuard(
        bus,
        "public-a",
        "node-a",
        Map.of("private", List.of("public-a")),
        FAST,
        new Takeovers() {
          @Override
          public boolean hasTakeoverCandidates(String from, Predicate<String> present) {
            return false;
          }

          @Override
          public Replication.FailoverResult preview(String from) {
            return preview;
          }

          @Override
          public Replication.FailoverResult failover(String from, String reason) {
            failedOver.add(from);
            return new Replication.FailoverResult(from, "public-a", preview.instances(), List.of());
          }

          @Override
          public Replication.FailoverResult failover(
              String from, String reason, Predicate<String> present) {
            return failover(from, reason);
          }
        },
        Clock.systemUTC());
  }
}
