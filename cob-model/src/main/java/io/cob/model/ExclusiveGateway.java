package io.cob.model;

/** Takes the first outgoing flow whose condition holds, else the default flow. */
public record ExclusiveGateway(ElementHeader header, String defaultFlowId) implements Gateway {}
