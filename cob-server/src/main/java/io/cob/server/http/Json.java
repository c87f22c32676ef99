package io.cob.server.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.format.DateTimeParseException;

/**
 * The one JSON mapper of the REST API.
 *
 * <p>Reading is strict, so that a request that is not exactly what the API documents is refused
 * before it changes anything: unknown fields, scalars of the wrong type (no string-to-number or
 * float-to-int coercion), {@code null} for numbers and booleans, duplicate keys and trailing
 * content are errors. Fractions read as {@code BigDecimal}, so variables keep their exact value.
 *
 * <p>Durations ({@code lockDuration}, {@code timeToLive} ...) are an ISO-8601 duration string
 * ({@code "PT30S"}) or a whole number of milliseconds ({@code 30000}).
 *
 * <p>Numbers in variables must be storable: within the range of a 64-bit whole number and with at
 * most {@value #MAX_DECIMAL_PLACES} decimal places. Others (such as {@code 1e999999}) are refused
 * naming the field, since the store could not read them back.
 *
 * <p>Writing renders instants as ISO-8601 strings and keeps {@code null} fields, so every
 * documented field is always present.
 */
public final class Json {
  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .addModule(new JavaTimeModule())
          .addModule(
              new SimpleModule("cob-durations")
                  .addDeserializer(Duration.class, new DurationDeserializer())
                  // Numbers inside untyped values (variables) go through here; see
                  // StorableNumberDeserializer.
                  .addDeserializer(Number.class, new StorableNumberDeserializer()))
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
          .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
          .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          // Jackson turns numbers and booleans into strings unless told not to.
          .withCoercionConfig(
              LogicalType.Textual,
              c ->
                  c.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                      .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                      .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
          .build();

  /** The most decimal places a number in a variable may have. */
  public static final int MAX_DECIMAL_PLACES = 100;

  private Json() {}

  public static ObjectMapper mapper() {
    return MAPPER;
  }

  /**
   * A mapper like {@link #mapper()} whose parser refuses, before anything is built from them,
   * documents longer than the body limit, nested deeper or holding longer strings than {@code
   * limits} allow: a {@link com.fasterxml.jackson.core.exc.StreamConstraintsException}, answered
   * 400 naming the limit.
   */
  public static ObjectMapper readerWithin(RequestLimits limits) {
    ObjectMapper m = MAPPER.copy();
    m.getFactory()
        .setStreamReadConstraints(
            StreamReadConstraints.builder()
                .maxNestingDepth(limits.maxJsonDepth())
                .maxStringLength(limits.maxJsonStringLength())
                .maxDocumentLength(limits.maxBodyBytes())
                .build());
    return m;
  }

  public static byte[] write(Object value) {
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
    }
  }

  /** Reads an ISO-8601 duration string or a whole number of milliseconds. */
  static final class DurationDeserializer extends StdDeserializer<Duration> {
    private static final long serialVersionUID = 1L;

    DurationDeserializer() {
      super(Duration.class);
    }

    @Override
    public Duration deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      JsonToken t = p.currentToken();
      if (t == JsonToken.VALUE_NUMBER_INT) {
        return Duration.ofMillis(p.getLongValue());
      }
      if (t == JsonToken.VALUE_STRING) {
        String text = p.getText().trim();
        try {
          return Duration.parse(text);
        } catch (DateTimeParseException e) {
          return (Duration)
              ctxt.handleWeirdStringValue(
                  Duration.class,
                  text,
                  "expected an ISO-8601 duration such as \"PT30S\" or a whole number of milliseconds");
        }
      }
      return (Duration) ctxt.handleUnexpectedToken(Duration.class, p);
    }
  }

  /**
   * Reads numbers of untyped values (variables) and refuses those the store cannot keep: a whole
   * number beyond 64 bits, or a decimal whose magnitude is that large or that has more than {@value
   * #MAX_DECIMAL_PLACES} decimal places ({@code 1e999999} would be stored as a million digits).
   */
  static final class StorableNumberDeserializer extends StdDeserializer<Number> {
    private static final long serialVersionUID = 1L;
    private static final BigDecimal LIMIT = BigDecimal.valueOf(Long.MAX_VALUE);

    StorableNumberDeserializer() {
      super(Number.class);
    }

    @Override
    public Number deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      JsonToken t = p.currentToken();
      if (t == JsonToken.VALUE_NUMBER_INT
          && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
        return p.getNumberValue();
      }
      if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT) {
        return (Number) ctxt.handleUnexpectedToken(Number.class, p);
      }
      BigDecimal d = p.getDecimalValue();
      if (d.abs().compareTo(LIMIT) > 0 || d.stripTrailingZeros().scale() > MAX_DECIMAL_PLACES) {
        throw MismatchedInputException.from(
            p,
            (Class<?>) null,
            p.getText()
                + " cannot be stored: numbers must lie"
                + " between -"
                + LIMIT
                + " and "
                + LIMIT
                + " with at most "
                + MAX_DECIMAL_PLACES
                + " decimal places");
      }
      return t == JsonToken.VALUE_NUMBER_INT ? d.toBigIntegerExact() : d;
    }
  }
}
