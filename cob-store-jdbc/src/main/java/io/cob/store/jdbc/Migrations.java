package io.cob.store.jdbc;

import java.util.Optional;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Brings the schema up to date with Flyway: {@code db/migration/h2} or {@code
 * db/migration/postgresql} on the classpath. Running it on an up-to-date schema changes nothing;
 * concurrent runs from several nodes are serialised by Flyway's own database lock.
 */
final class Migrations {
  private Migrations() {}

  /**
   * @param schema the PostgreSQL schema to keep the tables (and Flyway's history) in; it must
   *     exist. Empty: the connection's default schema.
   */
  static MigrateResult migrate(DataSource dataSource, Dialect dialect, Optional<String> schema) {
    FluentConfiguration config =
        Flyway.configure(Migrations.class.getClassLoader())
            .dataSource(dataSource)
            .locations(dialect.migrations())
            .failOnMissingLocations(true);
    schema.ifPresent(s -> config.schemas(s).defaultSchema(s).createSchemas(false));
    return config.load().migrate();
  }
}
