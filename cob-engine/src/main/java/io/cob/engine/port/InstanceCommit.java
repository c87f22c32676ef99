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
 * @param assumedLatestVersion for a new instance that was asked to start on the latest version of
 *     its process ({@code summary().processId()}): the version it started on, which the engine may
 *     have taken from a cache. The store refuses the commit as stale when a newer version of the
 *     process is deployed (by any node sharing the store), so that an instance never starts on a
 *     version that was no longer the latest when it was committed. {@code 0}: no such condition.
 * @param replaceFrom {@code 0} to append the events; else the store first deletes the instance's
 *     events from this sequence number on (a replica adopting the log of the cloud that took its
 *     instance over, whose events from there differ)
 */
public record InstanceCommit(
    String instanceId,
    long expectedVersion,
    long newVersion,
    InstanceSummary summary,
    InstanceSnapshot snapshot,
    List<EventRecord> events,
    List<IndexChange> changes,
    int assumedLatestVersion,
    long replaceFrom) {
  public InstanceCommit {
    events = List.copyOf(events);
    changes = List.copyOf(changes);
  }

  /** A commit that appends its events. */
  public InstanceCommit(
      String instanceId,
      long expectedVersion,
      long newVersion,
      InstanceSummary summary,
      InstanceSnapshot snapshot,
      List<EventRecord> events,
      List<IndexChange> changes,
      int assumedLatestVersion) {
    this(
        instanceId,
        expectedVersion,
        newVersion,
        summary,
        snapshot,
        events,
        changes,
        assumedLatestVersion,
        0);
  }

  /** A commit without a condition on the latest process version. */
  public InstanceCommit(
      String instanceId,
      long expectedVersion,
      long newVersion,
      InstanceSummary summary,
      InstanceSnapshot snapshot,
      List<EventRecord> events,
      List<IndexChange> changes) {
    this(instanceId, expectedVersion, newVersion, summary, snapshot, events, changes, 0, 0);
  }
}
