/**
 * The {@link io.cob.engine.port.Store} port on JDBC: {@link io.cob.store.jdbc.JdbcStore} for H2
 * (embedded, file or in-memory) and PostgreSQL, with the schema kept by Flyway migrations and
 * instance snapshots, events, variables and commands stored as JSON ({@link
 * io.cob.store.jdbc.JsonCodec}).
 *
 * <p>Plain JDBC, no ORM: every table has one small class holding its SQL.
 */
package io.cob.store.jdbc;
