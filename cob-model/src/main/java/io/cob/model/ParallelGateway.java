package io.cob.model;

/** Forks to all outgoing flows; joins by waiting for one token on every incoming flow. */
public record ParallelGateway(ElementHeader header) implements Gateway {}
