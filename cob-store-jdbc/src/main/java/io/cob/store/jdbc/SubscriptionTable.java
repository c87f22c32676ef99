package io.cob.store.jdbc;

import io.cob.engine.port.StoreRows.SubscriptionRow;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/** The {@code subscriptions} table: open message subscriptions by name and correlation key. */
final class SubscriptionTable {
  private final RowTable<SubscriptionRow> rows;

  SubscriptionTable(Dialect dialect, JsonCodec codec) {
    rows =
        new RowTable<>(
            dialect,
            codec,
            "subscriptions",
            List.of(
                "id",
                "instance_id",
                "subscription_key",
                "element_id",
                "message_name",
                "correlation_key",
                "created_at"),
            List.of(),
            (p, s) ->
                p.string(s.key())
                    .string(s.instanceId())
                    .longValue(s.subscriptionKey())
                    .string(s.elementId())
                    .string(s.messageName())
                    .string(s.correlationKey())
                    .instant(s.createdAt()),
            rs ->
                new SubscriptionRow(
                    rs.getString("id"),
                    rs.getString("instance_id"),
                    rs.getLong("subscription_key"),
                    rs.getString("element_id"),
                    rs.getString("message_name"),
                    rs.getString("correlation_key"),
                    Rows.instant(rs, "created_at")));
  }

  RowTable<SubscriptionRow> rows() {
    return rows;
  }

  /**
   * With a {@code null} key, only subscriptions without a key (SQL {@code =} never matches null).
   */
  List<SubscriptionRow> find(Connection c, String name, String correlationKey) throws SQLException {
    if (correlationKey == null) {
      return rows.query(
          c,
          rows.select("WHERE message_name = ? AND correlation_key IS NULL ORDER BY id"),
          p -> p.string(name));
    }
    return rows.query(
        c,
        rows.select("WHERE message_name = ? AND correlation_key = ? ORDER BY id"),
        p -> p.string(name).string(correlationKey));
  }
}
