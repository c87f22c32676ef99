package io.cob.engine.port;

import io.cob.engine.event.EventRecord;
import io.cob.engine.port.StoreRows.InstanceSummary;
import io.cob.engine.state.InstanceSnapshot;
import java.util.List;

/**
 * Everything one or more commands changed in one instance: the new events (appended to its log),
 * the new snapshot and summary, and the index changes. Applied atomically by {@link Store#commit}.
 *
 * @param expectedVersion the instance version this commit was computed from; {@code 0} for a new
 *     instance. The store refuses the commit when the stored version differs.
 * @param newVersion the version after this commit; equals the sequence number of the last event
 */
public record InstanceCommit(
    String instanceId,
    long expectedVersion,
    long newVersion,
    InstanceSummary summary,
    InstanceSnapshot snapshot,
    List<EventRecord> events,
    List<IndexChange> changes) {
  public InstanceCommit {
    events = List.copyOf(events);
    changes = List.copyOf(changes);
  }
}
