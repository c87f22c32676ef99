package io.cob.model;

/**
 * An end event.
 *
 * @param result {@link EventDefinition.None}, {@link EventDefinition.Terminate}, {@link
 *     EventDefinition.Error} or {@link EventDefinition.Message}
 * @param job for a message end event: the job that sends the message, or {@code null} when the
 *     message is published inside cob (no job definition)
 */
public record EndEvent(
    ElementHeader header, EventDefinition result, JobDefinition job, IoMapping io)
    implements FlowNode {}
