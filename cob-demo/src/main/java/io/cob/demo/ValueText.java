package io.cob.demo;

import io.cob.engine.port.BlobRef;
import java.math.BigDecimal;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** Short, readable renderings of variable values for the trace. Stateless. */
final class ValueText {
  private ValueText() {}

  /** {@code name=value, ...} cut to about {@code max} characters. */
  static String variables(Map<String, Object> vars, int max) {
    String s =
        vars.entrySet().stream()
            .map(e -> e.getKey() + "=" + value(e.getValue()))
            .collect(Collectors.joining(", "));
    return of(s, max);
  }

  /** {@code text} cut to {@code max} characters with an ellipsis. */
  static String of(String text, int max) {
    if (text == null) {
      return "";
    }
    String one = text.replaceAll("\\s+", " ").strip();
    return one.length() <= max ? one : one.substring(0, max - 3) + "...";
  }

  static String value(Object v) {
    Optional<BlobRef> blob = BlobRef.fromVariable(v);
    if (blob.isPresent()) {
      return blob.get().contentType() + " blob, " + kilobytes(blob.get().size());
    }
    return switch (v) {
      case null -> "null";
      case String s -> of(s, 40);
      case BigDecimal d -> d.stripTrailingZeros().toPlainString();
      case Double d when d == Math.rint(d) -> String.valueOf(d.longValue());
      case Collection<?> c when c.size() > 2 || c.stream().anyMatch(ValueText::nested) ->
          "[" + c.size() + " items]";
      case Collection<?> c ->
          c.stream().map(ValueText::value).collect(Collectors.joining(", ", "[", "]"));
      case Map<?, ?> m ->
          of(
              m.entrySet().stream()
                  .map(e -> e.getKey() + ": " + value(e.getValue()))
                  .collect(Collectors.joining(", ", "{", "}")),
              50);
      default -> of(String.valueOf(v), 40);
    };
  }

  private static boolean nested(Object o) {
    return o instanceof Map || o instanceof List;
  }

  static String kilobytes(long bytes) {
    return bytes < 1024 ? bytes + " B" : String.format("%.1f kB", bytes / 1024.0);
  }
}
