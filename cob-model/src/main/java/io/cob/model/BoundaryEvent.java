package io.cob.model;

/**
 * An event attached to an activity.
 *
 * @param attachedTo the id of the activity
 * @param cancelActivity {@code true} for interrupting (the default), {@code false} for
 *     non-interrupting; error boundary events are always interrupting
 * @param trigger {@link EventDefinition.Error}, {@link EventDefinition.Timer} or {@link
 *     EventDefinition.Message}
 */
public record BoundaryEvent(
    ElementHeader header,
    String attachedTo,
    boolean cancelActivity,
    EventDefinition trigger,
    IoMapping io)
    implements FlowNode {}
