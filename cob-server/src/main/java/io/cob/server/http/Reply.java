package io.cob.server.http;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * What a handler answers: status, content type, body and extra headers. Immutable.
 *
 * @param contentType {@code null} when there is no body
 */
public record Reply(int status, String contentType, byte[] body, Map<String, String> headers) {
  public static final String JSON = "application/json";
  public static final String PROBLEM_JSON = "application/problem+json";

  public Reply {
    headers = Map.copyOf(headers);
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

  public Reply withHeader(String name, String value) {
    Map<String, String> h = new java.util.LinkedHashMap<>(headers);
    h.put(name, value);
    return new Reply(status, contentType, body, h);
  }
}
