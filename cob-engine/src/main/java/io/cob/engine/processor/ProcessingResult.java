package io.cob.engine.processor;

import io.cob.engine.event.EventRecord;
import io.cob.engine.port.IndexChange;
import io.cob.engine.port.StoreRows.JobRow;
import io.cob.engine.port.StoreRows.OutboxRow;
import io.cob.engine.port.StoreRows.TimerRow;
import io.cob.engine.state.InstanceState;
import java.util.List;

/**
 * What processing a command produced: the events (already applied to {@code state}), the index
 * changes to write with them, and the work to start once they are committed.
 *
 * @param rejection why the command was refused ({@code null} when accepted); a refused command
 *     produced nothing
 * @param localJobs jobs this node locked for itself and runs after commit
 * @param timers timers armed by this command
 * @param outbox commands for other instances and messages to publish, delivered after commit
 */
public record ProcessingResult(
    InstanceState state,
    String rejection,
    List<EventRecord> events,
    List<IndexChange> changes,
    List<JobRow> localJobs,
    List<TimerRow> timers,
    List<OutboxRow> outbox) {

  public boolean rejected() {
    return rejection != null;
  }

  /** How the rejection of replicated events that leave a gap in the replica's log begins. */
  public static final String GAP = "gap in the replica of instance ";

  /** How the refusal of events of a higher epoch for an instance owned here begins. */
  public static final String TAKEN_OVER = "taken over while away: instance ";

  /** Accepted, changing nothing (events that were applied before). */
  static ProcessingResult unchanged(InstanceState state) {
    return new ProcessingResult(state, null, List.of(), List.of(), List.of(), List.of(), List.of());
  }

  static ProcessingResult rejected(InstanceState state, String why) {
    return new ProcessingResult(state, why, List.of(), List.of(), List.of(), List.of(), List.of());
  }
}
