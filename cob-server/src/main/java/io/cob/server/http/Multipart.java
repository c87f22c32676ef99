package io.cob.server.http;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Splits a {@code multipart/form-data} body (RFC 7578) that has been read whole into its parts. The
 * body's size is bounded by the route before it gets here, so holding it in memory is safe.
 */
public final class Multipart {
  /** One part: its form field name, its file name if any, its content type if any, its bytes. */
  public record Part(String name, String fileName, String contentType, byte[] content) {}

  private Multipart() {}

  /** The {@code boundary} parameter of a {@code multipart/form-data} content type. */
  public static String boundary(String contentType) {
    if (contentType == null) {
      throw new IllegalArgumentException("a multipart body needs a Content-Type with a boundary");
    }
    for (String p : contentType.split(";")) {
      String t = p.trim();
      if (t.toLowerCase(Locale.ROOT).startsWith("boundary=")) {
        String b = t.substring("boundary=".length());
        if (b.length() >= 2 && b.startsWith("\"") && b.endsWith("\"")) {
          b = b.substring(1, b.length() - 1);
        }
        if (!b.isEmpty()) {
          return b;
        }
      }
    }
    throw new IllegalArgumentException("the multipart Content-Type has no boundary parameter");
  }

  /**
   * Parses the parts.
   *
   * @throws IllegalArgumentException naming what is malformed
   */
  public static List<Part> parse(byte[] body, String boundary) {
    byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
    List<Part> parts = new ArrayList<>();
    int pos = indexOf(body, delimiter, 0);
    if (pos < 0) {
      throw new IllegalArgumentException("the multipart body does not contain its boundary");
    }
    while (true) {
      int after = pos + delimiter.length;
      if (after + 1 < body.length && body[after] == '-' && body[after + 1] == '-') {
        return parts; // closing delimiter
      }
      int headersStart = skipLineEnd(body, after);
      int headersEnd =
          indexOf(body, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), headersStart);
      if (headersEnd < 0) {
        throw new IllegalArgumentException(
            "part " + (parts.size() + 1) + " of the multipart body has no end of headers");
      }
      Map<String, String> headers =
          headers(
              new String(body, headersStart, headersEnd - headersStart, StandardCharsets.UTF_8));
      int contentStart = headersEnd + 4;
      byte[] next = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
      int contentEnd = indexOf(body, next, contentStart);
      if (contentEnd < 0) {
        throw new IllegalArgumentException(
            "part " + (parts.size() + 1) + " of the multipart body is not closed by its boundary");
      }
      byte[] content = java.util.Arrays.copyOfRange(body, contentStart, contentEnd);
      String disposition = headers.getOrDefault("content-disposition", "");
      parts.add(
          new Part(
              dispositionParam(disposition, "name"),
              dispositionParam(disposition, "filename"),
              headers.get("content-type"),
              content));
      pos = contentEnd + 2;
    }
  }

  private static int skipLineEnd(byte[] b, int i) {
    while (i < b.length && (b[i] == ' ' || b[i] == '\t')) {
      i++;
    }
    if (i + 1 < b.length && b[i] == '\r' && b[i + 1] == '\n') {
      return i + 2;
    }
    throw new IllegalArgumentException("the multipart boundary line is not followed by a line end");
  }

  private static Map<String, String> headers(String block) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String line : block.split("\r\n")) {
      int colon = line.indexOf(':');
      if (colon > 0) {
        out.put(
            line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
            line.substring(colon + 1).trim());
      }
    }
    return out;
  }

  /** A parameter of a Content-Disposition header ({@code name="file"; filename="a.bpmn"}). */
  static String dispositionParam(String disposition, String param) {
    for (String p : disposition.split(";")) {
      String t = p.trim();
      int eq = t.indexOf('=');
      if (eq > 0 && t.substring(0, eq).trim().equalsIgnoreCase(param)) {
        String v = t.substring(eq + 1).trim();
        if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
          v = v.substring(1, v.length() - 1);
        }
        return v;
      }
    }
    return null;
  }

  private static int indexOf(byte[] hay, byte[] needle, int from) {
    outer:
    for (int i = Math.max(0, from); i <= hay.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
