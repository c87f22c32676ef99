package io.cob.engine.state;

import java.time.Instant;

/** An open message subscription. */
public record SubscriptionInfo(
    long subscriptionKey,
    long elementKey,
    String targetElementId,
    String messageName,
    String correlationKey,
    Instant createdAt) {}
