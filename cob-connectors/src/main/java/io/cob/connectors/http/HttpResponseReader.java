package io.cob.connectors.http;

import io.cob.connectors.ConnectorException;
import io.cob.engine.port.BlobRef;
import io.cob.engine.port.BlobStore;
import io.cob.engine.port.BlobTooLargeException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.net.http.HttpResponse;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Turns a response into the variables {@code {status, headers, body}}.
 *
 * <p>{@code headers} has lower-case names; a header sent once is a string, one sent several times a
 * list. {@code body} is the parsed value for JSON media types ({@code application/json}, {@code
 * *+json}), the text for {@code text/*} and XML, {@code null} when empty; anything else (PDFs,
 * images, {@code application/octet-stream}, no content type) is streamed into the blob store and
 * {@code body} is the blob's reference, never the bytes. Bodies kept in variables are limited to
 * {@code maxResponseBytes}, blobs to the node's {@code maxBlobBytes}.
 */
final class HttpResponseReader {
  /** Error bodies are read only this far: they serve as an excerpt and for the boundary event. */
  static final int MAX_ERROR_BODY = 64 * 1024;

  /** How a response body is kept. */
  enum Kind {
    JSON,
    TEXT,
    BLOB
  }

  private final BlobStore blobs;

  HttpResponseReader(BlobStore blobs) {
    this.blobs = blobs;
  }

  /** The variables of a successful response. Closes the body. */
  Map<String, Object> success(
      HttpResponse<InputStream> r, boolean asBlob, long maxResponseBytes, long maxBlobBytes)
      throws IOException {
    try (PushbackInputStream in = new PushbackInputStream(r.body(), 1)) {
      int first = in.read();
      if (first < 0) {
        return variables(r, null); // no body at all (204, HEAD, empty): nothing to keep
      }
      in.unread(first);
      String contentType = r.headers().firstValue("Content-Type").orElse(null);
      Kind kind = asBlob ? Kind.BLOB : kind(contentType);
      Object body =
          switch (kind) {
            case BLOB -> blob(in, contentType, maxBlobBytes);
            case JSON, TEXT -> inVariable(read(in, maxResponseBytes, true), kind, contentType);
          };
      return variables(r, body);
    }
  }

  /** The variables of an error response, its body read up to {@link #MAX_ERROR_BODY}. */
  Map<String, Object> failure(HttpResponse<InputStream> r) throws IOException {
    try (InputStream in = r.body()) {
      String contentType = r.headers().firstValue("Content-Type").orElse(null);
      byte[] bytes = read(in, MAX_ERROR_BODY, false);
      Kind kind = kind(contentType);
      Object body;
      if (kind == Kind.BLOB) {
        body = null;
      } else {
        try {
          body = inVariable(bytes, kind, contentType);
        } catch (ConnectorException | IOException notJson) {
          body = new String(bytes, charset(contentType));
        }
      }
      return variables(r, body);
    }
  }

  static Kind kind(String contentType) {
    if (contentType == null) {
      return Kind.BLOB;
    }
    String mt = mediaType(contentType);
    if (mt.equals("application/json") || mt.endsWith("+json")) {
      return Kind.JSON;
    }
    if (mt.startsWith("text/")
        || mt.equals("application/xml")
        || mt.endsWith("+xml")
        || mt.equals("application/x-www-form-urlencoded")) {
      return Kind.TEXT;
    }
    return Kind.BLOB;
  }

  private Object inVariable(byte[] bytes, Kind kind, String contentType) throws IOException {
    if (bytes.length == 0) {
      return null;
    }
    if (kind == Kind.TEXT) {
      return new String(bytes, charset(contentType));
    }
    try {
      return JsonBodies.parse(bytes);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw ConnectorException.transientFailure(
          "the response says "
              + mediaType(contentType)
              + " but its body is not JSON ("
              + e.getOriginalMessage()
              + "): "
              + Excerpt.of(new String(bytes, StandardCharsets.UTF_8)),
          e);
    }
  }

  private Object blob(InputStream in, String contentType, long maxBlobBytes) throws IOException {
    try {
      BlobRef ref = blobs.put(in, contentType, maxBlobBytes);
      return ref.toVariable();
    } catch (BlobTooLargeException e) {
      throw ConnectorException.misconfigured(
          "the response body is larger than the "
              + maxBlobBytes
              + " bytes the node keeps as a blob (connectors.http.maxBlobBytes in cob.yaml)");
    }
  }

  private static byte[] read(InputStream in, long max, boolean failWhenLonger) throws IOException {
    int limit = (int) Math.min(Integer.MAX_VALUE - 8, max);
    byte[] bytes = in.readNBytes(limit);
    if (failWhenLonger && in.read() >= 0) {
      throw ConnectorException.misconfigured(
          "the response body is larger than maxResponseBytes ("
              + max
              + " bytes); raise maxResponseBytes, or set responseAsBlob=true to keep it in the"
              + " blob store");
    }
    return bytes;
  }

  private static Map<String, Object> variables(HttpResponse<?> r, Object body) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("status", (long) r.statusCode());
    out.put("headers", headers(r));
    out.put("body", body);
    return out;
  }

  private static Map<String, Object> headers(HttpResponse<?> r) {
    Map<String, Object> out = new java.util.TreeMap<>();
    r.headers()
        .map()
        .forEach(
            (name, values) -> {
              if (name.startsWith(":") || values.isEmpty()) {
                return; // HTTP/2 pseudo-headers such as :status
              }
              String key = name.toLowerCase(Locale.ROOT);
              out.put(key, values.size() == 1 ? values.getFirst() : new ArrayList<>(values));
            });
    return new LinkedHashMap<>(out);
  }

  static String mediaType(String contentType) {
    int semi = contentType.indexOf(';');
    return (semi < 0 ? contentType : contentType.substring(0, semi))
        .strip()
        .toLowerCase(Locale.ROOT);
  }

  static Charset charset(String contentType) {
    if (contentType != null) {
      for (String param : contentType.split(";")) {
        String p = param.strip();
        if (p.regionMatches(true, 0, "charset=", 0, 8)) {
          try {
            return Charset.forName(p.substring(8).replace("\"", "").strip());
          } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
            return StandardCharsets.UTF_8;
          }
        }
      }
    }
    return StandardCharsets.UTF_8;
  }
}
