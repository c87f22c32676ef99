package io.cob.store.jdbc;

import io.cob.engine.port.InstanceCommit;
import io.cob.engine.port.Store.StoredInstance;
import io.cob.engine.port.StoreRows.InstanceQuery;
import io.cob.engine.port.StoreRows.InstanceSummary;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The {@code instances} table: one row per instance with its summary columns (for queries), its row
 * {@code version} (for optimistic concurrency) and its snapshot as JSON.
 */
final class InstanceTable {
  private static final String SUMMARY_COLUMNS =
      "id, process_id, process_version, process_key, business_key, state, owner_cloud, epoch,"
          + " parent_instance_id, started_at, ended_at, incident_count";

  private final JsonCodec codec;
  private final String insert;
  private final String update;

  InstanceTable(Dialect dialect, JsonCodec codec) {
    this.codec = codec;
    // The row goes in only while no version of its process is newer than the one the instance
    // assumed to be the latest (see InstanceCommit.assumedLatestVersion); without such an
    // assumption the bound version is Integer.MAX_VALUE, which no version exceeds.
    this.insert =
        "INSERT INTO instances ("
            + SUMMARY_COLUMNS
            + ", version, snapshot)"
            + " SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
            + dialect.jsonParameter()
            + " WHERE NOT EXISTS (SELECT 1 FROM process_versions WHERE process_id = ?"
            + " AND version > ?)";
    this.update =
        "UPDATE instances SET process_id = ?, process_version = ?, process_key = ?,"
            + " business_key = ?, state = ?, owner_cloud = ?, epoch = ?, parent_instance_id = ?,"
            + " started_at = ?, ended_at = ?, incident_count = ?, version = ?, snapshot = "
            + dialect.jsonParameter()
            + " WHERE id = ? AND version = ?";
  }

  /**
   * Inserts the rows of new instances in one batch.
   *
   * @return the ids not inserted because a version of their process newer than their {@link
   *     InstanceCommit#assumedLatestVersion()} exists
   * @throws SQLException with SQLSTATE 23505 when one of the ids exists
   */
  Set<String> insert(Connection c, List<InstanceCommit> commits) throws SQLException {
    if (commits.isEmpty()) {
      return Set.of();
    }
    try (PreparedStatement ps = c.prepareStatement(insert)) {
      Params p = new Params(c, ps, codec);
      for (InstanceCommit commit : commits) {
        InstanceSummary s = commit.summary();
        p.string(commit.instanceId());
        bindSummary(p, s);
        int assumed = commit.assumedLatestVersion();
        p.longValue(commit.newVersion())
            .json(commit.snapshot())
            .string(s.processId())
            .integer(assumed > 0 ? assumed : Integer.MAX_VALUE)
            .next();
      }
      int[] counts = ps.executeBatch();
      Set<String> refused = new LinkedHashSet<>();
      for (int i = 0; i < counts.length; i++) {
        // 0 rows: the condition held them back. (A driver's "no info" is taken as inserted.)
        if (counts[i] == 0) {
          refused.add(commits.get(i).instanceId());
        }
      }
      return refused;
    }
  }

  /**
   * Updates instances whose stored version is the commit's expected one, in one batch, in order (so
   * one instance may be updated several times).
   *
   * @return the ids whose version did not match: nothing was updated for them
   */
  Set<String> update(Connection c, List<InstanceCommit> commits) throws SQLException {
    if (commits.isEmpty()) {
      return Set.of();
    }
    try (PreparedStatement ps = c.prepareStatement(update)) {
      Params p = new Params(c, ps, codec);
      for (InstanceCommit commit : commits) {
        bindSummary(p, commit.summary());
        p.longValue(commit.newVersion())
            .json(commit.snapshot())
            .string(commit.instanceId())
            .longValue(commit.expectedVersion())
            .next();
      }
      int[] counts = ps.executeBatch();
      Set<String> stale = new LinkedHashSet<>();
      for (int i = 0; i < counts.length; i++) {
        // Anything but exactly one row (0, or a driver's "no info") means "not applied as asked".
        if (counts[i] != 1) {
          stale.add(commits.get(i).instanceId());
        }
      }
      return stale;
    }
  }

