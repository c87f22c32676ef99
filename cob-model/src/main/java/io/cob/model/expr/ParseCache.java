package io.cob.model.expr;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * A thread-safe, size-bounded cache of parse results keyed by expression text.
 *
 * <p>Expressions come from deployed process models, so the working set is normally small and
 * stable. The bound only guards against unbounded growth (for example from ad-hoc expressions):
 * when it is reached the cache is cleared wholesale, which is crude but cheap and never wrong,
 * since every entry can be re-parsed.
 *
 * @param <V> the parsed form; the parser must not return null and should report malformed input in
 *     its result rather than by throwing, so that failures are cached too
 */
final class ParseCache<V> {
  private final int maxEntries;
  private final ConcurrentHashMap<String, V> entries = new ConcurrentHashMap<>();

  ParseCache(int maxEntries) {
    if (maxEntries < 1) {
      throw new IllegalArgumentException("cache size must be positive, was " + maxEntries);
    }
    this.maxEntries = maxEntries;
  }

  V get(String text, Function<String, V> parser) {
    V cached = entries.get(text);
    if (cached != null) {
      return cached;
    }
    if (entries.size() >= maxEntries) {
      entries.clear();
    }
    return entries.computeIfAbsent(text, parser);
  }

  int size() {
    return entries.size();
  }
}
