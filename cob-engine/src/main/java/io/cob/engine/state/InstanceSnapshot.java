package io.cob.engine.state;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * An immutable copy of an instance's state after some event: what the store keeps so that an
 * instance can be loaded without replaying its log. It holds plain records, lists and maps with
 * JSON-friendly values only, so any store can serialise it as JSON.
 *
 * @param lastSeq the sequence number of the last event applied
 * @param nextKey the next free key of the instance's key counter
 * @param elements active element instances by key
 * @param variables variables by scope key (1 is the process instance)
 * @param joinArrivals tokens waiting at joining gateways: {@code scopeKey/gatewayId} -> flow ids
 * @param traceparent the W3C trace context the instance was started in ({@code InstanceTraced}), or
 *     {@code null} when it was started untraced
 */
public record InstanceSnapshot(
    String instanceId,
    String processId,
    int version,
    String businessKey,
    String status,
    String parentInstanceId,
    long parentElementKey,
    String ownerCloud,
    long epoch,
    Instant startedAt,
    Instant endedAt,
    long lastSeq,
    long nextKey,
    Map<Long, ElementInstance> elements,
    Map<Long, Map<String, Object>> variables,
    Map<String, List<String>> joinArrivals,
    Map<Long, JobInfo> jobs,
    Map<Long, TimerInfo> timers,
    Map<Long, SubscriptionInfo> subscriptions,
    Map<Long, UserTaskInfo> userTasks,
    Map<Long, IncidentInfo> incidents,
    String traceparent) {}
