package io.cob.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code cob failover CLOUD [--to CLOUD] [--server URL]}: asks a node of a standby cloud ({@code
 * POST /api/v1/clouds/CLOUD/failover}) to take over the running instances of {@code CLOUD}, and
 * prints how many it took over and those it could not.
 *
 * <p>Exit codes: 0 done (even when some instances were refused: they are listed); 1 the node
 * refused or no node answers; 2 the URL is not an http(s) URL.
 */
@Command(
    name = "failover",
    mixinStandardHelpOptions = true,
    description =
        "Moves the running instances of a cloud to the cloud of the node asked (one of its"
            + " standbys): planned maintenance, or a cloud known dead.")
final class FailoverCommand implements Callable<Integer> {
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(5);
  private static final ObjectMapper JSON = new ObjectMapper();

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "CLOUD", description = "the cloud to fail over")
  String cloud;

  @Option(
      names = "--to",
      paramLabel = "CLOUD",
      description = "the cloud to move them to: the cloud of the node asked (checked by the node)")
  String to;

  @Option(
      names = "--server",
      paramLabel = "URL",
      description =
          "the base URL of a node of the standby cloud (default "
              + CloudsCommand.DEFAULT_SERVER
              + ")")
  String server = CloudsCommand.DEFAULT_SERVER;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    URI base;
    try {
      base = CloudsCommand.baseUri(server);
    } catch (IllegalArgumentException e) {
      err.println("cob: " + e.getMessage());
      err.flush();
      return CobCommand.BAD_INPUT;
    }
    URI uri =
        base.resolve(
            "api/v1/clouds/"
                + URLEncoder.encode(cloud, StandardCharsets.UTF_8).replace("+", "%20")
                + "/failover");
    ObjectNode body = JSON.createObjectNode();
    if (to != null) {
      body.put("to", to);
    }
    HttpResponse<String> response;
    try (HttpClient client = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build()) {
      response =
          client.send(
              HttpRequest.newBuilder(uri)
                  .timeout(REQUEST_TIMEOUT)
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      err.println("cob: " + CloudsCommand.unreachable(base, e));
      err.flush();
      return CobCommand.FAILED;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return CobCommand.FAILED;
    }
    JsonNode result = CloudsCommand.parse(response.body());
    if (response.statusCode() != 200 || result == null || !result.has("instances")) {
      err.println("cob: " + CloudsCommand.refusal("POST " + uri, response.statusCode(), result));
      err.flush();
      return CobCommand.FAILED;
    }
    out.printf(
        "cloud %s failed over to %s: %d running instance(s) taken over%n",
        result.path("cloud").asText(),
        result.path("to").asText(),
        result.path("instances").asInt());
    for (JsonNode refused : result.path("refused")) {
      out.println("  not taken over: " + refused.asText());
    }
    out.flush();
    return CobCommand.DONE;
  }
}
