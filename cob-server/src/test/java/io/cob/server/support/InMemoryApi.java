package io.cob.server.support;

import io.cob.server.CobNode;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.LocalConnector;

/**
 * Sends raw HTTP/1.1 requests to a node through its in-memory connector: the node's own parser,
 * routing, handlers and error handling, without a socket, so that thousands of requests take
 * seconds. Thread-safe.
 */
public final class InMemoryApi {
  private final LocalConnector connector;

  public InMemoryApi(CobNode node) {
    this.connector = node.http().inMemory();
  }

  /** An answer: its status, content type (or {@code null}) and body. */
  public record Res(int status, String contentType, byte[] body) {
    public String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
      String t = text();
      return status + " " + contentType + " " + (t.length() > 500 ? t.substring(0, 500) + "…" : t);
    }
  }

  /** Sends one request with a body; the connection closes after the answer. */
  public Res send(String method, String target, String contentType, byte[] body) {
    ByteArrayOutputStream raw = new ByteArrayOutputStream(body.length + 200);
    String head =
        method
            + " "
            + target
            + " HTTP/1.1\r\nHost: local\r\nConnection: close\r\n"
            + (contentType == null ? "" : "Content-Type: " + contentType + "\r\n")
            + "Content-Length: "
            + body.length
            + "\r\n\r\n";
    raw.writeBytes(head.getBytes(StandardCharsets.ISO_8859_1));
    raw.writeBytes(body);
    ByteBuffer answer;
    try {
      answer = connector.getResponse(ByteBuffer.wrap(raw.toByteArray()), 30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("the in-memory request failed: " + e, e);
    }
    if (answer == null) {
      throw new IllegalStateException("no answer within 30 s to " + method + " " + target);
    }
    byte[] bytes = new byte[answer.remaining()];
    answer.get(bytes);
    return parse(bytes);
  }

  public Res post(String target, String contentType, byte[] body) {
    return send("POST", target, contentType, body);
  }

  public Res postJson(String target, String json) {
    return post(target, "application/json", json.getBytes(StandardCharsets.UTF_8));
  }

  /** Reads a whole HTTP/1.1 answer (with Content-Length, as the node always sends). */
  static Res parse(byte[] raw) {
    int end = indexOf(raw, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
    if (end < 0) {
      throw new IllegalStateException(
          "not an HTTP answer: " + new String(raw, StandardCharsets.ISO_8859_1));
    }
    String[] lines = new String(raw, 0, end, StandardCharsets.ISO_8859_1).split("\r\n");
    int status = Integer.parseInt(lines[0].split(" ")[1]);
    String contentType = null;
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0
          && lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT).equals("content-type")) {
        contentType = lines[i].substring(colon + 1).trim();
      }
    }
    byte[] body = java.util.Arrays.copyOfRange(raw, end + 4, raw.length);
    return new Res(status, contentType, body);
  }

  private static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i <= hay.length - needle.length; i++) {
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
