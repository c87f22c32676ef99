package io.cob.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Binds the parameters of one prepared statement in order. For a batch, {@link #next()} starts the
 * next row's parameters on the same statement. Not thread-safe: one per statement use.
 *
 * <p>Instants are bound as {@code TIMESTAMP WITH TIME ZONE} in UTC, truncated to the microsecond:
 * PostgreSQL keeps no more, and H2 would round rather than truncate, so both keep the same value.
 */
final class Params {
  private final Connection connection;
  private final PreparedStatement statement;
  private final JsonCodec codec;
  private int index = 1;

  Params(Connection connection, PreparedStatement statement, JsonCodec codec) {
    this.connection = connection;
    this.statement = statement;
    this.codec = codec;
  }

  /** Starts the parameters of the next batch row. */
  Params next() throws SQLException {
    statement.addBatch();
    index = 1;
    return this;
  }

  Params string(String value) throws SQLException {
    statement.setString(index++, value);
    return this;
  }

  Params integer(int value) throws SQLException {
    statement.setInt(index++, value);
    return this;
  }

  Params longValue(long value) throws SQLException {
    statement.setLong(index++, value);
    return this;
  }

  Params nullableLong(Long value) throws SQLException {
    if (value == null) {
      statement.setNull(index++, Types.BIGINT);
    } else {
      statement.setLong(index++, value);
    }
    return this;
  }

  Params instant(Instant value) throws SQLException {
    if (value == null) {
      statement.setNull(index++, Types.TIMESTAMP_WITH_TIMEZONE);
    } else {
      statement.setObject(
          index++, OffsetDateTime.ofInstant(value.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC));
    }
    return this;
  }

  /** A value as JSON text; the SQL must use {@link Dialect#jsonParameter()} for it. */
  Params json(Object value) throws SQLException {
    return string(codec.write(value));
  }

  /** An already encoded JSON value. */
  Params jsonText(String json) throws SQLException {
    return string(json);
  }

  Params strings(List<String> values) throws SQLException {
    statement.setArray(index++, connection.createArrayOf("varchar", values.toArray()));
    return this;
  }
}
