package io.cob.store.jdbc;

import io.cob.engine.port.IndexChange;
import io.cob.engine.port.InstanceCommit;
import io.cob.engine.port.StaleInstanceException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * Writes a batch of instance commits within the caller's transaction: the hot path of the engine
 * (group commit). The number of round trips does not grow with the batch: one batched insert of new
 * instances, one batched conditional update of existing ones, one batched insert of all events and
 * one batched upsert and delete per index table that changed.
 *
 * <p>Optimistic concurrency: a new instance is an {@code INSERT} (its id already taken means
 * someone else created it; a newer version of its process than the one it assumed to be the latest
 * means it must start again); an existing one is {@code UPDATE ... WHERE id = ? AND version = ?},
 * where 0 rows means someone else changed it first. The database's row lock makes a concurrent
 * writer of the same instance wait and then find the version changed. Either way a {@link
 * StaleInstanceException} is thrown and the caller rolls everything back.
 *
 * <p>Stateless; thread-safe.
 */
final class CommitWriter {
  /**
   * Instance rows are written in id order so that two batches touching some of the same instances
   * lock them in the same order instead of deadlocking; the sort is stable, so several commits of
   * one instance keep their order.
   */
  private static final Comparator<InstanceCommit> BY_ID =
      Comparator.comparing(InstanceCommit::instanceId);

  private final InstanceTable instances;
  private final EventTable events;
  private final IndexWriter index;

  CommitWriter(InstanceTable instances, EventTable events, IndexWriter index) {
    this.instances = instances;
    this.events = events;
    this.index = index;
  }

  /**
   * Writes the batch; the caller commits.
   *
   * @throws StaleInstanceException naming stale instances, after the connection was rolled back
   */
  void write(Connection c, List<InstanceCommit> batch) throws SQLException {
    List<InstanceCommit> created = new ArrayList<>();
    List<InstanceCommit> updated = new ArrayList<>();
    for (InstanceCommit commit : batch) {
      (commit.expectedVersion() == 0 ? created : updated).add(commit);
    }
    created.sort(BY_ID);
    updated.sort(BY_ID);

    Set<String> outdated = insertNew(c, created);
    if (!outdated.isEmpty()) {
      throw new StaleInstanceException(outdated);
    }
    Set<String> stale = instances.update(c, updated);
    if (!stale.isEmpty()) {
      throw new StaleInstanceException(stale);
    }
    events.append(c, batch);
    List<IndexChange> changes = new ArrayList<>();
    batch.forEach(commit -> changes.addAll(commit.changes()));
    index.write(c, changes);
  }

  /** Inserts the new instances; returns those started on a version no longer the latest. */
  private Set<String> insertNew(Connection c, List<InstanceCommit> created) throws SQLException {
    try {
      return instances.insert(c, created);
    } catch (SQLException e) {
      if (!Database.isDuplicateKey(e)) {
        throw e;
      }
      // PostgreSQL accepts no statement in a failed transaction: roll back, then ask which ids
      // exist. None found means a concurrent creator rolled back, or the batch itself created
      // one id twice: then all new instances are named.
      c.rollback();
      List<String> ids = created.stream().map(InstanceCommit::instanceId).toList();
      Set<String> taken = instances.existing(c, ids);
      throw new StaleInstanceException(taken.isEmpty() ? Set.copyOf(ids) : taken);
    }
  }
}
