package io.cob.connectors.http;

import io.cob.connectors.ConnectorException;
import java.util.regex.Pattern;

/**
 * Checks header names and values that come from settings or variables before they go on the wire: a
 * line break in a value would end the header and let a variable forge the next one (header
 * injection), so values with control characters are refused, as are names that are not RFC 9110
 * tokens. The refusal is a misconfiguration naming the setting and the header, which becomes an
 * incident.
 */
public final class HeaderText {
  private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+\\-.^_`|~0-9A-Za-z]+");

  private HeaderText() {}

  /** {@code name}, when it is a header name. */
  public static String name(String setting, String name) {
    if (!TOKEN.matcher(name).matches()) {
      throw ConnectorException.misconfigured(
          "setting '"
              + setting
              + "': '"
              + printable(name)
              + "' is not a header name (letters, digits and !#$%&'*+-.^_`|~ only)");
    }
    return name;
  }

  /** {@code value}, when it holds no line break or other control character (tab aside). */
  public static String value(String setting, String name, String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if ((c < 0x20 && c != '\t') || c == 0x7f) {
        throw ConnectorException.misconfigured(
            "setting '"
                + setting
                + "': the value of header '"
                + name
                + "' holds the control character U+"
                + String.format("%04X", (int) c)
                + " at position "
                + (i + 1)
                + "; header values must not hold line breaks or control characters (they would"
                + " forge headers)");
      }
    }
    return value;
  }

  /** The text with control characters shown as {@code \\uXXXX}, for messages. */
  private static String printable(String text) {
    StringBuilder sb = new StringBuilder();
    for (char c : text.toCharArray()) {
      sb.append(c < 0x20 || c == 0x7f ? String.format("\\u%04X", (int) c) : String.valueOf(c));
    }
    return sb.toString();
  }
}
