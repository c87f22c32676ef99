package io.cob.connectors.http;

/** A short, one-line excerpt of a response body for messages and incidents. */
final class Excerpt {
  static final int MAX_CHARS = 200;

  private Excerpt() {}

  static String of(String text) {
    if (text == null || text.isBlank()) {
      return "(empty body)";
    }
    String line = text.strip().replaceAll("\\s+", " ");
    return line.length() <= MAX_CHARS ? line : line.substring(0, MAX_CHARS - 3) + "...";
  }
}
