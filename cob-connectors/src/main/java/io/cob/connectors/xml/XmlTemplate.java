package io.cob.connectors.xml;

import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fills an XML text with values of variables, escaped so that no value can change the document's
 * structure.
 *
 * <p>Syntax: {@code ${name}} is replaced by the value of variable {@code name}; {@code ${a.b.c}}
 * follows contexts (maps) from variable {@code a}, and a whole-number segment picks a list item
 * ({@code ${lines.0.sku}}). The value is written as text with {@code & < > " '} escaped, so it is
 * safe both in element content and in attribute values: numbers in plain notation, booleans as
 * {@code true}/{@code false}, {@code null} as nothing. {@code $${} writes a literal {@code ${}.
 *
 * <p>Secret references {@code {{secrets.NAME}}} are filled in the same pass, escaped the same way,
 * by the resolver the caller gives (see {@link io.cob.connectors.Secrets}).
 *
 * <p>A placeholder naming a variable or key that does not exist, or whose value is a context or a
 * list, is an error naming the placeholder: to send structures, use the SOAP connector's {@code
 * request} setting. Substitution is one pass: inserted values are never scanned for placeholders
 * again, so a value cannot pull in other variables. Stateless and thread-safe.
 */
public final class XmlTemplate {
  private static final Pattern PLACEHOLDER =
      Pattern.compile("\\$\\$\\{|\\$\\{([^}]*)}|(\\{\\{\\s*secrets\\.[A-Za-z0-9_.-]+\\s*}})");
  private static final Pattern PATH =
      Pattern.compile("[\\p{L}_][\\p{L}\\p{N}_\\-]*(\\.[\\p{L}\\p{N}_\\-]+)*");

  private XmlTemplate() {}

  /**
   * The template with every placeholder replaced by its escaped value.
   *
   * @param what what the template is, for errors (e.g. {@code setting 'body'})
   * @throws XmlException naming the placeholder that cannot be filled
   */
  public static String render(String template, Map<String, Object> variables, String what) {
    return render(template, variables, UnaryOperator.identity(), what);
  }

  /**
   * As {@link #render(String, Map, String)}, with each secret reference replaced by {@code
   * secrets.apply(reference)}, escaped.
   */
  public static String render(
      String template, Map<String, Object> variables, UnaryOperator<String> secrets, String what) {
    Matcher m = PLACEHOLDER.matcher(template);
    StringBuilder out = new StringBuilder(template.length() + 64);
    while (m.find()) {
      String replacement;
      if (m.group(2) != null) {
        replacement = escape(secrets.apply(m.group(2)), what + ", a secret reference");
      } else if (m.group(1) == null) {
        replacement = "${";
      } else {
        String path = m.group(1).strip();
        replacement = escape(lookup(path, variables, what), what + ", placeholder ${" + path + "}");
      }
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
    return out.toString();
  }

  /** {@code value} as XML text safe in content and in attribute values. */
  public static String escape(Object value, String what) {
    String s = XmlJson.text(value, what);
    StringBuilder out = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&apos;");
        case '\r' -> out.append("&#13;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  private static Object lookup(String path, Map<String, Object> variables, String what) {
    String where = what + ", placeholder ${" + path + "}";
    if (!PATH.matcher(path).matches()) {
      throw new XmlException(where + ": not a variable name or a path like a.b.c");
    }
    String[] segments = path.split("\\.");
    if (!variables.containsKey(segments[0])) {
      throw new XmlException(where + ": there is no variable '" + segments[0] + "'");
    }
    Object value = variables.get(segments[0]);
    for (int i = 1; i < segments.length; i++) {
      String seg = segments[i];
      String so = String.join(".", java.util.Arrays.copyOfRange(segments, 0, i));
      value =
          switch (value) {
            case Map<?, ?> map when map.containsKey(seg) -> map.get(seg);
            case List<?> list when seg.matches("\\d{1,9}") && Integer.parseInt(seg) < list.size() ->
                list.get(Integer.parseInt(seg));
            case null -> throw new XmlException(where + ": '" + so + "' is null");
            default -> throw new XmlException(where + ": '" + so + "' has no '" + seg + "'");
          };
    }
    if (value instanceof Map<?, ?> || value instanceof List<?>) {
      throw new XmlException(
          where
              + ": the value is a "
              + (value instanceof Map<?, ?> ? "context" : "list")
              + "; a placeholder inserts text (use 'request' to send structures)");
    }
    return value;
  }
}
