package io.cob.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns {@code --var NAME=VALUE} and {@code --vars JSON} into variables: a value that parses as
 * JSON is JSON ({@code n=3}, {@code ok=true}, {@code items=["a"]}), anything else is a string.
 */
final class VariableArgs {
  static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .enable(DeserializationFeature.USE_LONG_FOR_INTS);

  private VariableArgs() {}

  /**
   * @throws IllegalArgumentException naming the offending argument
   */
  static Map<String, Object> parse(String varsJson, List<String> vars) {
    Map<String, Object> out = new LinkedHashMap<>();
    if (varsJson != null) {
      try {
        Object parsed = JSON.readValue(varsJson, Object.class);
        if (!(parsed instanceof Map<?, ?> m)) {
          throw new IllegalArgumentException("--vars must be a JSON object, got: " + varsJson);
        }
        m.forEach((k, v) -> out.put(String.valueOf(k), v));
      } catch (JsonProcessingException e) {
        throw new IllegalArgumentException("--vars is not valid JSON: " + e.getOriginalMessage());
      }
    }
    for (String v : vars) {
      int eq = v.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("--var '" + v + "' is not of the form NAME=VALUE");
      }
      String name = v.substring(0, eq).strip();
      if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
        throw new IllegalArgumentException(
            "--var '" + v + "': '" + name + "' is not a valid variable name");
      }
      out.put(name, value(v.substring(eq + 1)));
    }
    return out;
  }

  private static Object value(String text) {
    try {
      return JSON.readValue(text, Object.class);
    } catch (JsonProcessingException e) {
      return text;
    }
  }
}