  private static void bindSummary(Params p, InstanceSummary s) throws SQLException {
    p.string(s.processId())
        .integer(s.version())
        .string(s.processKey())
        .string(s.businessKey())
        .string(s.state())
        .string(s.ownerCloud())
        .longValue(s.epoch())
        .string(s.parentInstanceId())
        .instant(s.startedAt())
        .instant(s.endedAt())
        .integer(s.incidentCount());
  }

  /** Which of these ids exist. */
  Set<String> existing(Connection c, List<String> ids) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT id FROM instances WHERE id = ANY(?)")) {
      new Params(c, ps, codec).strings(ids);
      Set<String> found = new HashSet<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          found.add(rs.getString(1));
        }
      }
      return found;
    }
  }

  Optional<StoredInstance> byId(Connection c, String id) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT " + SUMMARY_COLUMNS + ", version, snapshot FROM instances WHERE id = ?")) {
      ps.setString(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        return Optional.of(
            new StoredInstance(
                summary(rs), rs.getLong("version"), codec.readSnapshot(rs.getString("snapshot"))));
      }
    }
  }

  /**
   * Summaries matching every non-null filter, by id after {@code afterId}; a limit of 0 or less
   * means no limit. The state {@code INCIDENT} is derived: instances with open incidents.
   */
  List<InstanceSummary> find(Connection c, InstanceQuery q) throws SQLException {
    List<String> conditions = new ArrayList<>();
    List<String> values = new ArrayList<>();
    if ("INCIDENT".equals(q.state())) {
      conditions.add("incident_count > 0");
    } else {
      filter(conditions, values, "state = ?", q.state());
    }
    filter(conditions, values, "process_id = ?", q.processId());
    filter(conditions, values, "business_key = ?", q.businessKey());
    filter(conditions, values, "owner_cloud = ?", q.cloud());
    filter(conditions, values, "parent_instance_id = ?", q.parentInstanceId());
    filter(conditions, values, "id > ?", q.afterId());
    String sql =
        "SELECT "
            + SUMMARY_COLUMNS
            + " FROM instances"
            + (conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions))
            + " ORDER BY id"
            + (q.limit() > 0 ? " LIMIT " + q.limit() : "");
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < values.size(); i++) {
        ps.setString(i + 1, values.get(i));
      }
      try (ResultSet rs = ps.executeQuery()) {
        List<InstanceSummary> found = new ArrayList<>();
        while (rs.next()) {
          found.add(summary(rs));
        }
        return found;
      }
    }
  }

  /**
   * The running (not ended) instances by owner cloud. The index {@code instances_running} (V4)
   * holds only running rows on PostgreSQL (a partial index) and leads with {@code ended_at} on H2,
   * so the count reads the running instances and never the ended ones, however many are kept.
   */
  SortedMap<String, Long> runningByOwner(Connection c) throws SQLException {
    try (PreparedStatement ps =
            c.prepareStatement(
                "SELECT owner_cloud, COUNT(*) FROM instances"
                    + " WHERE ended_at IS NULL AND owner_cloud IS NOT NULL GROUP BY owner_cloud");
        ResultSet rs = ps.executeQuery()) {
      // Sorted here rather than by ORDER BY: the column's collation differs between databases.
      SortedMap<String, Long> counts = new TreeMap<>();
      while (rs.next()) {
        counts.put(rs.getString(1), rs.getLong(2));
      }
      return Collections.unmodifiableSortedMap(counts);
    }
  }

  private static void filter(
      List<String> conditions, List<String> values, String condition, String value) {
    if (value != null) {
      conditions.add(condition);
      values.add(value);
    }
  }

  private static InstanceSummary summary(ResultSet rs) throws SQLException {
    return new InstanceSummary(
        rs.getString("id"),
        rs.getString("process_id"),
        rs.getInt("process_version"),
        rs.getString("process_key"),
        rs.getString("business_key"),
        rs.getString("state"),
        rs.getString("owner_cloud"),
        rs.getLong("epoch"),
        rs.getString("parent_instance_id"),
        Rows.instant(rs, "started_at"),
        Rows.instant(rs, "ended_at"),
        rs.getInt("incident_count"));
  }
}
