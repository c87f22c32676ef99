package io.cob.model;

/**
 * Passes through ({@link EventDefinition.None}) or sends a message ({@link
 * EventDefinition.Message}).
 *
 * @param job for a message throw event: the job that sends it, or {@code null} when the message is
 *     published inside cob
 */
public record IntermediateThrowEvent(
    ElementHeader header, EventDefinition result, JobDefinition job, IoMapping io)
    implements FlowNode {}
