package io.cob.model;

/** A {@code task} or {@code manualTask}: completes as soon as it is reached. */
public record Task(ElementHeader header, IoMapping io, MultiInstance loop) implements Activity {}
