package io.cob.connectors;

import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The secrets of a node (passwords, tokens, keys), by name, from its configuration. Models never
 * hold secrets; they refer to them as {@code {{secrets.NAME}}} inside a header or input value, and
 * the connector puts the secret in at the moment it calls out. Resolved values never become process
 * variables, so they appear in no history, report or log.
 */
public final class Secrets {
  private static final Pattern REFERENCE =
      Pattern.compile("\\{\\{\\s*secrets\\.([A-Za-z0-9_.-]+)\\s*}}");

  private final Map<String, String> values;

  private Secrets(Map<String, String> values) {
    this.values = new TreeMap<>(values);
  }

  public static Secrets of(Map<String, String> values) {
    return new Secrets(values);
  }

  public static Secrets none() {
    return new Secrets(Map.of());
  }

  /**
   * Replaces every {@code {{secrets.NAME}}} in {@code text} by the secret's value.
   *
   * @param where what the text is, for the error (e.g. {@code header 'password'})
   * @throws ConnectorException (not retryable) naming the missing secret and {@code where}
   */
  public String resolve(String text, String where) {
    if (text == null || !text.contains("{{")) {
      return text;
    }
    Matcher m = REFERENCE.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String name = m.group(1);
      String value = values.get(name);
      if (value == null) {
        throw ConnectorException.misconfigured(
            where
                + " refers to secret '"
                + name
                + "', which is not configured (secrets."
                + name
                + " in cob.yaml, or COB_SECRETS_"
                + name.toUpperCase(java.util.Locale.ROOT).replaceAll("[^A-Z0-9]", "_")
                + ")");
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }

  /** Whether {@code text} refers to any secret. */
  public static boolean refersToSecret(String text) {
    return text != null && REFERENCE.matcher(text).find();
  }

  /** The names configured, for diagnostics; never the values. */
  public java.util.Set<String> names() {
    return values.keySet();
  }

  @Override
  public String toString() {
    return "Secrets" + names();
  }
}
