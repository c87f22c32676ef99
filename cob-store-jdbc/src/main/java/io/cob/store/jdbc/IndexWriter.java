package io.cob.store.jdbc;

import io.cob.engine.port.IndexChange;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Applies index changes with few round trips: one batched upsert and one batched delete per table,
 * whatever the number of changes.
 *
 * <p>Grouping by table would lose the order between a put and a remove of the same row, so the
 * changes are first reduced to the last one per row: what remains touches each row once, and the
 * groups can run in any order. Rows are written in key order, so that concurrent transactions that
 * touch some of the same rows (two instances taking one buffered message) lock them in the same
 * order rather than deadlock.
 *
 * <p>Stateless apart from its tables; thread-safe. The caller owns the transaction.
 */
final class IndexWriter {
  private final JobTable jobs;
  private final TimerTable timers;
  private final SubscriptionTable subscriptions;
  private final UserTaskTable userTasks;
  private final IncidentTable incidents;
  private final BufferedMessageTable messages;
  private final OutboxTable outbox;

  IndexWriter(
      JobTable jobs,
      TimerTable timers,
      SubscriptionTable subscriptions,
      UserTaskTable userTasks,
      IncidentTable incidents,
      BufferedMessageTable messages,
      OutboxTable outbox) {
    this.jobs = jobs;
    this.timers = timers;
    this.subscriptions = subscriptions;
    this.userTasks = userTasks;
    this.incidents = incidents;
    this.messages = messages;
    this.outbox = outbox;
  }

  /** Applies the changes as if one after the other, in order. */
  void write(Connection c, List<IndexChange> changes) throws SQLException {
    if (changes.isEmpty()) {
      return;
    }
    var jobRows = new Pending<>(jobs.rows());
    var timerRows = new Pending<>(timers.rows());
    var subscriptionRows = new Pending<>(subscriptions.rows());
    var userTaskRows = new Pending<>(userTasks.rows());
    var incidentRows = new Pending<>(incidents.rows());
    var messageRows = new Pending<>(messages.rows());
    var outboxRows = new Pending<>(outbox.rows());
    for (IndexChange change : changes) {
      switch (change) {
        case IndexChange.PutJob p -> jobRows.put(p.job().key(), p.job());
        case IndexChange.RemoveJob r -> jobRows.remove(r.key());
        case IndexChange.PutTimer p -> timerRows.put(p.timer().key(), p.timer());
        case IndexChange.RemoveTimer r -> timerRows.remove(r.key());
        case IndexChange.PutSubscription p ->
            subscriptionRows.put(p.subscription().key(), p.subscription());
        case IndexChange.RemoveSubscription r -> subscriptionRows.remove(r.key());
        case IndexChange.PutUserTask p -> userTaskRows.put(p.task().key(), p.task());
        case IndexChange.RemoveUserTask r -> userTaskRows.remove(r.key());
        case IndexChange.PutIncident p -> incidentRows.put(p.incident().key(), p.incident());
        case IndexChange.RemoveIncident r -> incidentRows.remove(r.key());
        case IndexChange.PutBufferedMessage p -> messageRows.put(p.message().id(), p.message());
        case IndexChange.RemoveBufferedMessage r -> messageRows.remove(r.id());
        case IndexChange.PutOutbox p -> outboxRows.put(p.row().id(), p.row());
        case IndexChange.RemoveOutbox r -> outboxRows.remove(r.id());
      }
    }
    jobRows.flush(c);
    timerRows.flush(c);
    subscriptionRows.flush(c);
    userTaskRows.flush(c);
    incidentRows.flush(c);
    messageRows.flush(c);
    outboxRows.flush(c);
  }

  /** The last change per row of one table: a row to upsert, or {@code null} to delete. */
  private static final class Pending<R> {
    private final RowTable<R> table;
    private final Map<String, R> latest = new TreeMap<>();

    Pending(RowTable<R> table) {
      this.table = table;
    }

    void put(String id, R row) {
      latest.put(id, row);
    }

    void remove(String id) {
      latest.put(id, null);
    }

    void flush(Connection c) throws SQLException {
      List<String> removed = new ArrayList<>();
      List<R> put = new ArrayList<>();
      latest.forEach(
          (id, row) -> {
            if (row == null) {
              removed.add(id);
            } else {
              put.add(row);
            }
          });
      table.delete(c, removed);
      table.upsert(c, put);
    }
  }
}
