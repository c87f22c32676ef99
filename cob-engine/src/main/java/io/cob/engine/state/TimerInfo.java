package io.cob.engine.state;

import java.time.Instant;

/** An armed timer; see {@link io.cob.engine.event.InstanceEvent.TimerCreated}. */
public record TimerInfo(
    long timerKey,
    long elementKey,
    String targetElementId,
    Instant dueAt,
    int repetitionsLeft,
    String interval) {}
