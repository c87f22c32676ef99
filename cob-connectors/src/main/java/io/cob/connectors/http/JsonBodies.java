package io.cob.connectors.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.cob.engine.value.Values;
import java.io.IOException;

/**
 * JSON as the http connector reads and writes it: fractions as {@code BigDecimal} so amounts keep
 * their exact value; values written in the engine's canonical form (FEEL dates as ISO strings).
 */
final class JsonBodies {
  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  private JsonBodies() {}

  /** The value of a JSON document, as maps, lists and scalars; {@code null} for an empty one. */
  static Object parse(byte[] json) throws IOException {
    if (isBlank(json)) {
      return null;
    }
    return MAPPER.readValue(json, Object.class);
  }

  static byte[] write(Object value) {
    try {
      return MAPPER.writeValueAsBytes(Values.canonical(value));
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw new IllegalArgumentException("cannot be written as JSON: " + e.getMessage(), e);
    }
  }

  /** The value as JSON text, for messages. */
  static String text(Object value) {
    try {
      return new String(write(value), java.nio.charset.StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return String.valueOf(value);
    }
  }

  private static boolean isBlank(byte[] b) {
    for (byte x : b) {
      if (x != ' ' && x != '\n' && x != '\r' && x != '\t') {
        return false;
      }
    }
    return true;
  }
}
