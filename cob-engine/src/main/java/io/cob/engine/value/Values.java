package io.cob.engine.value;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Brings variable values into the one canonical form the engine stores: {@code null}, Boolean,
 * String, Long, BigDecimal, List and Map with String keys. Canonical values survive a JSON round
 * trip unchanged, which keeps a state rebuilt from a stored log equal to the live one.
 */
public final class Values {
  private Values() {}

  /** A canonical copy of a value; throws IllegalArgumentException for values JSON cannot hold. */
  public static Object canonical(Object v) {
    if (v == null || v instanceof String || v instanceof Boolean || v instanceof Long) {
      return v;
    }
    if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
      return ((Number) v).longValue();
    }
    if (v instanceof BigInteger bi) {
      return canonicalDecimal(new BigDecimal(bi));
    }
    if (v instanceof BigDecimal bd) {
      return canonicalDecimal(bd);
    }
    if (v instanceof Double || v instanceof Float) {
      double d = ((Number) v).doubleValue();
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        throw new IllegalArgumentException("number " + d + " cannot be stored");
      }
      return canonicalDecimal(BigDecimal.valueOf(d));
    }
    if (v instanceof Character c) {
      return c.toString();
    }
    if (v instanceof Map<?, ?> m) {
      Map<String, Object> out = new LinkedHashMap<>();
      m.forEach((k, val) -> out.put(String.valueOf(k), canonical(val)));
      return out;
    }
    if (v instanceof Collection<?> c) {
      List<Object> out = new ArrayList<>(c.size());
      for (Object o : c) {
        out.add(canonical(o));
      }
      return out;
    }
    if (v instanceof Object[] arr) {
      List<Object> out = new ArrayList<>(arr.length);
      for (Object o : arr) {
        out.add(canonical(o));
      }
      return out;
    }
    if (v instanceof Enum<?> e) {
      return e.name();
    }
    if (v instanceof java.time.temporal.TemporalAccessor
        || v instanceof java.time.temporal.TemporalAmount) {
      return v.toString();
    }
    throw new IllegalArgumentException(
        "a value of type " + v.getClass().getName() + " cannot be stored as a variable");
  }

  /** Numbers with more digits than this (before or after the point) cannot be stored. */
  public static final int MAX_DIGITS = 1000;

  private static Object canonicalDecimal(BigDecimal bd) {
    BigDecimal s = bd.stripTrailingZeros();
    if (s.precision() > MAX_DIGITS
        || s.scale() > MAX_DIGITS
        || s.precision() - s.scale() > MAX_DIGITS) {
      throw new IllegalArgumentException(
          "a number with more than " + MAX_DIGITS + " digits cannot be stored");
    }
    if (s.scale() > 0) {
      return s;
    }
    try {
      return s.longValueExact();
    } catch (ArithmeticException beyond64Bits) {
      // A whole number beyond 64 bits keeps one decimal place: JSON readers take digits without a
      // point as a 64-bit integer, so written plainly it would not read back.
      return s.setScale(1);
    }
  }

  /** A canonical copy of a variable map (insertion order kept). */
  public static Map<String, Object> canonicalMap(Map<String, ?> vars) {
    Map<String, Object> out = new LinkedHashMap<>();
    if (vars != null) {
      vars.forEach((k, v) -> out.put(k, canonical(v)));
    }
    return out;
  }
}
