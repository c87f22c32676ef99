package io.cob.model;

/** Waits for a message. */
public record ReceiveTask(
    ElementHeader header, MessageRef message, IoMapping io, MultiInstance loop)
    implements Activity {}
