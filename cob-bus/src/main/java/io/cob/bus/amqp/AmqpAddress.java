package io.cob.bus.amqp;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where the RabbitMQ broker is: {@code bus.url} of the form {@code
 * amqp[s]://user:password@host[:port][/vhost][?option=value&...]}, following the RabbitMQ URI
 * specification: the port defaults to 5672 ({@code amqps}: 5671), user and password to {@code
 * guest}, an absent or empty path is the vhost {@code /}, and a vhost containing {@code /} is
 * percent-encoded ({@code /%2F} is {@code /}). Query options are {@link AmqpSettings} keys.
 *
 * <p>{@link #toString()} hides the password, so an address can be logged.
 *
 * @param tls whether to use TLS ({@code amqps})
 * @param options the query options, in order, not yet checked
 */
public record AmqpAddress(
    boolean tls,
    String host,
    int port,
    String user,
    String password,
    String vhost,
    Map<String, String> options) {

  public AmqpAddress {
    options = Map.copyOf(options);
  }

  /**
   * Parses {@code bus.url}.
   *
   * @throws IllegalArgumentException saying what is wrong with the URL (the password masked)
   */
  public static AmqpAddress parse(String url) {
    if (url == null || url.isBlank()) {
      throw new IllegalArgumentException("bus.url is empty");
    }
    URI uri;
    try {
      uri = new URI(url.strip());
    } catch (URISyntaxException e) {
      throw bad(url, "not a valid URI (" + e.getReason() + ")");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase();
    if (!scheme.equals("amqp") && !scheme.equals("amqps")) {
      throw bad(url, "the scheme must be amqp:// or amqps://, not '" + uri.getScheme() + ":'");
    }
    boolean tls = scheme.equals("amqps");
    if (uri.getRawAuthority() == null || uri.getHost() == null || uri.getHost().isBlank()) {
      throw bad(url, "the host is missing or not a valid host name");
    }
    int port = uri.getPort() == -1 ? (tls ? 5671 : 5672) : uri.getPort();
    if (port < 1 || port > 65535) {
      throw bad(url, "the port must be between 1 and 65535");
    }
    String user = "guest";
    String password = "guest";
    if (uri.getRawUserInfo() != null) {
      String[] parts = uri.getRawUserInfo().split(":", 2);
      user = decode(url, parts[0]);
      password = parts.length == 2 ? decode(url, parts[1]) : "";
    }
    return new AmqpAddress(
        tls, uri.getHost(), port, user, password, vhost(url, uri), query(url, uri));
  }

  /** The URL again, with the password shown as {@code ***}. */
  @Override
  public String toString() {
    String path = vhost.equals("/") ? "/" : "/" + vhost.replace("/", "%2F");
    return (tls ? "amqps" : "amqp") + "://" + user + ":***@" + host + ":" + port + path;
  }

  private static String vhost(String url, URI uri) {
    String path = uri.getRawPath();
    if (path == null || path.isEmpty() || path.equals("/")) {
      return "/";
    }
    String raw = path.substring(1);
    if (raw.contains("/")) {
      throw bad(url, "the vhost must be one path segment (write '/' inside it as %2F)");
    }
    return decode(url, raw);
  }

  private static Map<String, String> query(String url, URI uri) {
    Map<String, String> options = new LinkedHashMap<>();
    String query = uri.getRawQuery();
    if (query == null || query.isEmpty()) {
      return options;
    }
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        throw bad(url, "query option '" + pair + "' is not name=value");
      }
      options.put(decode(url, pair.substring(0, eq)), decode(url, pair.substring(eq + 1)));
    }
    return options;
  }

  private static String decode(String url, String raw) {
    try {
      return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw bad(url, "bad percent-encoding in '" + raw + "'");
    }
  }

  private static IllegalArgumentException bad(String url, String problem) {
    return new IllegalArgumentException("bus.url '" + masked(url) + "': " + problem);
  }

  /** The URL with whatever stands between {@code user:} and {@code @} replaced by ***. */
  static String masked(String url) {
    return url.replaceFirst("(://[^:/@]*:)[^@]*@", "$1***@");
  }
}
