package io.cob.engine.event;

import java.time.Instant;

/**
 * One entry of an instance's event log.
 *
 * @param seq the position in the instance's log, starting at 1, without gaps
 * @param at the engine clock's time when the command that produced it was processed
 * @param event what happened
 */
public record EventRecord(long seq, Instant at, InstanceEvent event) {

  /** The event's type name as shown in history: the record's simple name. */
  public String type() {
    return event.getClass().getSimpleName();
  }
}
