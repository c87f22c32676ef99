package io.cob.model.expr;

import jakarta.el.BeanELResolver;
import jakarta.el.ELContext;
import jakarta.el.ELResolver;
import jakarta.el.MethodNotFoundException;
import jakarta.el.PropertyNotFoundException;
import jakarta.el.PropertyNotWritableException;
import java.lang.reflect.Array;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The only way a JUEL expression reaches Java methods: reading methods of the values variables hold
 * (strings, numbers, booleans, lists, maps and their entries) and of the EL stream operations over
 * them, each named in an allow-list; anything else is refused with an {@link
 * jakarta.el.ELException} naming the method and the value's type.
 *
 * <p>Why an allow-list: Jakarta EL's {@code BeanELResolver} invokes any public method of any
 * object, so {@code ${"".getClass().forName("java.io.File")...}} reached reflection, the file
 * system and the network, and {@code ${order.put("paid", true)}} changed a variable in place behind
 * the instance's event log. The allowed methods read; none of them mutates a value, returns a
 * {@link Class}, or does I/O.
 *
 * <p>Properties ({@code ${text.empty}}, {@code ${entry.key}}) are the getters of allowed methods:
 * {@code empty} is allowed because {@code isEmpty} is; {@code class} never is. Maps, lists and
 * arrays are resolved by the resolvers before this one; it sees them only for method calls.
 *
 * <p>Thread-safe: stateless apart from the delegate, which is.
 */
final class ReadOnlyValueResolver extends ELResolver {
  private static final Set<String> ANY = Set.of("equals", "hashCode", "toString", "compareTo");

  private static final Set<String> STRING =
      Set.of(
          "length",
          "isEmpty",
          "isBlank",
          "charAt",
          "contains",
          "startsWith",
          "endsWith",
          "indexOf",
          "lastIndexOf",
          "substring",
          "toLowerCase",
          "toUpperCase",
          "trim",
          "strip",
          "stripLeading",
          "stripTrailing",
          "replace",
          "matches",
          "split",
          "concat",
          "equalsIgnoreCase",
          "compareToIgnoreCase");

  private static final Set<String> NUMBER =
      Set.of(
          "intValue",
          "longValue",
          "doubleValue",
          "floatValue",
          "shortValue",
          "byteValue",
          "abs",
          "negate",
          "signum",
          "scale",
          "precision",
          "stripTrailingZeros",
          "toPlainString",
          "add",
          "subtract",
          "multiply",
          "remainder",
          "max",
          "min");

  private static final Set<String> BOOLEAN = Set.of("booleanValue");

  private static final Set<String> COLLECTION =
      Set.of(
          "size",
          "isEmpty",
          "contains",
          "containsAll",
          "get",
          "indexOf",
          "lastIndexOf",
          "subList",
          "getFirst",
          "getLast");

  private static final Set<String> MAP =
      Set.of(
          "size",
          "isEmpty",
          "containsKey",
          "containsValue",
          "get",
          "getOrDefault",
          "keySet",
          "values",
          "entrySet");

  private static final Set<String> ENTRY = Set.of("getKey", "getValue");

  /** EL's own stream operations ({@code items.stream().filter(x -> ...)}); all of them read. */
  private static final Set<String> STREAM =
      Set.of(
          "filter",
          "map",
          "peek",
          "limit",
          "substream",
          "distinct",
          "sorted",
          "flatMap",
          "reduce",
          "forEach",
          "anyMatch",
          "allMatch",
          "noneMatch",
          "toArray",
          "toList",
          "findFirst",
          "sum",
          "count",
          "min",
          "max",
          "average");

  private static final Set<String> OPTIONAL =
      Set.of("isPresent", "ifPresent", "get", "orElse", "orElseGet");

  private final BeanELResolver delegate = new BeanELResolver(true);

  @Override
  public Object getValue(ELContext context, Object base, Object property) {
    if (base == null) {
      return null;
    }
    String name = String.valueOf(property);
    if (!readable(base, name)) {
      throw new PropertyNotFoundException(
          "property '"
              + name
              + "' of "
              + typeOf(base)
              + " cannot be read in an expression; "
              + WHAT_IS_ALLOWED);
    }
    return delegate.getValue(context, base, property);
  }

  @Override
  public Object invoke(
      ELContext context, Object base, Object method, Class<?>[] paramTypes, Object[] params) {
    if (base == null) {
      return null;
    }
    String name = String.valueOf(method);
    if (!allowed(base).contains(name) && !ANY.contains(name)) {
      throw new MethodNotFoundException(
          "method '"
              + name
              + "' of "
              + typeOf(base)
              + " cannot be called in an expression; "
              + WHAT_IS_ALLOWED);
    }
    return delegate.invoke(context, base, method, paramTypes, params);
  }

  @Override
  public Class<?> getType(ELContext context, Object base, Object property) {
    if (base == null || !readable(base, String.valueOf(property))) {
      return null;
    }
    context.setPropertyResolved(base, property);
    // Read-only: nothing can be set, so there is no type to set.
    return null;
  }

  @Override
  public void setValue(ELContext context, Object base, Object property, Object value) {
    if (base != null) {
      throw new PropertyNotWritableException(
          "property '" + property + "' cannot be assigned in an expression");
    }
  }

  @Override
  public boolean isReadOnly(ELContext context, Object base, Object property) {
    if (base != null) {
      context.setPropertyResolved(base, property);
    }
    return true;
  }

  @Override
  public Class<?> getCommonPropertyType(ELContext context, Object base) {
    return base == null ? null : Object.class;
  }

  private static final String WHAT_IS_ALLOWED =
      "expressions may only read strings, numbers, booleans, lists and maps";

  /** A property is readable when its getter is an allowed method. */
  private static boolean readable(Object base, String property) {
    if (property.isEmpty()) {
      return false;
    }
    String cap = property.substring(0, 1).toUpperCase(Locale.ROOT) + property.substring(1);
    Set<String> methods = allowed(base);
    return methods.contains("get" + cap) || methods.contains("is" + cap);
  }

  private static Set<String> allowed(Object base) {
    return switch (base) {
      case String s -> STRING;
      case Number n -> NUMBER;
      case Boolean b -> BOOLEAN;
      case Map<?, ?> m -> MAP;
      case Collection<?> c -> COLLECTION;
      case Map.Entry<?, ?> e -> ENTRY;
      case org.glassfish.expressly.stream.Stream s -> STREAM;
      case org.glassfish.expressly.stream.Optional o -> OPTIONAL;
      default -> Set.of();
    };
  }

  private static String typeOf(Object base) {
    if (base.getClass().isArray()) {
      return "an array of " + Array.getLength(base);
    }
    return "a value of type " + base.getClass().getName();
  }
}
