package io.cob.model;

/** A node of the process graph: an event, an activity or a gateway. */
public sealed interface FlowNode
    permits Activity,
        Gateway,
        StartEvent,
        EndEvent,
        IntermediateCatchEvent,
        IntermediateThrowEvent,
        BoundaryEvent {

  ElementHeader header();

  default String id() {
    return header().id();
  }

  default String name() {
    return header().name();
  }

  default String scopeId() {
    return header().scopeId();
  }

  default String tag() {
    return header().tag();
  }
}
