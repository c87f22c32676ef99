package io.cob.bus.topology;

import io.cob.bus.BusCounters.Traffic;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a node knows of one cloud now ({@code GET /api/v1/clouds}).
 *
 * @param cloud the cloud's name
 * @param health its health as this node sees it
 * @param lastSeen when this node last received a heartbeat from any node of it (this node's clock),
 *     or {@code null} if never; for this node's own cloud, now
 * @param latency estimated one-way latency to its nearest node (half the measured round trip), or
 *     {@code null} until measured; zero for this node's own cloud
 * @param nodes its nodes heard from, by node id
 * @param instances its running instances as its most recently heard node counted them (for this
 *     node's own cloud: as this node announced them last), or {@code null} when no node of it
 *     reported them
 * @param sent what its nodes put on the bus, by target cloud ({@link
 *     io.cob.bus.BusCounters#EVERY_CLOUD} for announcements): the sum over its nodes of each one's
 *     last report, each counted since that node started; this node's own share for its own cloud as
 *     it announced it last
 */
public record CloudView(
    String cloud,
    CloudHealth health,
    Instant lastSeen,
    Duration latency,
    List<NodeView> nodes,
    InstanceCounts instances,
    SortedMap<String, Traffic> sent) {
  public CloudView {
    nodes = List.copyOf(nodes);
    sent = Collections.unmodifiableSortedMap(new TreeMap<>(sent));
  }
}
