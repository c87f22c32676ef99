package io.cob.model;

/**
 * Waits for a message or a timer.
 *
 * @param trigger {@link EventDefinition.Message} or {@link EventDefinition.Timer}
 */
public record IntermediateCatchEvent(ElementHeader header, EventDefinition trigger, IoMapping io)
    implements FlowNode {}
