package io.cob.model;

/** What triggers or results from an event. */
public sealed interface EventDefinition {

  /** No event definition: a plain start, end or throw event. */
  record None() implements EventDefinition {}

  /** A message, by reference to a {@code <message>} of the document. */
  record Message(MessageRef message) implements EventDefinition {}

  /** A timer. */
  record Timer(TimerSpec timer) implements EventDefinition {}

  /**
   * An error. On a catch (boundary) event a {@code null} errorCode catches every error; on an end
   * event errorCode is the code thrown.
   */
  record Error(String errorRef, String errorCode) implements EventDefinition {}

  /** A terminate end event: ends every token of its own scope. */
  record Terminate() implements EventDefinition {}
}
