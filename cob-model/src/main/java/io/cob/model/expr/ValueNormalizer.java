package io.cob.model.expr;

import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.Period;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Converts Java values to the plain JSON-like values that cross {@link ExpressionEvaluator}.
 *
 * <p>The result of {@link #normalize(Object)} is, recursively, one of: {@code null}, {@link
 * Boolean}, {@link String}, {@link Long} (every integral number that fits in a long), {@link
 * BigDecimal} (every other number, trailing zeros stripped, never in exponent form for integers),
 * {@link ArrayList} or {@link LinkedHashMap} with String keys. Temporal values become ISO-8601
 * strings with full seconds ({@code 2026-01-01T10:00:00Z}, {@code PT5S}, {@code P1Y2M}).
 *
 * <p>Stateless and thread-safe.
 */
public final class ValueNormalizer {

  private static final BigDecimal LONG_MIN = BigDecimal.valueOf(Long.MIN_VALUE);
  private static final BigDecimal LONG_MAX = BigDecimal.valueOf(Long.MAX_VALUE);

  private ValueNormalizer() {}

  /**
   * Normalizes a value, recursively for maps, collections and arrays. The input is not modified;
   * containers are always copied.
   *
   * @throws IllegalArgumentException for values with no JSON-like form (objects of other types,
   *     non-finite floating point numbers); the message names the offending type or value
   */
  public static Object normalize(Object value) {
    return switch (value) {
      case null -> null;
      case Boolean b -> b;
      case String s -> s;
      case CharSequence s -> s.toString();
      case Character c -> c.toString();
      case Enum<?> e -> e.name();
      case Number n -> normalizeNumber(n);
      case Map<?, ?> map -> normalizeMap(map);
      case Iterable<?> items -> normalizeIterable(items);
      case Object array when array.getClass().isArray() -> normalizeArray(array);
      default -> normalizeTemporal(value);
    };
  }

  private static Object normalizeNumber(Number number) {
    return switch (number) {
      case Long l -> l;
      case Integer i -> i.longValue();
      case Short s -> s.longValue();
      case Byte b -> b.longValue();
      case BigInteger big -> big.bitLength() < Long.SIZE ? big.longValue() : new BigDecimal(big);
      case BigDecimal decimal -> normalizeDecimal(decimal);
      // Double/Float: go through their shortest decimal text so 0.1 stays 0.1, not
      // 0.1000000000000000055511151231257827...
      case Double d -> normalizeDecimal(finite(d, Double.toString(d)));
      case Float f -> normalizeDecimal(finite(f, Float.toString(f)));
      default -> normalizeDecimal(finite(number.doubleValue(), number.toString()));
    };
  }

  private static BigDecimal finite(double value, String text) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      throw new IllegalArgumentException("number " + text + " is not finite");
    }
    return new BigDecimal(text);
  }

  /** Integral values that fit become Long; others lose trailing zeros (2.50 becomes 2.5). */
  static Object normalizeDecimal(BigDecimal decimal) {
    BigDecimal stripped = decimal.stripTrailingZeros();
    if (stripped.scale() <= 0) {
      if (stripped.compareTo(LONG_MIN) >= 0 && stripped.compareTo(LONG_MAX) <= 0) {
        return stripped.longValueExact();
      }
      // A negative scale would print as 1E+23; callers expect plain integers.
      return stripped.setScale(0);
    }
    return stripped;
  }

  private static Map<String, Object> normalizeMap(Map<?, ?> map) {
    Map<String, Object> result = new LinkedHashMap<>(Math.max(4, map.size() * 2));
    for (Map.Entry<?, ?> entry : map.entrySet()) {
      result.put(String.valueOf(entry.getKey()), normalize(entry.getValue()));
    }
    return result;
  }

  private static List<Object> normalizeIterable(Iterable<?> items) {
    List<Object> result = new ArrayList<>();
    for (Object item : items) {
      result.add(normalize(item));
    }
    return result;
  }

  private static List<Object> normalizeArray(Object array) {
    int length = Array.getLength(array);
    List<Object> result = new ArrayList<>(length);
    for (int i = 0; i < length; i++) {
      result.add(normalize(Array.get(array, i)));
    }
    return result;
  }

  private static String normalizeTemporal(Object value) {
    // The formatters below always print seconds; toString() would print 10:00 for 10:00:00.
    return switch (value) {
      case ZonedDateTime zoned -> DateTimeFormatter.ISO_ZONED_DATE_TIME.format(zoned);
      case OffsetDateTime offset -> DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(offset);
      case LocalDateTime local -> DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(local);
      case LocalDate date -> DateTimeFormatter.ISO_LOCAL_DATE.format(date);
      case LocalTime time -> DateTimeFormatter.ISO_LOCAL_TIME.format(time);
      case OffsetTime time -> DateTimeFormatter.ISO_OFFSET_TIME.format(time);
      case Instant instant -> DateTimeFormatter.ISO_INSTANT.format(instant);
      case Duration duration -> duration.toString();
      case Period period -> period.toString();
      default ->
          throw new IllegalArgumentException(
              "a value of type " + value.getClass().getName() + " has no JSON-like form");
    };
  }
}
