package io.cob.store.jdbc;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A fresh, randomly named schema on the test PostgreSQL server, dropped on {@link #close()}.
 *
 * <p>The server is {@code jdbc:postgresql://127.0.0.1:5432/test} as user {@code postgres}, unless
 * the environment says otherwise ({@code COB_TEST_PG_URL}, {@code COB_TEST_PG_USER}, {@code
 * COB_TEST_PG_PASSWORD}).
 *
 * <p>When it cannot be reached, the tests are skipped with the reason, so that a developer without
 * PostgreSQL can still build: {@link #create()} prints the reason, and every use of the database
 * ({@link #jdbcUrl()} ...) aborts the calling test with it, so each test shows as skipped. But when
 * the environment variable {@code CI} is {@code true}, {@link #create()} fails instead: CI must
 * never pass by silently skipping the database tests.
 */
public final class PostgresTestDatabase implements AutoCloseable {
  private static final String URL = env("COB_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test");
  private static final String USER = env("COB_TEST_PG_USER", "postgres");
  private static final String PASSWORD = env("COB_TEST_PG_PASSWORD", "");

  private final String schema;
  private final String unreachable;

  private PostgresTestDatabase(String schema, String unreachable) {
    this.schema = schema;
    this.unreachable = unreachable;
  }

  /**
   * Creates a new schema. When the server cannot be reached: fails under {@code CI=true}, else
   * returns a database whose every use skips the calling test.
   */
  public static PostgresTestDatabase create() {
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      String schema = "cob_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
      s.execute("CREATE SCHEMA " + schema);
      return new PostgresTestDatabase(schema, null);
    } catch (SQLException e) {
      String reason =
          "PostgreSQL is not reachable at " + URL + " as " + USER + ": " + e.getMessage();
      if ("true".equals(System.getenv("CI"))) {
        return Assertions.fail(
            reason + " (CI=true: the database tests must run, not be skipped)", e);
      }
      String skipped = reason + " (tests skipped; with CI=true they fail)";
      System.err.println("WARNING: " + skipped);
      return new PostgresTestDatabase(null, skipped);
    }
  }

  /** A URL whose tables live in this schema. */
  public String jdbcUrl() {
    return URL + (URL.contains("?") ? "&" : "?") + "currentSchema=" + schema();
  }

  public String user() {
    return USER;
  }

  public String password() {
    return PASSWORD;
  }

  public String schema() {
    if (unreachable != null) {
      Assumptions.abort(unreachable);
    }
    return schema;
  }

  /** Empties every table of the schema except the named ones. */
  public void truncateTablesExcept(Set<String> keep) {
    String schema = schema();
    try (Connection c = connect()) {
      List<String> tables = new ArrayList<>();
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT table_name FROM information_schema.tables WHERE table_schema = ?"
                  + " AND table_type = 'BASE TABLE'")) {
        ps.setString(1, schema);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            if (!keep.contains(rs.getString(1))) {
              tables.add(schema + "." + rs.getString(1));
            }
          }
        }
      }
      if (!tables.isEmpty()) {
        try (Statement s = c.createStatement()) {
          s.execute("TRUNCATE " + String.join(", ", tables) + " CASCADE");
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot empty schema " + schema, e);
    }
  }

  /** Whether a schema of that name exists. */
  public static boolean schemaExists(String name) {
    try (Connection c = connect();
        PreparedStatement ps =
            c.prepareStatement("SELECT 1 FROM information_schema.schemata WHERE schema_name = ?")) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot look for schema " + name, e);
    }
  }

  /** Drops a schema with everything in it, if it exists. */
  public static void dropSchema(String name) {
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS \"" + name.replace("\"", "\"\"") + "\" CASCADE");
    } catch (SQLException e) {
      throw new IllegalStateException("cannot drop schema " + name, e);
    }
  }

  @Override
  public void close() {
    if (unreachable == null) {
      dropSchema(schema);
    }
  }

  private static Connection connect() throws SQLException {
    java.util.Properties props = new java.util.Properties();
    props.setProperty("user", USER);
    props.setProperty("password", PASSWORD);
    // Fail fast when nothing listens, instead of the driver's default of 10 s.
    props.setProperty("connectTimeout", "3");
    return DriverManager.getConnection(URL, props);
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }
}
