package io.cob.store.jdbc;

import io.cob.engine.port.StoreException;
import io.cob.engine.port.StoreRows.DeploymentResource;
import io.cob.engine.port.StoreRows.DeploymentResult;
import io.cob.engine.port.StoreRows.NewDeployment;
import io.cob.engine.port.StoreRows.ProcessHeader;
import io.cob.engine.port.StoreRows.ProcessVersion;
import io.cob.engine.store.DeploymentPlan;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The tables {@code deployments}, {@code resources} (the BPMN XML) and {@code process_versions}.
 *
 * <p>Versions are assigned by {@link DeploymentPlan}, the rule every store shares. Deployers are
 * serialised by locking the {@code deploy} row of {@code store_locks} for the transaction: that
 * works the same in H2 and PostgreSQL, across every node of a cluster, and keeps two deployers from
 * both reading version 2 as the latest and both writing version 3.
 */
final class DeploymentTable {
  private static final String VERSION_COLUMNS =
      "process_id, version, name, deployment_id, resource_name, checksum, deployed_at";

  private final JsonCodec codec;

  DeploymentTable(JsonCodec codec) {
    this.codec = codec;
  }

  /** Stores a deployment; the caller runs it in a transaction. */
  DeploymentResult deploy(Connection c, NewDeployment deployment) throws SQLException {
    lockDeployers(c);
    try (PreparedStatement ps =
        c.prepareStatement("INSERT INTO deployments (id, deployed_at) VALUES (?, ?)")) {
      new Params(c, ps, codec).string(deployment.deploymentId()).instant(deployment.at());
      ps.executeUpdate();
    }
    insertResources(c, deployment);
    Map<String, ProcessVersion> latest = latest(c, processIds(deployment));
    DeploymentPlan plan = DeploymentPlan.of(deployment, id -> Optional.ofNullable(latest.get(id)));
    insertVersions(c, plan.created());
    return plan.result();
  }

  /**
   * Stores a process version as another store holds it (see {@code Store#importProcess}); the
   * caller runs it in a transaction.
   */
  void importVersion(Connection c, ProcessVersion version, String xml) throws SQLException {
    lockDeployers(c);
    Optional<ProcessVersion> present = version(c, version.processId(), version.version());
    if (present.isPresent()) {
      if (!present.get().checksum().equals(version.checksum())) {
        throw new StoreException(DeploymentPlan.importConflict(version, present.get()));
      }
      return;
    }
    if (!exists(c, "SELECT 1 FROM deployments WHERE id = ?", version.deploymentId(), null)) {
      try (PreparedStatement ps =
          c.prepareStatement("INSERT INTO deployments (id, deployed_at) VALUES (?, ?)")) {
        new Params(c, ps, codec).string(version.deploymentId()).instant(version.deployedAt());
        ps.executeUpdate();
      }
    }
    if (!exists(
        c,
        "SELECT 1 FROM resources WHERE deployment_id = ? AND name = ?",
        version.deploymentId(),
        version.resourceName())) {
      try (PreparedStatement ps =
          c.prepareStatement(
              "INSERT INTO resources (deployment_id, name, checksum, xml) VALUES (?, ?, ?, ?)")) {
        new Params(c, ps, codec)
            .string(version.deploymentId())
            .string(version.resourceName())
            .string(DeploymentPlan.checksum(xml))
            .string(xml);
        ps.executeUpdate();
      }
    }
    insertVersions(c, List.of(version));
  }

