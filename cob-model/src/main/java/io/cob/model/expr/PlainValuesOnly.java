package io.cob.model.expr;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.Period;
import java.time.ZonedDateTime;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.camunda.feel.impl.DefaultValueMapper;
import org.camunda.feel.syntaxtree.Val;
import org.camunda.feel.syntaxtree.ZonedTime;
import org.camunda.feel.valuemapper.JavaCustomValueMapper;
import org.camunda.feel.valuemapper.ValueMapper;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Keeps FEEL away from Java objects: an expression that reaches a value that is not plain data
 * fails instead of seeing a context over the object.
 *
 * <p>Why: feel-engine's default value mapper wraps any object it does not know in an {@code
 * ObjectContext}, through which an expression reads the object's getters and calls its methods by
 * reflection. A {@code java.io.File} among the variables was enough for {@code f.delete()}. The
 * engine hands FEEL only plain values (see {@link ExpressionEvaluator}), so this changes nothing
 * for them; it closes the door for any caller that passes something else.
 *
 * <p>Plain values are those the default mapper converts itself: null, strings, booleans, the JDK's
 * and Scala's numbers, {@code java.time} values, lists, maps, options, enums (as their name) and
 * feel-engine's own values. Thread-safe and stateless.
 */
final class PlainValuesOnly extends JavaCustomValueMapper {
  /** Consulted before the default mapper, whose priority is lower. */
  private static final int PRIORITY = 100;

  /** The value mapper to build the FEEL engine with: this guard before the default mapper. */
  static ValueMapper valueMapper() {
    return new ValueMapper.CompositeValueMapper(
        CollectionConverters.asScala(
                List.<org.camunda.feel.valuemapper.CustomValueMapper>of(
                    new PlainValuesOnly(), DefaultValueMapper.instance()))
            .toList());
  }

  @Override
  public Optional<Val> toValue(Object x, Function<Object, Val> innerValueMapper) {
    if (isPlain(x)) {
      return Optional.empty();
    }
    // Thrown rather than returned as a FEEL error, which FEEL would quietly treat as null: the
    // evaluation then fails naming the type.
    throw new IllegalArgumentException(
        "a value of type "
            + x.getClass().getName()
            + " cannot be used in a FEEL expression; only plain data can");
  }

  @Override
  public Optional<Object> unpackValue(Val value, Function<Val, Object> innerValueMapper) {
    return Optional.empty();
  }

  @Override
  public int priority() {
    return PRIORITY;
  }

  private static boolean isPlain(Object x) {
    return x == null
        || x instanceof Val
        || x instanceof String
        || x instanceof Boolean
        || x instanceof Short
        || x instanceof Integer
        || x instanceof Long
        || x instanceof Float
        || x instanceof Double
        || x instanceof BigDecimal
        || x instanceof BigInteger
        || x instanceof scala.math.BigDecimal
        || x instanceof scala.math.BigInt
        || x instanceof LocalDate
        || x instanceof LocalTime
        || x instanceof LocalDateTime
        || x instanceof ZonedDateTime
        || x instanceof OffsetDateTime
        || x instanceof OffsetTime
        || x instanceof ZonedTime
        || x instanceof Period
        || x instanceof Duration
        || x instanceof Date
        || x instanceof List<?>
        || x instanceof Map<?, ?>
        || x instanceof scala.collection.immutable.List<?>
        || x instanceof scala.collection.immutable.Map<?, ?>
        || x instanceof scala.Option<?>
        || x instanceof Enum<?>
        || x instanceof Throwable;
  }
}
