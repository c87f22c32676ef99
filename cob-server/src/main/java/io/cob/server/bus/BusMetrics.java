package io.cob.server.bus;

import io.cob.bus.BusCounters;
import io.cob.bus.BusCounters.Direction;
import io.cob.bus.BusCounters.Flow;
import io.cob.bus.RefusalReason;
import io.cob.bus.topology.CloudHealth;
import io.cob.bus.topology.CloudView;
import io.cob.bus.topology.Topology;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The bus's metrics:
 *
 * <ul>
 *   <li>{@code cob_bus_envelopes_accepted_total} and {@code
 *       cob_bus_envelopes_refused_total{reason}} (reasons as {@link RefusalReason#label()}: {@code
 *       unsigned}, {@code bad_signature}, {@code unknown_pair}, {@code wrong_target}, {@code
 *       stale}, {@code future}, {@code replay}), counted by this node's {@code SignedBus};
 *   <li>{@code cob_bus_envelopes_sent_total{target,type}} and {@code
 *       cob_bus_envelopes_send_failed_total{target,type}}: envelopes this node published or
 *       announced, that the transport took or refused, by target cloud ({@code *} for a broadcast
 *       or an announcement) and envelope type ({@code heartbeat}, {@code job.dispatch}, {@code
 *       job.result} ...);
 *   <li>{@code cob_bus_envelopes_received_total{source,type}} and {@code
 *       cob_bus_envelopes_redelivered_total{source,type}}: envelopes let through to this node's
 *       handlers, by source cloud and type, and those of them the bus had delivered before (a
 *       handler failed, or its acknowledgement was lost); their sum is the accepted count;
 *   <li>{@code cob_bus_connected}: 1 while the transport is connected, else 0;
 *   <li>{@code cob_cloud_health{cloud}}: 1 UP, 0.5 SUSPECT, 0 DOWN, for every cloud this node knows
 *       (a cloud discovered later gets its gauge when its health first changes);
 *   <li>{@code cob_cloud_latency_seconds{cloud}}: the estimated one-way latency over the bus to the
 *       cloud's nearest node, NaN until measured.
 * </ul>
 *
 * <p>Values are read at each scrape. A sent or received series appears when its first envelope is
 * counted. Every meter also carries the node's common tags; the {@code cloud} tag of the cloud
 * meters is the cloud observed, not this node's (the flows name the other cloud {@code target} or
 * {@code source} and keep {@code cloud} for this node's).
 */
public final class BusMetrics implements MeterBinder {
  private final NodeBus nodeBus;
  private final Set<String> registered = ConcurrentHashMap.newKeySet();

  public BusMetrics(NodeBus nodeBus) {
    this.nodeBus = nodeBus;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    BusCounters counters = nodeBus.counters();
    FunctionCounter.builder("cob.bus.envelopes.accepted", counters, BusCounters::acceptedCount)
        .description("Envelopes whose signature and age passed, handed to a handler")
        .register(registry);
    for (RefusalReason reason : RefusalReason.values()) {
      FunctionCounter.builder("cob.bus.envelopes.refused", counters, c -> c.refusedCount(reason))
          .description("Envelopes refused by signature or age checks, by reason")
          .tag("reason", reason.label())
          .register(registry);
    }
    counters.onNewFlow(flow -> register(registry, counters, flow));
    Gauge.builder(
            "cob.bus.connected",
            nodeBus.health(),
            h -> h.check().status() == BusHealth.Status.UP ? 1 : 0)
        .description("1 while this node's bus connection is up")
        .strongReference(true)
        .register(registry);
    Topology topology = nodeBus.topology();
    topology.clouds().forEach(view -> register(registry, topology, view.cloud()));
    topology.addListener(change -> register(registry, topology, change.cloud()));
  }

  /** The series of one flow of envelopes; registering it again returns the same meter. */
  private static void register(MeterRegistry registry, BusCounters counters, Flow flow) {
    boolean sent = flow.direction() == Direction.SENT || flow.direction() == Direction.SEND_FAILED;
    String description =
        switch (flow.direction()) {
          case SENT -> "Envelopes sent, by target cloud and type";
          case SEND_FAILED -> "Envelopes the transport did not take, by target cloud and type";
          case RECEIVED -> "Envelopes received and let through, by source cloud and type";
          case REDELIVERED -> "Envelopes received again after an earlier delivery";
        };
    FunctionCounter.builder(
            "cob.bus.envelopes." + flow.direction().label().replace('_', '.'),
            counters,
            c -> c.count(flow))
        .description(description)
        .tag(sent ? "target" : "source", flow.cloud())
        .tag("type", flow.type())
        .register(registry);
  }

  private void register(MeterRegistry registry, Topology topology, String cloud) {
    if (!registered.add(cloud)) {
      return;
    }
    Gauge.builder("cob.cloud.health", topology, t -> value(t.health(cloud)))
        .description("Health of a cloud as this node sees it: 1 UP, 0.5 SUSPECT, 0 DOWN")
        .tag("cloud", cloud)
        .strongReference(true)
        .register(registry);
    Gauge.builder("cob.cloud.latency", topology, t -> latencySeconds(t, cloud))
        .description("Estimated one-way bus latency to the cloud's nearest node")
        .baseUnit("seconds")
        .tag("cloud", cloud)
        .strongReference(true)
        .register(registry);
  }

  private static double value(CloudHealth health) {
    return switch (health) {
      case UP -> 1.0;
      case SUSPECT -> 0.5;
      case DOWN -> 0.0;
    };
  }

  private static double latencySeconds(Topology topology, String cloud) {
    Duration latency = topology.cloud(cloud).map(CloudView::latency).orElse(null);
    return latency == null ? Double.NaN : latency.toNanos() / 1e9;
  }
}
