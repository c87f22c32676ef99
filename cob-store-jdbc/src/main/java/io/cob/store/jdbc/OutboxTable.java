package io.cob.store.jdbc;

import io.cob.engine.port.StoreRows.OutboxRow;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/** The {@code outbox} table: commands for other instances, waiting to be delivered. */
final class OutboxTable {
  private final RowTable<OutboxRow> rows;

  OutboxTable(Dialect dialect, JsonCodec codec) {
    rows =
        new RowTable<>(
            dialect,
            codec,
            "outbox",
            List.of("id", "created_at", "target_instance_id", "command"),
            List.of("command"),
            (p, o) ->
                p.string(o.id())
                    .instant(o.createdAt())
                    .string(o.targetInstanceId())
                    .jsonText(codec.writeCommand(o.command())),
            rs ->
                new OutboxRow(
                    rs.getString("id"),
                    Rows.instant(rs, "created_at"),
                    rs.getString("target_instance_id"),
                    codec.readCommand(rs.getString("command"))));
  }

  RowTable<OutboxRow> rows() {
    return rows;
  }

  List<OutboxRow> oldest(Connection c, int max) throws SQLException {
    if (max <= 0) {
      return List.of();
    }
    return rows.query(c, rows.select("ORDER BY created_at, id LIMIT ?"), p -> p.integer(max));
  }
}
