package io.cob.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/**
 * The connection pool of the peers: HikariCP configured as cob's {@code JdbcStore.open} configures
 * its own (same size, READ COMMITTED), so no engine gets a better pool than another.
 */
public final class Pools {
  /**
   * The default size, the same for every engine. Not cob's 10: a Flowable job thread holds two
   * connections at once (its job's transaction, and a REQUIRES_NEW transaction its commit listeners
   * run in), so with 8 async-executor threads, its acquisition threads and 4 clients a pool of 10
   * runs dry and every thread waits for a connection another waiting thread holds.
   */
  public static final int DEFAULT_SIZE = 30;

  private Pools() {}

  public static HikariDataSource hikari(String jdbcUrl, String name, int size) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(jdbcUrl);
    config.setMaximumPoolSize(size);
    config.setPoolName(name);
    config.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
    return new HikariDataSource(config);
  }

  public static String describe(int size) {
    return "HikariCP, " + size + " connections, READ COMMITTED";
  }
}