  private static boolean exists(Connection c, String sql, String a, String b) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, a);
      if (b != null) {
        ps.setString(2, b);
      }
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  private static void lockDeployers(Connection c) throws SQLException {
    try (PreparedStatement ps =
            c.prepareStatement("SELECT name FROM store_locks WHERE name = 'deploy' FOR UPDATE");
        ResultSet rs = ps.executeQuery()) {
      if (!rs.next()) {
        throw new SQLException("the store_locks row 'deploy' is missing: schema damaged?");
      }
    }
  }

  private void insertResources(Connection c, NewDeployment deployment) throws SQLException {
    if (deployment.resources().isEmpty()) {
      return;
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO resources (deployment_id, name, checksum, xml) VALUES (?, ?, ?, ?)")) {
      Params p = new Params(c, ps, codec);
      for (DeploymentResource r : deployment.resources()) {
        p.string(deployment.deploymentId())
            .string(r.name())
            .string(DeploymentPlan.checksum(r.xml()))
            .string(r.xml())
            .next();
      }
      ps.executeBatch();
    }
  }

  private void insertVersions(Connection c, List<ProcessVersion> versions) throws SQLException {
    if (versions.isEmpty()) {
      return;
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO process_versions ("
                + VERSION_COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?)")) {
      Params p = new Params(c, ps, codec);
      for (ProcessVersion v : versions) {
        p.string(v.processId())
            .integer(v.version())
            .string(v.name())
            .string(v.deploymentId())
            .string(v.resourceName())
            .string(v.checksum())
            .instant(v.deployedAt())
            .next();
      }
      ps.executeBatch();
    }
  }

  private static List<String> processIds(NewDeployment deployment) {
    Set<String> ids = new LinkedHashSet<>();
    for (DeploymentResource r : deployment.resources()) {
      r.processes().stream().map(ProcessHeader::processId).forEach(ids::add);
    }
    return List.copyOf(ids);
  }

  /** The latest version of each of these processes, in one query. */
  private Map<String, ProcessVersion> latest(Connection c, List<String> processIds)
      throws SQLException {
    Map<String, ProcessVersion> latest = new HashMap<>();
    if (processIds.isEmpty()) {
      return latest;
    }
    for (ProcessVersion v :
        versions(
            c,
            "WHERE p.process_id = ANY(?) AND p.version ="
                + " (SELECT MAX(m.version) FROM process_versions m WHERE m.process_id = p.process_id)",
            p -> p.strings(processIds))) {
      latest.put(v.processId(), v);
    }
    return latest;
  }

  List<ProcessVersion> all(Connection c) throws SQLException {
    return versions(c, "ORDER BY p.process_id, p.version", RowTable.Where.NONE);
  }

  Optional<ProcessVersion> latest(Connection c, String processId) throws SQLException {
    return versions(
            c, "WHERE p.process_id = ? ORDER BY p.version DESC LIMIT 1", p -> p.string(processId))
        .stream()
        .findFirst();
  }

  Optional<ProcessVersion> version(Connection c, String processId, int version)
      throws SQLException {
    return versions(
            c,
            "WHERE p.process_id = ? AND p.version = ?",
            p -> p.string(processId).integer(version))
        .stream()
        .findFirst();
  }

  Optional<String> xml(Connection c, String processId, int version) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT r.xml FROM process_versions p"
                + " JOIN resources r ON r.deployment_id = p.deployment_id AND r.name = p.resource_name"
                + " WHERE p.process_id = ? AND p.version = ?")) {
      ps.setString(1, processId);
      ps.setInt(2, version);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
      }
    }
  }

  private List<ProcessVersion> versions(Connection c, String clauses, RowTable.Where where)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT " + VERSION_COLUMNS + " FROM process_versions p " + clauses)) {
      where.bind(new Params(c, ps, codec));
      try (ResultSet rs = ps.executeQuery()) {
        List<ProcessVersion> versions = new ArrayList<>();
        while (rs.next()) {
          String processId = rs.getString("process_id");
          int version = rs.getInt("version");
          versions.add(
              new ProcessVersion(
                  DeploymentPlan.key(processId, version),
                  processId,
                  version,
                  rs.getString("name"),
                  rs.getString("deployment_id"),
                  rs.getString("resource_name"),
                  rs.getString("checksum"),
                  Rows.instant(rs, "deployed_at")));
        }
        return versions;
      }
    }
  }
}
