package io.cob.model;

/** Gateways route tokens; they do no work and never wait except to join. */
public sealed interface Gateway extends FlowNode
    permits ExclusiveGateway, ParallelGateway, InclusiveGateway, EventBasedGateway {}
