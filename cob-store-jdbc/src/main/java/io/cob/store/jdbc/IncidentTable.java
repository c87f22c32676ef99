package io.cob.store.jdbc;

import io.cob.engine.port.StoreRows.IncidentRow;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/** The {@code incidents} table: open incidents. */
final class IncidentTable {
  private final RowTable<IncidentRow> rows;

  IncidentTable(Dialect dialect, JsonCodec codec) {
    rows =
        new RowTable<>(
            dialect,
            codec,
            "incidents",
            List.of(
                "id",
                "instance_id",
                "incident_key",
                "element_instance_key",
                "element_id",
                "job_key",
                "kind",
                "message",
                "created_at"),
            List.of(),
            (p, i) ->
                p.string(i.key())
                    .string(i.instanceId())
                    .longValue(i.incidentKey())
                    .longValue(i.elementInstanceKey())
                    .string(i.elementId())
                    .string(i.jobKey())
                    .string(i.kind())
                    .string(i.message())
                    .instant(i.createdAt()),
            rs ->
                new IncidentRow(
                    rs.getString("id"),
                    rs.getString("instance_id"),
                    rs.getLong("incident_key"),
                    rs.getLong("element_instance_key"),
                    rs.getString("element_id"),
                    rs.getString("job_key"),
                    rs.getString("kind"),
                    rs.getString("message"),
                    Rows.instant(rs, "created_at")));
  }

  RowTable<IncidentRow> rows() {
    return rows;
  }

  /** Incidents of one instance, or of all with {@code null}, by key. */
  List<IncidentRow> find(Connection c, String instanceId) throws SQLException {
    if (instanceId == null) {
      return rows.query(c, rows.select("ORDER BY id"), RowTable.Where.NONE);
    }
    return rows.query(
        c, rows.select("WHERE instance_id = ? ORDER BY id"), p -> p.string(instanceId));
  }
}
