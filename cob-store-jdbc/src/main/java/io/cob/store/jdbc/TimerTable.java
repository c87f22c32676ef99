package io.cob.store.jdbc;

import io.cob.engine.port.StoreRows.TimerRow;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The {@code timers} table: armed timers by due time, and locking due timers for the node that
 * fires them. Locking works as for jobs (see {@link JobTable}): {@code FOR UPDATE SKIP LOCKED} on
 * PostgreSQL, a Java lock around one {@code UPDATE} on H2.
 */
final class TimerTable {
  private static final List<String> COLUMNS =
      List.of(
          "id",
          "instance_id",
          "timer_key",
          "element_id",
          "due_at",
          "lock_owner",
          "lock_expires_at");
  private static final String LOCKABLE =
      "due_at <= ? AND (lock_owner IS NULL OR lock_expires_at IS NULL OR lock_expires_at < ?)";

  private final Dialect dialect;
  private final RowTable<TimerRow> rows;

  TimerTable(Dialect dialect, JsonCodec codec) {
    this.dialect = dialect;
    rows =
        new RowTable<>(
            dialect,
            codec,
            "timers",
            COLUMNS,
            List.of(),
            (p, t) ->
                p.string(t.key())
                    .string(t.instanceId())
                    .longValue(t.timerKey())
                    .string(t.elementId())
                    .instant(t.dueAt())
                    .string(t.lockOwner())
                    .instant(t.lockExpiresAt()),
            rs ->
                new TimerRow(
                    rs.getString("id"),
                    rs.getString("instance_id"),
                    rs.getLong("timer_key"),
                    rs.getString("element_id"),
                    Rows.instant(rs, "due_at"),
                    rs.getString("lock_owner"),
                    Rows.instant(rs, "lock_expires_at")));
  }

  /** Locks due, unlocked timers; runs in a transaction of its own, which the caller commits. */
  List<TimerRow> lock(Connection c, io.cob.engine.port.StoreRows.TimerLockRequest r)
      throws SQLException {
    if (r.max() <= 0) {
      return List.of();
    }
    String sql =
        dialect == Dialect.POSTGRESQL
            ? "UPDATE timers SET lock_owner = ?, lock_expires_at = ? WHERE id = ANY(ARRAY("
                + "SELECT id FROM timers WHERE "
                + LOCKABLE
                + " ORDER BY due_at, id LIMIT ? FOR UPDATE SKIP LOCKED))"
                + " RETURNING "
                + String.join(", ", COLUMNS)
            : "SELECT "
                + String.join(", ", COLUMNS)
                + " FROM FINAL TABLE (UPDATE timers SET lock_owner = ?,"
                + " lock_expires_at = ? WHERE id IN (SELECT id FROM timers WHERE "
                + LOCKABLE
                + " ORDER BY due_at, id LIMIT ?) AND "
                + LOCKABLE
                + ")";
    List<TimerRow> locked =
        new java.util.ArrayList<>(
            rows.query(
                c,
                sql,
                p -> {
                  p.string(r.owner())
                      .instant(r.lockUntil())
                      .instant(r.now())
                      .instant(r.now())
                      .integer(r.max());
                  if (dialect != Dialect.POSTGRESQL) {
                    p.instant(r.now()).instant(r.now());
                  }
                }));
    // Neither RETURNING nor FINAL TABLE promises an order.
    locked.sort(java.util.Comparator.comparing(TimerRow::dueAt).thenComparing(TimerRow::key));
    return locked;
  }

  int release(Connection c, String owner) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE timers SET lock_owner = NULL, lock_expires_at = NULL WHERE lock_owner = ?")) {
      ps.setString(1, owner);
      return ps.executeUpdate();
    }
  }

  RowTable<TimerRow> rows() {
    return rows;
  }

  List<TimerRow> due(Connection c, Instant until, int max) throws SQLException {
    if (max <= 0) {
      return List.of();
    }
    return rows.query(
        c,
        rows.select("WHERE due_at <= ? ORDER BY due_at, id LIMIT ?"),
        p -> p.instant(until).integer(max));
  }

  Optional<Instant> nextDue(Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT MIN(due_at) AS due_at FROM timers");
        ResultSet rs = ps.executeQuery()) {
      return rs.next() ? Optional.ofNullable(Rows.instant(rs, "due_at")) : Optional.empty();
    }
  }
}
