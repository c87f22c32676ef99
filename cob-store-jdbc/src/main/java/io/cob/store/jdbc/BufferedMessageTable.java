package io.cob.store.jdbc;

import io.cob.engine.port.StoreRows.BufferedMessage;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/**
 * The {@code buffered_messages} table: published messages kept for their time-to-live. A message is
 * visible while {@code now < expires_at} (or it has no expiry), and deleted as expired once {@code
 * expires_at < now}.
 */
final class BufferedMessageTable {
  private static final String UNEXPIRED =
      " AND (expires_at IS NULL OR expires_at > ?)" + " ORDER BY published_at, id";

  private final RowTable<BufferedMessage> rows;

  BufferedMessageTable(Dialect dialect, JsonCodec codec) {
    rows =
        new RowTable<>(
            dialect,
            codec,
            "buffered_messages",
            List.of(
                "id",
                "name",
                "correlation_key",
                "variables",
                "published_at",
                "expires_at",
                "taken_by"),
            List.of("variables", "taken_by"),
            (p, m) ->
                p.string(m.id())
                    .string(m.name())
                    .string(m.correlationKey())
                    .json(m.variables())
                    .instant(m.publishedAt())
                    .instant(m.expiresAt())
                    .json(m.takenBy()),
            rs ->
                new BufferedMessage(
                    rs.getString("id"),
                    rs.getString("name"),
                    rs.getString("correlation_key"),
                    codec.readVariables(rs.getString("variables")),
                    Rows.instant(rs, "published_at"),
                    Rows.instant(rs, "expires_at"),
                    codec.readStringList(rs.getString("taken_by"))));
  }

  RowTable<BufferedMessage> rows() {
    return rows;
  }

  List<BufferedMessage> find(Connection c, String name, String correlationKey, Instant now)
      throws SQLException {
    if (correlationKey == null) {
      return rows.query(
          c,
          rows.select("WHERE name = ? AND correlation_key IS NULL" + UNEXPIRED),
          p -> p.string(name).instant(now));
    }
    return rows.query(
        c,
        rows.select("WHERE name = ? AND correlation_key = ?" + UNEXPIRED),
        p -> p.string(name).string(correlationKey).instant(now));
  }

  int deleteExpired(Connection c, Instant now) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("DELETE FROM buffered_messages WHERE expires_at < ?")) {
      new Params(c, ps, null).instant(now);
      return ps.executeUpdate();
    }
  }
}
