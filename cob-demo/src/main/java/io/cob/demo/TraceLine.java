package io.cob.demo;

import java.time.Duration;

/**
 * One line of the demo's live trace.
 *
 * @param at the time since the demo started the instance
 * @param cloud the cloud the engine recorded for the step (its placement), or the owner's
 * @param node the node that ran it
 * @param element the element's name (or the actor, for a person's decision)
 * @param what what happened, in words
 * @param kind how to show it
 * @param modelCloud the cloud the model's lane names when it differs from {@code cloud}, else
 *     {@code null}
 */
public record TraceLine(
    Duration at,
    String cloud,
    String node,
    String element,
    String what,
    Kind kind,
    String modelCloud) {

  /** What sort of line it is. */
  public enum Kind {
    /** The instance started or ended. */
    INSTANCE,
    /** A step completed. */
    STEP,
    /** The instance waits for a person. */
    WAITING,
    /** The demo acts as a person. */
    PERSON,
    /** An attempt failed and will be retried. */
    RETRY,
    /** The instance needs a person to repair it. */
    INCIDENT,
    /** The staged outage. */
    OUTAGE,
    /** Anything else worth saying. */
    NOTE
  }
}
