package io.cob.model;

/**
 * A step done by a job: {@code serviceTask}, {@code sendTask}, or a message-throwing event's job
 * equivalent. The job type says which connector or external worker does it.
 */
public record ServiceTask(ElementHeader header, JobDefinition job, IoMapping io, MultiInstance loop)
    implements Activity {}
