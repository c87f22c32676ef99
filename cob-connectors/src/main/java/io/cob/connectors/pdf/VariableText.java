package io.cob.connectors.pdf;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cob.engine.port.BlobRef;
import java.math.BigDecimal;
import java.util.Map;
import java.util.Optional;

/**
 * Turns a variable's value into the text a report shows: texts as they are, numbers in plain
 * notation, lists and maps as JSON, blob references as file name, size, type and SHA-256 (never the
 * bytes). Text longer than the limit is cut and says how long it was.
 */
final class VariableText {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final int maxLength;

  VariableText(int maxLength) {
    this.maxLength = maxLength;
  }

  /**
   * The text for variable {@code name}; {@code all} are the variables around it, where a blob's
   * file name may be kept as {@code nameFileName} (as this connector and others write it).
   */
  String format(String name, Object value, Map<String, Object> all) {
    Optional<BlobRef> blob = BlobRef.fromVariable(value);
    if (blob.isPresent()) {
      return blob(blob.get(), fileName(value, all.get(name + "FileName")));
    }
    String text =
        switch (value) {
          case null -> "null";
          case String s -> s;
          case BigDecimal d -> d.toPlainString();
          case Number n -> n.toString();
          case Boolean b -> b.toString();
          default -> json(value);
        };
    return cut(text);
  }

  private String cut(String text) {
    if (text.length() <= maxLength) {
      return text;
    }
    return text.substring(0, maxLength) + " ... (" + text.length() + " characters in all)";
  }

  private static String fileName(Object ref, Object sibling) {
    if (ref instanceof Map<?, ?> m) {
      for (String key : new String[] {"fileName", "filename", "name"}) {
        if (m.get(key) instanceof String s && !s.isBlank()) {
          return s;
        }
      }
    }
    return sibling instanceof String s && !s.isBlank() ? s : null;
  }

  private static String blob(BlobRef ref, String fileName) {
    return (fileName == null ? "blob " + ref.blobId() : fileName)
        + " ("
        + size(ref.size())
        + ", "
        + ref.contentType()
        + ", sha256 "
        + ref.sha256()
        + ")";
  }

  /** 1 234 bytes, 12.3 KB, 4.5 MB. */
  static String size(long bytes) {
    if (bytes < 1024) {
      return bytes + (bytes == 1 ? " byte" : " bytes");
    }
    if (bytes < 1024 * 1024) {
      return String.format(java.util.Locale.ROOT, "%.1f KB", bytes / 1024.0);
    }
    return String.format(java.util.Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024));
  }

  private static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      return String.valueOf(value);
    }
  }
}
