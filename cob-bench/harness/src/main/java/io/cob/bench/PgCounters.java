package io.cob.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What an engine asked of PostgreSQL, from the statistics of its database (which only this engine
 * uses, since every run gets a fresh one): transactions, and rows inserted, updated and deleted. A
 * measure of work per instance that does not depend on how busy the machine is.
 *
 * <p>A backend publishes its counts when it goes idle, at most once a second, and retries after ten
 * seconds when the statistics are busy; it publishes everything when it exits. So the sample before
 * the measured repetitions waits for those ten seconds, and the one after them is taken once the
 * engine has closed its connections.
 */
final class PgCounters {
  private static final long IDLE_PUBLISH_MS = 11_000;
  private static final long EXIT_PUBLISH_MS = 1_000;
  private static final String[] COLUMNS = {
    "xact_commit", "xact_rollback", "tup_inserted", "tup_updated", "tup_deleted"
  };

  private final String url;

  private PgCounters(String url) {
    this.url = url;
  }

  static Optional<PgCounters> forUrl(String jdbcUrl) {
    return jdbcUrl.startsWith("jdbc:postgresql:")
        ? Optional.of(new PgCounters(jdbcUrl))
        : Optional.empty();
  }

  /** The counters while the engine runs (idle between repetitions). */
  Map<String, Long> sampleWhileRunning() throws SQLException, InterruptedException {
    return sample(IDLE_PUBLISH_MS);
  }

  /** The counters once the engine has closed its connections. */
  Map<String, Long> sampleAfterClose() throws SQLException, InterruptedException {
    return sample(EXIT_PUBLISH_MS);
  }

  private Map<String, Long> sample(long settleMs) throws SQLException, InterruptedException {
    Thread.sleep(settleMs);
    Map<String, Long> m = new LinkedHashMap<>();
    try (Connection c = DriverManager.getConnection(url);
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT "
                    + String.join(", ", COLUMNS)
                    + " FROM pg_stat_database WHERE datname = current_database()")) {
      rs.next();
      for (String col : COLUMNS) {
        m.put(col, rs.getLong(col));
      }
    }
    return m;
  }

  /** Per instance: after minus before, divided by the instances in between. */
  static Map<String, Double> perInstance(
      Map<String, Long> before, Map<String, Long> after, long instances) {
    Map<String, Double> m = new LinkedHashMap<>();
    // Each sample is one read-only transaction of its own; the first one counts in the interval.
    long samplingTransactions = 1;
    for (String col : COLUMNS) {
      long delta =
          after.get(col) - before.get(col) - (col.equals("xact_commit") ? samplingTransactions : 0);
      m.put(col, (double) delta / instances);
    }
    return m;
  }
}
