package io.cob.engine.processor;

/**
 * Raised inside element behaviour when an expected failure (an expression that cannot be evaluated,
 * no matching flow, a process that cannot be called) stops an element. The flow control turns it
 * into an incident at the element; it never leaves the processor.
 */
final class IncidentSignal extends RuntimeException {
  private static final long serialVersionUID = 1L;
  final String kind;

  IncidentSignal(String kind, String message) {
    super(message, null, false, false);
    this.kind = kind;
  }
}
