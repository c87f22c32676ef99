package io.cob.store.jdbc;

import io.cob.engine.blob.BlobStoreContract;
import io.cob.engine.port.BlobRef;
import io.cob.engine.port.BlobStore;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The JDBC blob store on PostgreSQL meets the BlobStore contract. One random schema serves the
 * whole class; each test starts from emptied tables. Skipped when no server is reachable, failed
 * instead under {@code CI=true} (see {@link PostgresTestDatabase}).
 */
class PostgresBlobStoreIT extends BlobStoreContract {
  private static final Set<String> KEEP = Set.of("flyway_schema_history", "store_locks");
  private static PostgresTestDatabase database;
  private JdbcStore store;

  @BeforeAll
  static void createSchema() {
    database = PostgresTestDatabase.create();
  }

  @AfterAll
  static void dropSchema() {
    if (database != null) {
      database.close();
    }
  }

  @Override
  protected BlobStore newBlobStore() {
    store = JdbcStore.open(database.jdbcUrl(), database.user(), database.password(), 8);
    database.truncateTablesExcept(KEEP);
    return store.blobs();
  }

  @Override
  protected void closeBlobStore() {
    if (store != null) {
      store.close();
    }
  }

  @Override
  protected long storedBytes() throws Exception {
    return JdbcBlobDamage.storedBytes(store.dataSource());
  }

  @Override
  protected void damage(BlobRef ref) throws Exception {
    JdbcBlobDamage.damage(store.dataSource(), ref);
  }
}
