package io.cob.bus.topology;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * What a node knows of another node.
 *
 * @param nodeId the node's id
 * @param cloud its cloud
 * @param lastSeen when its last heartbeat arrived (this node's clock)
 * @param lastSentAt when it sent that heartbeat (its clock; compare with care, clocks are skewed)
 * @param roundTrip the smoothed round trip between the two nodes over the bus, or {@code null}
 *     until measured
 * @param reportedHealth the health of every cloud as that node reported it in its last heartbeat
 * @param report what else it reported in its last heartbeat ({@link NodeReport#NONE} if nothing)
 */
public record NodeView(
    String nodeId,
    String cloud,
    Instant lastSeen,
    Instant lastSentAt,
    Duration roundTrip,
    Map<String, CloudHealth> reportedHealth,
    NodeReport report) {
  public NodeView {
    reportedHealth = Map.copyOf(reportedHealth);
    report = report == null ? NodeReport.NONE : report;
  }
}
