package io.cob.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * One index table whose rows are records keyed by a string column {@code id}: the SQL to select,
 * upsert and delete them, written once per store. Upserts and deletes are JDBC batches: one round
 * trip for any number of rows. Immutable and thread-safe; the connection is the caller's.
 *
 * @param <R> the row record
 */
final class RowTable<R> {
  /** Binds every column of a row, in {@code columns} order. */
  @FunctionalInterface
  interface Binder<R> {
    void bind(Params params, R row) throws SQLException;
  }

  /** Reads a row from the current result set position. */
  @FunctionalInterface
  interface Reader<R> {
    R read(ResultSet rs) throws SQLException;
  }

  /** Binds the parameters of a query's WHERE clause. */
  @FunctionalInterface
  interface Where {
    void bind(Params params) throws SQLException;

    Where NONE = params -> {};
  }

  private final JsonCodec codec;
  private final String table;
  private final String select;
  private final String upsert;
  private final String delete;
  private final Binder<R> binder;
  private final Reader<R> reader;

  /**
   * @param columns every column, {@code id} first
   * @param jsonColumns the columns holding JSON
   */
  RowTable(
      Dialect dialect,
      JsonCodec codec,
      String table,
      List<String> columns,
      List<String> jsonColumns,
      Binder<R> binder,
      Reader<R> reader) {
    if (!columns.get(0).equals("id")) {
      throw new IllegalArgumentException("the first column of " + table + " must be id");
    }
    this.codec = codec;
    this.table = table;
    this.select = "SELECT " + String.join(", ", columns) + " FROM " + table + " ";
    this.upsert = dialect.upsert(table, columns, jsonColumns);
    this.delete = "DELETE FROM " + table + " WHERE id = ?";
    this.binder = binder;
    this.reader = reader;
  }

  String table() {
    return table;
  }

  /** {@code SELECT <all columns> FROM <table> } followed by the caller's clauses. */
  String select(String clauses) {
    return select + clauses;
  }

  /** Inserts or replaces the rows by id. */
  void upsert(Connection connection, Collection<R> rows) throws SQLException {
    if (rows.isEmpty()) {
      return;
    }
    try (PreparedStatement ps = connection.prepareStatement(upsert)) {
      Params params = new Params(connection, ps, codec);
      for (R row : rows) {
        binder.bind(params, row);
        params.next();
      }
      ps.executeBatch();
    }
  }

  /** Deletes the rows with these ids; missing ones are no error. */
  void delete(Connection connection, Collection<String> ids) throws SQLException {
    if (ids.isEmpty()) {
      return;
    }
    try (PreparedStatement ps = connection.prepareStatement(delete)) {
      for (String id : ids) {
        ps.setString(1, id);
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  Optional<R> byId(Connection connection, String id) throws SQLException {
    List<R> rows = query(connection, select("WHERE id = ?"), p -> p.string(id));
    return rows.stream().findFirst();
  }

  /** Runs a query that selects this table's columns and reads every row. */
  List<R> query(Connection connection, String sql, Where where) throws SQLException {
    try (PreparedStatement ps = connection.prepareStatement(sql)) {
      where.bind(new Params(connection, ps, codec));
      try (ResultSet rs = ps.executeQuery()) {
        List<R> rows = new ArrayList<>();
        while (rs.next()) {
          rows.add(reader.read(rs));
        }
        return rows;
      }
    }
  }
}
