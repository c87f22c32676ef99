package io.cob.store.jdbc;

import io.cob.engine.port.StoreRows.TimerRow;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The {@code timers} table: armed timers by due time. */
final class TimerTable {
  private final RowTable<TimerRow> rows;

  TimerTable(Dialect dialect, JsonCodec codec) {
    rows = new RowTable<>(dialect, codec, "timers",
        List.of("id", "instance_id", "timer_key", "element_id", "due_at"), List.of(),
        (p, t) -> p.string(t.key()).string(t.instanceId()).longValue(t.timerKey())
            .string(t.elementId()).instant(t.dueAt()),
        rs -> new TimerRow(rs.getString("id"), rs.getString("instance_id"),
            rs.getLong("timer_key"), rs.getString("element_id"), Rows.instant(rs, "due_at")));
  }

  RowTable<TimerRow> rows() {
    return rows;
  }

  List<TimerRow> due(Connection c, Instant until, int max) throws SQLException {
    if (max <= 0) {
      return List.of();
    }
    return rows.query(c, rows.select("WHERE due_at <= ? ORDER BY due_at, id LIMIT ?"),
        p -> p.instant(until).integer(max));
  }

  Optional<Instant> nextDue(Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT MIN(due_at) AS due_at FROM timers");
        ResultSet rs = ps.executeQuery()) {
      return rs.next() ? Optional.ofNullable(Rows.instant(rs, "due_at")) : Optional.empty();
    }
  }
}
