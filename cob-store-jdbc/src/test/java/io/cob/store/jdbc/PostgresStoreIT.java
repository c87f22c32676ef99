package io.cob.store.jdbc;

import static io.cob.engine.store.StoreSamples.newInstance;
import static org.assertj.core.api.Assertions.assertThat;

import io.cob.engine.port.Store;
import io.cob.engine.store.StoreContract;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The JDBC store on PostgreSQL meets the Store contract. One random schema serves the whole class;
 * each test starts from emptied tables. Skipped when no server is reachable, failed instead under
 * {@code CI=true} (see {@link PostgresTestDatabase}).
 */
class PostgresStoreIT extends StoreContract {
  private static final Set<String> KEEP = Set.of("flyway_schema_history", "store_locks");
  private static PostgresTestDatabase database;

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
  protected Store newStore() {
    JdbcStore opened = JdbcStore.open(database.jdbcUrl(), database.user(), database.password(), 6);
    database.truncateTablesExcept(KEEP);
    return opened;
  }

  @Test
  void shouldRunOnPostgres() {
    assertThat(((JdbcStore) store).dialect()).isEqualTo(Dialect.POSTGRESQL);
  }

  @Test
  void shouldCreateTheSchemaNamedInTheUrlWhenMissing() {
    String schema = database.schema() + "_extra";
    String url = database.jdbcUrl().replace(database.schema(), schema);
    try (JdbcStore extra = JdbcStore.open(url, database.user(), database.password(), 2)) {
      extra.commit(List.of(newInstance("i1")));

      assertThat(PostgresTestDatabase.schemaExists(schema)).isTrue();
      assertThat(extra.instance("i1")).isPresent();
      assertThat(store.instance("i1")).isEmpty();
    } finally {
      PostgresTestDatabase.dropSchema(schema);
    }
  }

  @Test
  void shouldNotMigrateAgainWhenTheSchemaIsUpToDate() {
    assertThat(
            Migrations.migrate(
                    ((JdbcStore) store).dataSource(),
                    Dialect.POSTGRESQL,
                    java.util.Optional.of(database.schema()))
                .migrationsExecuted)
        .isZero();
  }
}
