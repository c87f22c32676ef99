package io.cob.model;

/**
 * Starts an instance of another process and waits for it to end.
 *
 * @param calledElement the process id to call (literal or expression)
 * @param propagateAllChildVariables whether all child variables are copied back when no output
 *     mapping exists (Camunda 8 default {@code true})
 * @param propagateAllParentVariables whether all visible parent variables are passed to the child
 *     when no input mapping exists (Camunda 8 default {@code true})
 */
public record CallActivity(
    ElementHeader header,
    Expression calledElement,
    boolean propagateAllChildVariables,
    boolean propagateAllParentVariables,
    IoMapping io,
    MultiInstance loop)
    implements Activity {}
