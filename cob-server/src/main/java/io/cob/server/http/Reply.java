package io.cob.server.http;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * What a handler answers: status, content type, body and extra headers. Immutable.
 *
 * <p>The body is either bytes in memory ({@link #body}) or, for content too large to hold (blobs),
 * {@link #streamed}: written by the server after the headers, as it is produced.
 *
 * @param contentType {@code null} when there is no body
 * @param streamed the body to write as a stream instead of {@link #body}, or {@code null}
 */
public record Reply(
    int status, String contentType, byte[] body, Map<String, String> headers, Streamed streamed) {
  public static final String JSON = "application/json";
  public static final String PROBLEM_JSON = "application/problem+json";

  /** Writes a streamed body to the client. */
  @FunctionalInterface
  public interface BodyWriter {
    /**
     * Writes the whole body. Throwing after the first bytes were sent aborts the response, so that
     * the client sees a broken transfer, never a complete-looking body.
     */
    void writeTo(OutputStream out) throws IOException;
  }

  /**
   * A body written as it is produced.
   *
   * @param length the exact number of bytes ({@code Content-Length}), or -1 when unknown
   */
  public record Streamed(long length, BodyWriter writer) {}

  public Reply {
    headers = Map.copyOf(headers);
  }

  public Reply(int status, String contentType, byte[] body, Map<String, String> headers) {
    this(status, contentType, body, headers, null);
  }

  /** A JSON body. */
  public static Reply json(int status, Object value) {
    return new Reply(status, JSON, Json.write(value), Map.of());
  }

  public static Reply ok(Object value) {
    return json(200, value);
  }

  /** {@code 204 No Content}. */
  public static Reply noContent() {
    return new Reply(204, null, new byte[0], Map.of());
  }

  public static Reply text(int status, String contentType, String body) {
    return new Reply(status, contentType, body.getBytes(StandardCharsets.UTF_8), Map.of());
  }

  /**
   * A body streamed to the client with exactly this content type (no charset is added).
   *
   * @param length the exact number of bytes, or -1 when unknown
   */
  public static Reply stream(int status, String contentType, long length, BodyWriter writer) {
    return new Reply(status, contentType, new byte[0], Map.of(), new Streamed(length, writer));
  }

  public Reply withHeader(String name, String value) {
    Map<String, String> h = new java.util.LinkedHashMap<>(headers);
    h.put(name, value);
    return new Reply(status, contentType, body, h, streamed);
  }
}
