package io.cob.bus.topology;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

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
 */
public record CloudView(
    String cloud, CloudHealth health, Instant lastSeen, Duration latency, List<NodeView> nodes) {
  public CloudView {
    nodes = List.copyOf(nodes);
  }
}
