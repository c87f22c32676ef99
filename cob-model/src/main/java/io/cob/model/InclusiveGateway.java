package io.cob.model;

/**
 * Forks to every outgoing flow whose condition holds (else the default); joins by waiting until no
 * other token in the scope can still reach it.
 */
public record InclusiveGateway(ElementHeader header, String defaultFlowId) implements Gateway {}
