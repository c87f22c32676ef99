package io.cob.model;

/**
 * A start event.
 *
 * @param trigger {@link EventDefinition.None}, {@link EventDefinition.Message} or {@link
 *     EventDefinition.Timer}
 */
public record StartEvent(ElementHeader header, EventDefinition trigger, IoMapping io)
    implements FlowNode {}
