package io.cob.model;

/**
 * A {@code <message>} definition as referenced by an event or receive task.
 *
 * @param id the message element's id
 * @param name the message name; literal or expression ({@code =...}) evaluated when the
 *     subscription opens
 * @param correlationKey the expression giving the correlation key ({@code zeebe:subscription} or
 *     {@code cob:correlationKey}), or {@code null} when messages correlate by name (or instance id)
 *     only
 */
public record MessageRef(String id, Expression name, Expression correlationKey) {}
