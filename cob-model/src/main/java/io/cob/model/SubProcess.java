package io.cob.model;

/** An embedded subProcess: a scope whose child nodes have this node's id as their scopeId. */
public record SubProcess(ElementHeader header, IoMapping io, MultiInstance loop)
    implements Activity {}
