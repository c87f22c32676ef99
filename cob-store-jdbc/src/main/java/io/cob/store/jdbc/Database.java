package io.cob.store.jdbc;

import io.cob.engine.port.StoreException;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Runs work on pooled connections and turns every {@link SQLException} into a {@link
 * StoreException} whose message names the operation. Thread-safe: each call takes its own
 * connection from the pool.
 */
final class Database {
  private final DataSource dataSource;

  Database(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** Runs read-only work in auto-commit mode: each statement sees the latest committed data. */
  <T> T read(String operation, SqlWork<T> work) {
    try (Connection connection = dataSource.getConnection()) {
      return work.run(connection);
    } catch (SQLException e) {
      throw failed(operation, e);
    }
  }

  /**
   * Runs work in one transaction: committed when the work returns, rolled back when it throws
   * anything (including a {@link io.cob.engine.port.StaleInstanceException}, which then reaches the
   * caller as it is).
   */
  <T> T transaction(String operation, SqlWork<T> work) {
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      try {
        T result = work.run(connection);
        connection.commit();
        return result;
      } catch (SQLException | RuntimeException | Error e) {
        rollback(connection, e);
        throw e;
      }
      // The pool restores auto-commit when the connection is returned.
    } catch (SQLException e) {
      throw failed(operation, e);
    }
  }

  private static void rollback(Connection connection, Throwable cause) {
    try {
      connection.rollback();
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
  }

  static StoreException failed(String operation, SQLException e) {
    return new StoreException(operation + " failed: " + describe(e), e);
  }

  /** The message of an exception and of the ones chained to it by the driver. */
  static String describe(SQLException e) {
    StringBuilder text = new StringBuilder(String.valueOf(e.getMessage()));
    SQLException next = e.getNextException();
    // Drivers chain the real cause of a failed batch with setNextException.
    while (next != null && text.length() < 2000) {
      text.append("; ").append(next.getMessage());
      next = next.getNextException();
    }
    return text.toString();
  }

  /** Whether the failure is a duplicate primary or unique key (SQLSTATE 23505 in both). */
  static boolean isDuplicateKey(SQLException e) {
    for (SQLException x = e; x != null; x = x.getNextException()) {
      if ("23505".equals(x.getSQLState())) {
        return true;
      }
    }
    return false;
  }
}
