package io.cob.server.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The routing table: method plus path template to handler. Routes are data, so that the OpenAPI
 * conformance test can compare them with the document. Literal segments win over parameters ({@code
 * /jobs/activate} before {@code /jobs/{key}}). Filled before the server starts; read-only
 * afterwards, hence thread-safe then.
 */
public final class Router {
  /** The template under which answers of the {@link #fallback} are counted. */
  public static final String FALLBACK_PATH = "/*";

  private final List<Route> routes = new ArrayList<>();
  private final RequestLimits limits;
  private final ObjectMapper json;
  private Route fallback;

  /** A router with the {@link RequestLimits#DEFAULTS default limits}. */
  public Router() {
    this(RequestLimits.DEFAULTS);
  }

  /**
   * @param limits the body limit of the routes added with {@link #get}, {@link #post} and {@link
   *     #delete}, and the JSON limits of every body read as JSON
   */
  public Router(RequestLimits limits) {
    this.limits = limits;
    this.json = Json.readerWithin(limits);
  }

  public Router get(String path, Handler h) {
    return add("GET", path, limits.maxBodyBytes(), h);
  }

  public Router post(String path, Handler h) {
    return add("POST", path, limits.maxBodyBytes(), h);
  }

  public Router delete(String path, Handler h) {
    return add("DELETE", path, limits.maxBodyBytes(), h);
  }

  /** The mapper that reads request bodies, within this router's limits. */
  public ObjectMapper json() {
    return json;
  }

  public Router add(String method, String path, long maxBody, Handler h) {
    for (Route r : routes) {
      if (r.method().equals(method) && r.path().equals(path)) {
        throw new IllegalArgumentException("route " + method + " " + path + " is registered twice");
      }
    }
    routes.add(new Route(method, path, maxBody, h));
    return this;
  }

  public List<Route> routes() {
    return List.copyOf(routes);
  }

  /**
   * Sets the handler of GET and HEAD requests for paths that no route has (the web console's
   * files). It is not one of the {@link #routes()}, so the API description need not list it; it
   * reads no body and answers 404 itself for what it does not have.
   */
  public Router fallback(Handler h) {
    if (fallback != null) {
      throw new IllegalArgumentException("a fallback handler is registered twice");
    }
    fallback = new Route("GET", FALLBACK_PATH, 0, h);
    return this;
  }

  /** The fallback of {@link #fallback(Handler)}, if any. */
  public Optional<Route> fallback() {
    return Optional.ofNullable(fallback);
  }

  /** A route with the parameters taken from the path. */
  public record Match(Route route, Map<String, String> params) {}

  /** The route of a method and path, if any. */
  public Optional<Match> match(String method, String path) {
    Match best = null;
    int bestLiterals = -1;
    String[] parts = split(path);
    for (Route r : routes) {
      if (!r.method().equals(method)) {
        continue;
      }
      Map<String, String> params = bind(r, parts);
      if (params != null) {
        int literals = r.segments().size() - params.size();
        if (literals > bestLiterals) {
          best = new Match(r, params);
          bestLiterals = literals;
        }
      }
    }
    return Optional.ofNullable(best);
  }

  /** The methods the path has routes for (for 405 answers). */
  public Set<String> methodsOf(String path) {
    Set<String> out = new LinkedHashSet<>();
    String[] parts = split(path);
    for (Route r : routes) {
      if (bind(r, parts) != null) {
        out.add(r.method());
      }
    }
    return out;
  }

  private static String[] split(String path) {
    String p = path.startsWith("/") ? path.substring(1) : path;
    if (p.endsWith("/") && !p.isEmpty()) {
      p = p.substring(0, p.length() - 1);
    }
    return p.split("/", -1);
  }

  private static Map<String, String> bind(Route r, String[] parts) {
    List<String> segs = r.segments();
    if (segs.size() != parts.length) {
      return null;
    }
    Map<String, String> params = new LinkedHashMap<>();
    for (int i = 0; i < parts.length; i++) {
      String s = segs.get(i);
      if (s.startsWith("{") && s.endsWith("}")) {
        if (parts[i].isEmpty()) {
          return null;
        }
        params.put(s.substring(1, s.length() - 1), parts[i]);
      } else if (!s.equals(parts[i])) {
        return null;
      }
    }
    return params;
  }
}
