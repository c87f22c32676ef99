package io.cob.connectors.http;

import io.cob.connectors.ConnectorException;
import io.cob.engine.port.BlobRef;
import io.cob.engine.port.BlobStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The body of a request, encoded as {@code bodyType} says.
 *
 * <ul>
 *   <li>{@code json} (default): any value as JSON;
 *   <li>{@code form}: a map as {@code application/x-www-form-urlencoded} (list values repeat the
 *       field);
 *   <li>{@code text}: a string as {@code text/plain};
 *   <li>{@code xml}: a string (the XML document) as {@code application/xml}; maps are not turned
 *       into XML here;
 *   <li>{@code blob}: a blob reference ({@code {blobId, sha256, size, contentType}}); the blob's
 *       content is streamed from the blob store with its content type. A body that is a blob
 *       reference is sent this way also when {@code bodyType} is not set.
 * </ul>
 *
 * @param contentType the {@code Content-Type} to send, unless the task sets the header itself
 */
record RequestBody(String contentType, BodyPublisher publisher) {

  static RequestBody of(Object body, String bodyType, BlobStore blobs) {
    String type =
        bodyType != null
            ? bodyType.strip().toLowerCase(Locale.ROOT)
            : BlobRef.fromVariable(body).isPresent() ? "blob" : "json";
    return switch (type) {
      case "json" -> json(body);
      case "form" -> formBody(body);
      case "text" -> text(body, "text/plain; charset=utf-8", "text");
      case "xml" -> text(body, "application/xml; charset=utf-8", "xml");
      case "blob" -> blob(body, blobs);
      default ->
          throw ConnectorException.misconfigured(
              "setting 'bodyType' must be json, xml, form, text or blob, not '" + bodyType + "'");
    };
  }

  private static RequestBody json(Object body) {
    try {
      return new RequestBody(
          "application/json", BodyPublishers.ofByteArray(JsonBodies.write(body)));
    } catch (IllegalArgumentException e) {
      throw ConnectorException.misconfigured("setting 'body' " + e.getMessage());
    }
  }

  private static RequestBody text(Object body, String contentType, String bodyType) {
    if (!(body instanceof String s)) {
      throw ConnectorException.misconfigured(
          "setting 'body' must be a text for bodyType "
              + bodyType
              + ", not "
              + (body == null ? "null" : body.getClass().getSimpleName()));
    }
    return new RequestBody(contentType, BodyPublishers.ofString(s, StandardCharsets.UTF_8));
  }

  private static RequestBody formBody(Object body) {
    if (!(body instanceof Map<?, ?> m)) {
      throw ConnectorException.misconfigured(
          "setting 'body' must be a context (map) for bodyType form, e.g. ={\"name\": \"x\"}");
    }
    return new RequestBody(
        "application/x-www-form-urlencoded", BodyPublishers.ofString(form(m, "body")));
  }

  private static RequestBody blob(Object body, BlobStore blobs) {
    BlobRef ref =
        BlobRef.fromVariable(body)
            .orElseThrow(
                () ->
                    ConnectorException.misconfigured(
                        "setting 'body' must be a blob reference {blobId, sha256, size,"
                            + " contentType} for bodyType blob"));
    if (blobs.describe(ref.blobId()).isEmpty()) {
      throw ConnectorException.misconfigured(
          "setting 'body' refers to blob " + ref.blobId() + ", which is not in the blob store");
    }
    BodyPublisher stream =
        BodyPublishers.ofInputStream(
            () -> {
              try {
                return blobs.open(ref.blobId());
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });
    return new RequestBody(ref.contentType(), BodyPublishers.fromPublisher(stream, ref.size()));
  }

  /** {@code a=1&b=x+y}: entries in order, {@code null} values left out, lists repeated. */
  static String form(Map<?, ?> fields, String setting) {
    StringJoiner out = new StringJoiner("&");
    fields.forEach(
        (k, v) -> {
          for (Object item : v instanceof List<?> l ? l : java.util.Collections.singletonList(v)) {
            if (item == null) {
              continue;
            }
            if (item instanceof Map<?, ?> || item instanceof List<?>) {
              throw ConnectorException.misconfigured(
                  "setting '"
                      + setting
                      + "': field '"
                      + k
                      + "' must be a text or number, not a "
                      + (item instanceof Map<?, ?> ? "context" : "list"));
            }
            out.add(formEncode(String.valueOf(k)) + "=" + formEncode(scalar(item)));
          }
        });
    return out.toString();
  }

  static String formEncode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /** A scalar as text: numbers without exponent. */
  static String scalar(Object v) {
    return v instanceof java.math.BigDecimal d ? d.toPlainString() : String.valueOf(v);
  }
}
