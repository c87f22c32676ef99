package io.cob.model;

/** Waits for the first of the catch events that follow it; the others are withdrawn. */
public record EventBasedGateway(ElementHeader header) implements Gateway {}
