package io.cob.store.jdbc;

import io.cob.engine.port.StoreRows.JobLockRequest;
import io.cob.engine.port.StoreRows.JobRow;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The {@code jobs} table, and locking jobs for workers.
 *
 * <p>PostgreSQL locks in one statement: an {@code UPDATE} of the ids a sub-select picked with
 * {@code FOR UPDATE SKIP LOCKED}, so concurrent lockers on any number of nodes each take different
 * rows without waiting for each other.
 *
 * <p>H2 (2.4) accepts {@code FOR UPDATE SKIP LOCKED} but does not help here: it locks every row its
 * scan reads before {@code ORDER BY ... LIMIT} applies, so a second locker skips all candidates and
 * gets nothing, not the next jobs. Since an H2 database belongs to one process, the store
 * serialises its lockers with a Java lock instead (see {@link JdbcStore}), and each runs one {@code
 * UPDATE} of a sub-selected set of ids, read back through H2's {@code FINAL TABLE}. The {@code
 * UPDATE} repeats the due and unlocked conditions outside the sub-select: H2 re-checks those after
 * waiting for a row another transaction held, so even two stores on one H2 database never hand out
 * the same job twice.
 */
final class JobTable {
  private static final List<String> COLUMNS =
      List.of(
          "id",
          "instance_id",
          "element_instance_key",
          "element_id",
          "type",
          "retries",
          "due_at",
          "lock_owner",
          "lock_expires_at",
          "headers",
          "cloud");
  private static final String LOCKABLE =
      "due_at <= ? AND (lock_owner IS NULL OR lock_expires_at IS NULL OR lock_expires_at < ?)";
  private static final Comparator<JobRow> DUE_ORDER =
      Comparator.comparing(JobRow::dueAt).thenComparing(JobRow::key);

  private final Dialect dialect;
  private final RowTable<JobRow> rows;

  JobTable(Dialect dialect, JsonCodec codec) {
    this.dialect = dialect;
    this.rows =
        new RowTable<>(
            dialect,
            codec,
            "jobs",
            COLUMNS,
            List.of("headers"),
            (p, j) ->
                p.string(j.key())
                    .string(j.instanceId())
                    .longValue(j.elementInstanceKey())
                    .string(j.elementId())
                    .string(j.type())
                    .integer(j.retries())
                    .instant(j.dueAt())
                    .string(j.lockOwner())
                    .instant(j.lockExpiresAt())
                    .json(j.headers())
                    .string(j.cloud()),
            rs ->
                new JobRow(
                    rs.getString("id"),
                    rs.getString("instance_id"),
                    rs.getLong("element_instance_key"),
                    rs.getString("element_id"),
                    rs.getString("type"),
                    rs.getInt("retries"),
                    Rows.instant(rs, "due_at"),
                    rs.getString("lock_owner"),
                    Rows.instant(rs, "lock_expires_at"),
                    codec.readStrings(rs.getString("headers")),
                    rs.getString("cloud")));
  }

  RowTable<JobRow> rows() {
    return rows;
  }

  Optional<JobRow> byKey(Connection c, String key) throws SQLException {
    return rows.byId(c, key);
  }

  List<JobRow> byInstance(Connection c, String instanceId) throws SQLException {
    return rows.query(
        c, rows.select("WHERE instance_id = ? ORDER BY id"), p -> p.string(instanceId));
  }

  /** Clears every lock held by {@code owner}; returns how many jobs it held. */
  boolean extendLock(Connection c, String key, String owner, java.time.Instant until)
      throws SQLException {
    try (java.sql.PreparedStatement ps =
        c.prepareStatement("UPDATE jobs SET lock_expires_at = ? WHERE id = ? AND lock_owner = ?")) {
      ps.setObject(
          1,
          java.time.OffsetDateTime.ofInstant(
              until.truncatedTo(java.time.temporal.ChronoUnit.MICROS), java.time.ZoneOffset.UTC));
      ps.setString(2, key);
      ps.setString(3, owner);
      return ps.executeUpdate() == 1;
    }
  }

  int release(Connection c, String owner) throws SQLException {
    try (java.sql.PreparedStatement ps =
        c.prepareStatement(
            "UPDATE jobs SET lock_owner = NULL, lock_expires_at = NULL WHERE lock_owner = ?")) {
      ps.setString(1, owner);
      return ps.executeUpdate();
    }
  }

  /**
   * Locks due, unlocked jobs; must run in a transaction of its own ({@code c} not in auto-commit),
   * which the caller commits.
   */
  List<JobRow> lock(Connection c, JobLockRequest request) throws SQLException {
    if (request.maxJobs() <= 0) {
      return List.of();
    }
    return sorted(
        dialect == Dialect.POSTGRESQL ? lockOnPostgres(c, request) : lockOnH2(c, request));
  }

  private List<JobRow> lockOnPostgres(Connection c, JobLockRequest r) throws SQLException {
    String sql =
        "UPDATE jobs SET lock_owner = ?, lock_expires_at = ? WHERE id = ANY(ARRAY("
            + "SELECT id FROM jobs WHERE "
            + LOCKABLE
            + typeFilter(r)
            + " ORDER BY due_at, id LIMIT ? FOR UPDATE SKIP LOCKED)) RETURNING "
            + String.join(", ", COLUMNS);
    return rows.query(
        c,
        sql,
        p -> {
          p.string(r.owner()).instant(r.lockUntil()).instant(r.now()).instant(r.now());
          if (!r.types().isEmpty()) {
            p.strings(r.types());
          }
          if (r.where() != null) {
            p.string(r.where().cloud());
          }
          p.integer(r.maxJobs());
        });
  }

  private List<JobRow> lockOnH2(Connection c, JobLockRequest r) throws SQLException {
    String sql =
        "SELECT "
            + String.join(", ", COLUMNS)
            + " FROM FINAL TABLE ("
            + "UPDATE jobs SET lock_owner = ?, lock_expires_at = ? WHERE id IN ("
            + "SELECT id FROM jobs WHERE "
            + LOCKABLE
            + typeFilter(r)
            + " ORDER BY due_at, id LIMIT ?) AND "
            + LOCKABLE
            + ")";
    return rows.query(
        c,
        sql,
        p -> {
          p.string(r.owner()).instant(r.lockUntil()).instant(r.now()).instant(r.now());
          if (!r.types().isEmpty()) {
            p.strings(r.types());
          }
          if (r.where() != null) {
            p.string(r.where().cloud());
          }
          p.integer(r.maxJobs()).instant(r.now()).instant(r.now());
        });
  }

  private static String typeFilter(JobLockRequest r) {
    String types = r.types().isEmpty() ? "" : " AND type = ANY(?)";
    if (r.where() == null) {
      return types;
    }
    return types
        + (r.where().elsewhere()
            ? " AND cloud IS NOT NULL AND cloud <> ?"
            : " AND (cloud IS NULL OR cloud = ?)");
  }

  /** Neither RETURNING nor FINAL TABLE promises an order. */
  private static List<JobRow> sorted(List<JobRow> jobs) {
    List<JobRow> sorted = new ArrayList<>(jobs);
    sorted.sort(DUE_ORDER);
    return sorted;
  }
}
