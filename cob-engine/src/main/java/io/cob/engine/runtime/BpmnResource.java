package io.cob.engine.runtime;

/** A BPMN file to deploy: its name (used in problem locations) and its bytes. */
public record BpmnResource(String name, byte[] content) {}
