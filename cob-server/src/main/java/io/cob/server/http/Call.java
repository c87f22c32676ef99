package io.cob.server.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cob.server.problem.ProblemException;
import io.cob.server.problem.Problems;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Fields;

/**
 * One request as a handler sees it: path parameters, query parameters, headers and the body, which
 * is read at most once and never beyond the route's limit. Used by one thread.
 */
public final class Call {
  private final Request request;
  private final Route route;
  private final Map<String, String> params;
  private final String path;
  private final ObjectMapper json;
  private Fields query;
  private byte[] body;

  Call(Request request, Route route, Map<String, String> params, String path, ObjectMapper json) {
    this.request = request;
    this.route = route;
    this.params = params;
    this.path = path;
    this.json = json;
  }

  public String path() {
    return path;
  }

  public Route route() {
    return route;
  }

  /** A path parameter of the route template. */
  public String param(String name) {
    String v = params.get(name);
    if (v == null) {
      throw new IllegalStateException("route " + route.path() + " has no parameter " + name);
    }
    return v;
  }

  /** A query parameter, or {@code null} when absent or empty. */
  public String query(String name) {
    if (query == null) {
      query = Request.extractQueryParameters(request);
    }
    String v = query.getValue(name);
    return v == null || v.isEmpty() ? null : v;
  }

  /** The query parameter names, to refuse unknown ones. */
  public List<String> queryNames() {
    if (query == null) {
      query = Request.extractQueryParameters(request);
    }
    return List.copyOf(query.getNames());
  }

  /** Refuses query parameters other than the named ones, with 400 naming the first. */
  public void allowQuery(String... names) {
    List<String> allowed = List.of(names);
    for (String n : queryNames()) {
      if (!allowed.contains(n)) {
        throw ProblemException.invalid(
            n,
            "unknown query parameter '"
                + n
                + "'"
                + (allowed.isEmpty()
                    ? "; this endpoint takes none"
                    : "; known: " + String.join(", ", allowed)));
      }
    }
  }

  /** A whole-number query parameter within bounds, or {@code fallback} when absent. */
  public int queryInt(String name, int fallback, int min, int max) {
    String v = query(name);
    if (v == null) {
      return fallback;
    }
    try {
      int n = Integer.parseInt(v);
      if (n < min || n > max) {
        throw ProblemException.invalid(
            name,
            "query parameter '" + name + "' must be between " + min + " and " + max + ", not " + n);
      }
      return n;
    } catch (NumberFormatException e) {
      throw ProblemException.invalid(
          name, "query parameter '" + name + "' must be a whole number, not '" + v + "'");
    }
  }

  public String header(String name) {
    return request.getHeaders().get(name);
  }

  /** The media type without parameters, lower case; {@code null} when not given. */
  public String mediaType() {
    String ct = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
    if (ct == null) {
      return null;
    }
    int semi = ct.indexOf(';');
    return (semi < 0 ? ct : ct.substring(0, semi)).trim().toLowerCase(java.util.Locale.ROOT);
  }

  /**
   * The body, read whole. Answers 413 when it is longer than the route allows, before reading it
   * when the client announced its length.
   */
  public byte[] body() throws IOException {
    if (body != null) {
      return body;
    }
    long limit = route.maxBody();
    long announced = request.getLength();
    if (announced > limit) {
      throw tooLarge(limit);
    }
    try (InputStream in = Content.Source.asInputStream(request)) {
      byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
      if (bytes.length > limit) {
        throw tooLarge(limit);
      }
      body = bytes;
    }
    return body;
  }

  /**
   * The body as a stream, for endpoints that pass it on without holding it whole (blobs). Answers
   * 413 at once when the client announced a length over the route's limit; when it did not (a
   * chunked body), the reader must stop at the limit itself. Not together with {@link #body()}.
   */
  public InputStream bodyStream() {
    long limit = route.maxBody();
    if (request.getLength() > limit) {
      throw tooLarge(limit);
    }
    return Content.Source.asInputStream(request);
  }

  /**
   * The body as JSON of the given record type.
   *
   * @param required whether an empty body is an error; when not, an empty body gives {@code null}
   */
  public <T> T json(Class<T> type, boolean required) throws IOException {
    String mt = mediaType();
    if (mt != null && !mt.equals("application/json") && !mt.endsWith("+json")) {
      throw new ProblemException(
          415,
          Problems.TYPE_UNSUPPORTED_MEDIA,
          "Unsupported media type",
          "the body must be application/json, not " + mt,
          List.of());
    }
    byte[] b = body();
    if (isBlank(b)) {
      if (required) {
        throw ProblemException.invalid("", "a JSON body is required");
      }
      return null;
    }
    return json.readValue(b, type);
  }

  private static boolean isBlank(byte[] b) {
    for (byte x : b) {
      if (x != ' ' && x != '\n' && x != '\r' && x != '\t') {
        return false;
      }
    }
    return true;
  }

  /** 413 naming the limit. */
  public static ProblemException tooLarge(long limit) {
    return new ProblemException(
        413,
        Problems.TYPE_TOO_LARGE,
        "Payload too large",
        "the body is larger than the " + limit + " bytes this endpoint accepts",
        List.of());
  }
}
