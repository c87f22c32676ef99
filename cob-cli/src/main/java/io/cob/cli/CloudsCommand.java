package io.cob.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code cob clouds [--server URL] [--json]}: asks a running node ({@code GET /api/v1/clouds}) for
 * every cloud it knows and prints them as a table (name, provider, region, jurisdiction, cost per
 * step, availability, health, last seen, latency, nodes), or the node's JSON with {@code --json}.
 *
 * <p>Exit codes: 0 printed; 1 the node answered with an error, or no node answers at the URL; 2 the
 * URL is not an http(s) URL. Writes to the command line's out and err writers (tests capture them).
 */
@Command(
    name = "clouds",
    mixinStandardHelpOptions = true,
    description = "Shows the clouds a running node knows: attributes, health, last seen, nodes.")
final class CloudsCommand implements Callable<Integer> {
  static final String DEFAULT_SERVER = "http://127.0.0.1:8080";
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);
  private static final ObjectMapper JSON = new ObjectMapper();

  @Spec CommandSpec spec;

  @Option(
      names = "--server",
      paramLabel = "URL",
      description = "the node's base URL (default " + DEFAULT_SERVER + ")")
  String server = DEFAULT_SERVER;

  @Option(names = "--json", description = "print the node's JSON answer instead of a table")
  boolean json;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    URI base;
    try {
      base = baseUri(server);
    } catch (IllegalArgumentException e) {
      err.println("cob: " + e.getMessage());
      err.flush();
      return CobCommand.BAD_INPUT;
    }
    URI uri = base.resolve("api/v1/clouds");
    HttpResponse<String> response;
    try {
      response = get(uri);
    } catch (IOException e) {
      err.println("cob: " + unreachable(base, e));
      err.flush();
      return CobCommand.FAILED;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return CobCommand.FAILED;
    }
    JsonNode body = parse(response.body());
    if (response.statusCode() != 200) {
      err.println("cob: " + refusal("GET " + uri, response.statusCode(), body));
      err.flush();
      return CobCommand.FAILED;
    }
    if (body == null || !body.isArray()) {
      err.println("cob: " + uri + " did not answer with a list of clouds: is a cob node there?");
      err.flush();
      return CobCommand.FAILED;
    }
    if (json) {
      out.println(body.toPrettyString());
    } else {
      CloudTable.print(body, Instant.now(), out);
    }
    out.flush();
    return CobCommand.DONE;
  }

  /** The node's base URL, ending in {@code /}; a trailing {@code /api/v1} is accepted. */
  static URI baseUri(String text) {
    URI uri;
    try {
      uri = new URI(text == null ? "" : text.strip());
    } catch (URISyntaxException e) {
      throw badServer(text);
    }
    if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
        || uri.getHost() == null
        || uri.getRawQuery() != null) {
      throw badServer(text);
    }
    String path = uri.getRawPath() == null ? "" : uri.getRawPath().replaceAll("/+$", "");
    path = path.replaceFirst("/api/v1$", "");
    return URI.create(uri.getScheme() + "://" + uri.getRawAuthority() + path + "/");
  }

  private static IllegalArgumentException badServer(String text) {
    return new IllegalArgumentException(
        "--server '"
            + text
            + "' is not the http:// or https:// URL of a node, e.g. "
            + DEFAULT_SERVER);
  }

  private static HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
    HttpClient client = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();
    try {
      return client.send(
          HttpRequest.newBuilder(uri)
              .timeout(REQUEST_TIMEOUT)
              .header("Accept", "application/json")
              .GET()
              .build(),
          HttpResponse.BodyHandlers.ofString());
    } finally {
      client.close();
    }
  }

  /** Why the node could not be asked, saying what to do about it. */
  static String unreachable(URI base, IOException e) {
    String node = base.toString().replaceAll("/$", "");
    if (e instanceof ConnectException) {
      return "no cob node answers at "
          + node
          + " (connection refused): start one with 'cob server', or name another with --server"
          + " URL";
    }
    if (e instanceof HttpConnectTimeoutException) {
      return "no cob node answers at " + node + " (no connection within " + CONNECT_TIMEOUT + ")";
    }
    if (e instanceof HttpTimeoutException) {
      return "the node at " + node + " did not answer within " + REQUEST_TIMEOUT;
    }
    return "cannot ask the node at " + node + ": " + e;
  }

  /** The node's error answer in one line: status, and the problem's title and detail if any. */
  static String refusal(String request, int status, JsonNode problem) {
    StringBuilder s = new StringBuilder(request + " answered " + status);
    if (problem != null && problem.isObject()) {
      if (problem.hasNonNull("title")) {
        s.append(": ").append(problem.get("title").asText());
      }
      if (problem.hasNonNull("detail")) {
        s.append(": ").append(problem.get("detail").asText());
      }
    }
    return s.toString();
  }

  static JsonNode parse(String body) {
    try {
      return JSON.readTree(body);
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  /** The table {@code cob clouds} prints. */
  static final class CloudTable {
    static final String[] HEADER = {
      "CLOUD",
      "PROVIDER",
      "REGION",
      "JURISDICTION",
      "COST/STEP",
      "AVAILABILITY",
      "HEALTH",
      "LAST SEEN",
      "LATENCY",
      "NODES"
    };

    private CloudTable() {}

    static void print(JsonNode clouds, Instant now, PrintWriter out) {
      List<String[]> rows = new ArrayList<>();
      rows.add(HEADER);
      for (JsonNode c : clouds) {
        rows.add(row(c, now));
      }
      int[] widths = new int[HEADER.length];
      for (String[] row : rows) {
        for (int i = 0; i < row.length; i++) {
          widths[i] = Math.max(widths[i], row[i].length());
        }
      }
      for (String[] row : rows) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < row.length; i++) {
          line.append(i == row.length - 1 ? row[i] : pad(row[i], widths[i] + 2));
        }
        out.println(line.toString().stripTrailing());
      }
      if (clouds.isEmpty()) {
        out.println("(the node knows no cloud)");
      }
    }

    private static String[] row(JsonNode c, Instant now) {
      List<String> nodes = new ArrayList<>();
      for (JsonNode n : c.path("nodes")) {
        nodes.add(n.path("id").asText() + (n.path("self").asBoolean() ? " (this node)" : ""));
      }
      List<String> jurisdiction = new ArrayList<>();
      c.path("jurisdiction").forEach(j -> jurisdiction.add(j.asText()));
      return new String[] {
        text(c, "name") + (c.path("configured").asBoolean(true) ? "" : " (not configured)"),
        text(c, "provider"),
        text(c, "region"),
        jurisdiction.isEmpty() ? "-" : String.join(",", jurisdiction),
        text(c, "costPerStep"),
        c.hasNonNull("availability") ? c.get("availability").asText() + "%" : "-",
        text(c, "health"),
        age(c.path("lastSeen"), now),
        c.hasNonNull("latencyMs") ? c.get("latencyMs").asText() + " ms" : "-",
        nodes.isEmpty() ? "-" : String.join(", ", nodes)
      };
    }

    private static String text(JsonNode c, String field) {
      return c.hasNonNull(field) ? c.get(field).asText() : "-";
    }

    /** How long ago, readably; the time itself when it is older than an hour. */
    static String age(JsonNode lastSeen, Instant now) {
      if (lastSeen == null || !lastSeen.isTextual()) {
        return "never";
      }
      Instant at;
      try {
        at = Instant.parse(lastSeen.asText());
      } catch (DateTimeParseException e) {
        return lastSeen.asText();
      }
      Duration ago = Duration.between(at, now);
      if (ago.compareTo(Duration.ofSeconds(1)) < 0) {
        return "just now";
      }
      if (ago.compareTo(Duration.ofMinutes(1)) < 0) {
        return ago.toSeconds() + "s ago";
      }
      if (ago.compareTo(Duration.ofHours(1)) < 0) {
        return ago.toMinutes() + "m " + ago.toSecondsPart() + "s ago";
      }
      return at.toString();
    }

    private static String pad(String s, int width) {
      return s + " ".repeat(Math.max(0, width - s.length()));
    }
  }
}
