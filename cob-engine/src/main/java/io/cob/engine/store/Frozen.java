package io.cob.engine.store;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Deep, unmodifiable copies of the values the engine hands to a store: records are rebuilt with
 * copied components, maps, lists and sets become unmodifiable copies (which, unlike {@code
 * Map.copyOf}, keep {@code null} values and iteration order). Other values are taken as they are:
 * the engine's values are strings, numbers, booleans and {@code java.time} types, all immutable.
 *
 * <p>Lets {@link InMemoryStore} keep what it was given as objects while callers can still change
 * the maps they passed in, or try to change the ones they read back. Thread-safe.
 */
final class Frozen {
  private static final Map<Class<?>, Shape> SHAPES = new ConcurrentHashMap<>();

  /** How to take a record class apart and build it again; looked up once per class. */
  private record Shape(Method[] accessors, Constructor<?> constructor) {}

  private Frozen() {}

  @SuppressWarnings("unchecked")
  static <T> T copy(T value) {
    return (T) copyAny(value);
  }

  private static Object copyAny(Object value) {
    if (value == null) {
      return null;
    }
    if (value instanceof Map<?, ?> map) {
      Map<Object, Object> copy = new LinkedHashMap<>(map.size() * 2);
      map.forEach((k, v) -> copy.put(copyAny(k), copyAny(v)));
      return Collections.unmodifiableMap(copy);
    }
    if (value instanceof List<?> list) {
      List<Object> copy = new ArrayList<>(list.size());
      list.forEach(v -> copy.add(copyAny(v)));
      return Collections.unmodifiableList(copy);
    }
    if (value instanceof Set<?> set) {
      Set<Object> copy = new LinkedHashSet<>(set.size() * 2);
      set.forEach(v -> copy.add(copyAny(v)));
      return Collections.unmodifiableSet(copy);
    }
    if (value instanceof Collection<?> collection) {
      List<Object> copy = new ArrayList<>(collection.size());
      collection.forEach(v -> copy.add(copyAny(v)));
      return Collections.unmodifiableList(copy);
    }
    if (value instanceof Record record) {
      return copyRecord(record);
    }
    return value;
  }

  private static Object copyRecord(Record record) {
    Shape shape = SHAPES.computeIfAbsent(record.getClass(), Frozen::shape);
    Object[] values = new Object[shape.accessors().length];
    try {
      for (int i = 0; i < values.length; i++) {
        values[i] = copyAny(shape.accessors()[i].invoke(record));
      }
      return shape.constructor().newInstance(values);
    } catch (IllegalAccessException | InstantiationException e) {
      throw new IllegalStateException("cannot copy " + record.getClass().getName(), e);
    } catch (InvocationTargetException e) {
      throw new IllegalStateException("cannot copy " + record.getClass().getName(), e.getCause());
    }
  }

  private static Shape shape(Class<?> type) {
    RecordComponent[] components = type.getRecordComponents();
    Method[] accessors = new Method[components.length];
    Class<?>[] parameterTypes = new Class<?>[components.length];
    for (int i = 0; i < components.length; i++) {
      accessors[i] = components[i].getAccessor();
      // Records nested in non-public classes have non-public members.
      accessors[i].setAccessible(true);
      parameterTypes[i] = components[i].getType();
    }
    try {
      Constructor<?> constructor = type.getDeclaredConstructor(parameterTypes);
      constructor.setAccessible(true);
      return new Shape(accessors, constructor);
    } catch (NoSuchMethodException e) {
      throw new IllegalStateException("record without canonical constructor: " + type, e);
    }
  }
}
