package io.cob.store.jdbc;

import java.sql.Connection;
import java.sql.SQLException;

/** Work done with one connection, within or outside a transaction. */
@FunctionalInterface
interface SqlWork<T> {
  T run(Connection connection) throws SQLException;
}
