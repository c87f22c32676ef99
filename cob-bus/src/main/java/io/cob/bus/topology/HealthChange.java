package io.cob.bus.topology;

import java.time.Instant;

/**
 * A cloud's health changed, as one node sees it.
 *
 * @param cloud the cloud
 * @param from the health before
 * @param to the health now
 * @param lastSeen when a heartbeat of the cloud last arrived, or {@code null} if never
 * @param at when the change was noticed (this node's clock)
 */
public record HealthChange(
    String cloud, CloudHealth from, CloudHealth to, Instant lastSeen, Instant at) {}
