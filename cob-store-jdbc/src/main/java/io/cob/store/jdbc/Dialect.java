package io.cob.store.jdbc;

import java.util.List;
import java.util.stream.Collectors;

/**
 * What differs between the supported databases: the migration scripts, how a JSON parameter is
 * bound, how a row is upserted and how jobs are locked. Everything else is the SQL both accept.
 */
enum Dialect {
  H2("h2", "MERGE INTO"),
  POSTGRESQL("postgresql", "INSERT INTO");

  private final String folder;
  private final String upsertVerb;

  Dialect(String folder, String upsertVerb) {
    this.folder = folder;
    this.upsertVerb = upsertVerb;
  }

  /**
   * The dialect of a JDBC URL.
   *
   * @throws IllegalArgumentException for a URL of any other database
   */
  static Dialect of(String jdbcUrl) {
    if (jdbcUrl != null && jdbcUrl.startsWith("jdbc:h2:")) {
      return H2;
    }
    if (jdbcUrl != null && jdbcUrl.startsWith("jdbc:postgresql:")) {
      return POSTGRESQL;
    }
    throw new IllegalArgumentException(
        "unsupported JDBC URL (use jdbc:h2:... or jdbc:postgresql:...): "
            + JdbcUrls.redact(jdbcUrl));
  }

  /** The Flyway location of this dialect's migrations. */
  String migrations() {
    return "classpath:db/migration/" + folder;
  }

  /**
   * The placeholder of a JSON parameter bound as a string: PostgreSQL does not convert a {@code
   * varchar} parameter to {@code json} by itself; on H2 JSON is kept as text.
   */
  String jsonParameter() {
    return this == POSTGRESQL ? "CAST(? AS json)" : "?";
  }

  /**
   * An insert-or-replace of one row by its primary key {@code id}.
   *
   * @param columns every column, {@code id} first
   * @param jsonColumns the columns that hold JSON
   */
  String upsert(String table, List<String> columns, List<String> jsonColumns) {
    String values =
        columns.stream()
            .map(c -> jsonColumns.contains(c) ? jsonParameter() : "?")
            .collect(Collectors.joining(", "));
    String head = upsertVerb + " " + table + " (" + String.join(", ", columns) + ")";
    if (this == H2) {
      return head + " KEY (id) VALUES (" + values + ")";
    }
    String updates =
        columns.stream()
            .filter(c -> !c.equals("id"))
            .map(c -> c + " = EXCLUDED." + c)
            .collect(Collectors.joining(", "));
    return head + " VALUES (" + values + ") ON CONFLICT (id) DO UPDATE SET " + updates;
  }
}
