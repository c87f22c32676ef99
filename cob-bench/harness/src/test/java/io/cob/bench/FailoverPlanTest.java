package io.cob.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class FailoverPlanTest {
  private static final List<ReplicationMode> BOTH =
      List.of(ReplicationMode.ASYNC, ReplicationMode.SYNC);

  @Test
  void shouldRunFailoverOncePerModeWithCobOnH2Only() {
    List<RunKey> plan =
        BenchMain.plan(
            List.of(Db.H2, Db.PG),
            List.of(Workload.FAILOVER),
            List.of(Vendor.COB, Vendor.CAMUNDA, Vendor.FLOWABLE),
            BOTH,
            List.of(1, 4),
            4);

    assertThat(plan)
        .containsExactly(
            new RunKey(Db.H2, Workload.FAILOVER, 0, Vendor.COB, "async"),
            new RunKey(Db.H2, Workload.FAILOVER, 0, Vendor.COB, "sync"));
    assertThat(plan.getFirst().label()).isEqualTo("FAILOVER-h2-async-cob");
  }

  @Test
  void shouldNotRunFailoverWithoutCobOrWithoutH2() {
    assertThat(
            BenchMain.plan(
                List.of(Db.H2),
                List.of(Workload.FAILOVER),
                List.of(Vendor.CAMUNDA),
                BOTH,
                List.of(1),
                4))
        .isEmpty();
    assertThat(
            BenchMain.plan(
                List.of(Db.PG),
                List.of(Workload.FAILOVER),
                List.of(Vendor.COB),
                BOTH,
                List.of(1),
                4))
        .isEmpty();
  }

  @Test
  void shouldPlanTheComparisonAsBeforeNextToFailover() {
    List<Vendor> vendors = List.of(Vendor.COB, Vendor.CAMUNDA);
    List<RunKey> without =
        BenchMain.plan(
            List.of(Db.H2), List.of(Workload.P1, Workload.P2), vendors, BOTH, List.of(1, 4), 4);
    List<RunKey> with =
        BenchMain.plan(
            List.of(Db.H2),
            List.of(Workload.P1, Workload.FAILOVER, Workload.P2),
            vendors,
            BOTH,
            List.of(1, 4),
            4);

    assertThat(with.stream().filter(k -> k.workload() != Workload.FAILOVER).toList())
        .isEqualTo(without);
    // The engines' order still rotates from row to row.
    assertThat(without.get(2).vendor()).isEqualTo(Vendor.CAMUNDA);
  }

  @Test
  void shouldParseTheReplicationModesAsCobYamlSpellsThem() {
    assertThat(ReplicationMode.parse(" Sync ")).isEqualTo(ReplicationMode.SYNC);
    assertThat(ReplicationMode.parse("async").id()).isEqualTo("async");
    assertThatThrownBy(() -> ReplicationMode.parse("quorum"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("quorum");
  }
}
