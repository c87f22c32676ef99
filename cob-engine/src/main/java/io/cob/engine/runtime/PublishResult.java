package io.cob.engine.runtime;

import java.util.List;

/**
 * What publishing a message did.
 *
 * @param correlated instances whose subscription took the message
 * @param started instances started by a message start event
 * @param buffered whether the message was kept for subscriptions that open later
 */
public record PublishResult(
    String messageId, List<String> correlated, List<String> started, boolean buffered) {}
