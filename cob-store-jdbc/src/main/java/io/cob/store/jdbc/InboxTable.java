package io.cob.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;

/**
 * The {@code inbox} table: ids of the bus messages this store's nodes received. The primary key
 * makes recording atomic: of two nodes recording the same id, one inserts and the other finds it
 * there (an insert that does nothing on a conflict, so that no transaction fails on a duplicate).
 */
final class InboxTable {
  private final Dialect dialect;
  private final JsonCodec codec;

  InboxTable(Dialect dialect, JsonCodec codec) {
    this.dialect = dialect;
    this.codec = codec;
  }

  /** Inserts the id unless present; {@code true} when it was inserted. */
  boolean receive(Connection c, String messageId, Instant at) throws SQLException {
    String sql =
        dialect == Dialect.POSTGRESQL
            ? "INSERT INTO inbox (message_id, received_at) VALUES (?, ?)"
                + " ON CONFLICT (message_id) DO NOTHING"
            : "MERGE INTO inbox t USING (VALUES (CAST(? AS VARCHAR),"
                + " CAST(? AS TIMESTAMP(6) WITH TIME ZONE))) s(message_id, received_at)"
                + " ON t.message_id = s.message_id"
                + " WHEN NOT MATCHED THEN INSERT VALUES (s.message_id, s.received_at)";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      new Params(c, ps, codec).string(messageId).instant(at);
      return ps.executeUpdate() == 1;
    } catch (SQLException e) {
      if (Database.isDuplicateKey(e)) {
        // H2: a concurrent transaction inserted the same id first.
        return false;
      }
      throw e;
    }
  }

  /** Deletes the ids received before {@code before}; how many. */
  int purge(Connection c, Instant before) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM inbox WHERE received_at < ?")) {
      new Params(c, ps, codec).instant(before);
      return ps.executeUpdate();
    }
  }
}
