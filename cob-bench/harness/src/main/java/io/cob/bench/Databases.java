package io.cob.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Fresh, empty databases for each engine run, removed afterwards: a new PostgreSQL database
 * (created through an administrative connection) or a new H2 file in a temporary directory.
 */
final class Databases implements AutoCloseable {
  /**
   * H2 settings every engine gets. WRITE_DELAY=0 is what cob's store sets for a file (a commit
   * reaches the file at once); the peers get it too, so no engine is measured with H2's default
   * one-second write-behind. LOCK_TIMEOUT as cob's store sets it.
   */
  static final String H2_SETTINGS = ";WRITE_DELAY=0;LOCK_TIMEOUT=10000";

  private final String pgAdminUrl;
  private final String stamp;
  private final Path h2Root;
  private int counter;

  Databases(String pgAdminUrl, String stamp) {
    this.pgAdminUrl = pgAdminUrl;
    this.stamp = stamp;
    try {
      this.h2Root = Files.createTempDirectory("cob-bench-h2-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A fresh database; closing it drops it. */
  interface Fresh extends AutoCloseable {
    String url();

    @Override
    void close();
  }

  Fresh create(Db db, String label) {
    String name = "bench_" + stamp + "_" + (++counter) + "_" + label.replaceAll("[^a-z0-9]", "");
    return switch (db) {
      case H2 -> {
        Path dir = h2Root.resolve(name);
        yield new Fresh() {
          public String url() {
            return "jdbc:h2:file:" + dir.resolve("db").toAbsolutePath() + H2_SETTINGS;
          }

          public void close() {
            deleteTree(dir);
          }
        };
      }
      case PG -> {
        admin("CREATE DATABASE " + name);
        yield new Fresh() {
          public String url() {
            return pgUrl(name);
          }

          public void close() {
            admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
          }
        };
      }
    };
  }

  /** The administrative URL with another database name in its path. */
  String pgUrl(String database) {
    URI u = URI.create(pgAdminUrl.substring("jdbc:".length()));
    String query = u.getRawQuery() == null ? "" : "?" + u.getRawQuery();
    return "jdbc:postgresql://"
        + u.getHost()
        + (u.getPort() > 0 ? ":" + u.getPort() : "")
        + "/"
        + database
        + query;
  }

  /** Host, port and user of the administrative URL, for pgbench. */
  Map<String, String> pgConnection() {
    URI u = URI.create(pgAdminUrl.substring("jdbc:".length()));
    Map<String, String> c = new LinkedHashMap<>();
    c.put("host", u.getHost());
    c.put("port", String.valueOf(u.getPort() > 0 ? u.getPort() : 5432));
    String user = "postgres";
    if (u.getRawQuery() != null) {
      for (String kv : u.getRawQuery().split("&")) {
        if (kv.startsWith("user=")) {
          user = kv.substring("user=".length());
        }
      }
    }
    c.put("user", user);
    return c;
  }

  /** Server version and the settings that decide what a commit costs. */
  Map<String, String> pgSettings() {
    Map<String, String> s = new LinkedHashMap<>();
    try (Connection c = DriverManager.getConnection(pgAdminUrl);
        Statement st = c.createStatement()) {
      for (String name :
          new String[] {
            "server_version",
            "fsync",
            "synchronous_commit",
            "wal_sync_method",
            "shared_buffers",
            "max_connections"
          }) {
        try (ResultSet rs = st.executeQuery("SHOW " + name)) {
          rs.next();
          s.put(name, rs.getString(1));
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException(
          "cannot reach PostgreSQL at " + pgAdminUrl + ": " + e.getMessage(), e);
    }
    return s;
  }

  void admin(String sql) {
    try (Connection c = DriverManager.getConnection(pgAdminUrl);
        Statement st = c.createStatement()) {
      st.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(sql + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    deleteTree(h2Root);
  }

  private static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths
          .sorted(Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.deleteIfExists(p);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
