package io.cob.connectors.http;

import io.cob.connectors.ConnectorException;
import io.cob.engine.port.BlobStore;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * One request as a task describes it: {@code method}, {@code url} with {@code query}, {@code
 * headers}, {@code body}, timeouts, TLS and authentication. Read once per attempt.
 *
 * @param headers the task's headers by name as given, each with its values
 * @param body {@code null} when the request has none
 */
record HttpCall(
    String method,
    URI uri,
    Map<String, List<String>> headers,
    RequestBody body,
    Duration connectTimeout,
    Duration timeout,
    TlsSettings tls,
    Authentication authentication) {

  static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  static HttpCall read(HttpSettings s, BlobStore blobs) {
    URI base = httpUri(s.optionalString("url").orElseThrow(() -> s.task().missing("url")), "url");
    URI uri = withQuery(base, s.task().map("query"));
    Object bodyValue = s.task().value("body").orElse(null);
    RequestBody body =
        bodyValue == null
            ? null
            : RequestBody.of(bodyValue, s.optionalString("bodyType").orElse(null), blobs);
    String method =
        s.optionalString("method")
            .map(m -> m.strip().toUpperCase(Locale.ROOT))
            .orElse(body == null ? "GET" : "POST");
    if (!method.matches("[A-Z][A-Z-]{0,19}")) {
      throw ConnectorException.misconfigured(
          "setting 'method' must be an HTTP method such as GET or POST, not '" + method + "'");
    }
    return new HttpCall(
        method,
        uri,
        headers(s.task().map("headers")),
        body,
        s.duration("connectTimeout", DEFAULT_CONNECT_TIMEOUT),
        s.duration("timeout", DEFAULT_TIMEOUT),
        TlsSettings.read(s),
        Authentication.read(s));
  }

  /** An absolute http(s) URL, or a misconfiguration naming the setting. */
  static URI httpUri(String text, String setting) {
    URI uri;
    try {
      uri = new URI(text.strip());
    } catch (URISyntaxException e) {
      throw ConnectorException.misconfigured(
          "setting '" + setting + "' is not a valid URL: " + e.getMessage());
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
      throw ConnectorException.misconfigured(
          "setting '"
              + setting
              + "' must be an absolute http:// or https:// URL with a host, not '"
              + text
              + "'");
    }
    return uri;
  }

  private static URI withQuery(URI base, Map<String, Object> query) {
    if (query.isEmpty()) {
      return base;
    }
    String extra = RequestBody.form(query, "query");
    if (extra.isEmpty()) {
      return base;
    }
    String text = base.toString();
    int hash = text.indexOf('#');
    String fragment = hash < 0 ? "" : text.substring(hash);
    String head = hash < 0 ? text : text.substring(0, hash);
    return URI.create(head + (base.getRawQuery() == null ? "?" : "&") + extra + fragment);
  }

  private static Map<String, List<String>> headers(Map<String, Object> given) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    given.forEach(
        (name, v) -> {
          HeaderText.name("headers", name);
          List<String> values = new ArrayList<>();
          for (Object item : v instanceof List<?> l ? l : java.util.Collections.singletonList(v)) {
            if (item instanceof Map<?, ?> || item instanceof List<?>) {
              throw ConnectorException.misconfigured(
                  "setting 'headers': header '" + name + "' must be a text, not a structure");
            }
            if (item != null) {
              values.add(HeaderText.value("headers", name, RequestBody.scalar(item)));
            }
          }
          if (!values.isEmpty()) {
            out.put(name, values);
          }
        });
    return out;
  }

  /** {@code GET https://host/path}: what the messages say, without query or credentials. */
  String where() {
    StringJoiner j = new StringJoiner("");
    j.add(uri.getScheme()).add("://").add(uri.getHost());
    if (uri.getPort() >= 0) {
      j.add(":" + uri.getPort());
    }
    j.add(uri.getRawPath() == null ? "" : uri.getRawPath());
    return method + " " + j;
  }

  /**
   * The call a redirect answer leads to, as browsers follow it: 303 (and 301 or 302 after a POST)
   * become a GET without body, 307 and 308 repeat the method and body; never from https to http.
   * Empty when {@code r} is no redirect or its {@code Location} is unusable, so that the answer
   * stands as it is.
   */
  Optional<HttpCall> redirectedBy(HttpResponse<?> r) {
    int s = r.statusCode();
    if (s != 301 && s != 302 && s != 303 && s != 307 && s != 308) {
      return Optional.empty();
    }
    Optional<String> location = r.headers().firstValue("Location");
    if (location.isEmpty()) {
      return Optional.empty();
    }
    URI target;
    try {
      target = uri.resolve(new URI(location.get().strip()));
    } catch (URISyntaxException | IllegalArgumentException e) {
      return Optional.empty();
    }
    String scheme = target.getScheme() == null ? "" : target.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("http") || scheme.equals("https"))
        || target.getHost() == null
        || (uri.getScheme().equalsIgnoreCase("https") && scheme.equals("http"))) {
      return Optional.empty();
    }
    boolean toGet = s == 303 || ((s == 301 || s == 302) && method.equals("POST"));
    return Optional.of(
        new HttpCall(
            toGet ? "GET" : method,
            target,
            headers,
            toGet ? null : body,
            connectTimeout,
            timeout,
            tls,
            authentication));
  }

  /** Whether {@code headers} sets {@code name} (case-insensitive). */
  boolean setsHeader(String name) {
    return headers.keySet().stream().anyMatch(h -> h.equalsIgnoreCase(name));
  }
}
