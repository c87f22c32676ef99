package io.cob.store.jdbc;

import io.cob.engine.event.EventRecord;
import io.cob.engine.port.InstanceCommit;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code events} table: every instance's event log, keyed by (instance, sequence number). The
 * type, element id and element type are columns of their own for history listings and ad-hoc SQL;
 * the payload is the whole event as JSON with its {@code "@type"}.
 */
final class EventTable {
  private final JsonCodec codec;
  private final String insert;

  EventTable(Dialect dialect, JsonCodec codec) {
    this.codec = codec;
    this.insert =
        "INSERT INTO events (instance_id, seq, at, type, element_id, element_type,"
            + " payload) VALUES (?, ?, ?, ?, ?, ?, "
            + dialect.jsonParameter()
            + ")";
  }

  /** Appends the events of all commits in one batch. */
  void append(Connection c, List<InstanceCommit> commits) throws SQLException {
    for (InstanceCommit commit : commits) {
      if (commit.replaceFrom() > 0) {
        try (PreparedStatement del =
            c.prepareStatement("DELETE FROM events WHERE instance_id = ? AND seq >= ?")) {
          del.setString(1, commit.instanceId());
          del.setLong(2, commit.replaceFrom());
          del.executeUpdate();
        }
      }
    }
    try (PreparedStatement ps = c.prepareStatement(insert)) {
      Params p = new Params(c, ps, codec);
      boolean any = false;
      for (InstanceCommit commit : commits) {
        for (EventRecord record : commit.events()) {
          p.string(commit.instanceId())
              .longValue(record.seq())
              .instant(record.at())
              .string(record.type())
              .string(record.event().elementId())
              .string(record.event().elementType())
              .jsonText(codec.writeEvent(record.event()))
              .next();
          any = true;
        }
      }
      if (any) {
        ps.executeBatch();
      }
    }
  }

  List<EventRecord> history(Connection c, String instanceId) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT seq, at, payload FROM events WHERE instance_id = ? ORDER BY seq")) {
      ps.setString(1, instanceId);
      try (ResultSet rs = ps.executeQuery()) {
        List<EventRecord> events = new ArrayList<>();
        while (rs.next()) {
          events.add(
              new EventRecord(
                  rs.getLong("seq"),
                  Rows.instant(rs, "at"),
                  codec.readEvent(rs.getString("payload"))));
        }
        return events;
      }
    }
  }
}
