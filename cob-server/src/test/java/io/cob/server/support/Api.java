package io.cob.server.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** A small blocking client of one node's REST API for tests. */
public final class Api {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final URI base;

  public Api(URI base) {
    this.base = base;
  }

  public URI base() {
    return base;
  }

  /** An answer. */
  public record Res(int status, String contentType, String body) {
    public JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new UncheckedIOException("not JSON: " + body, e);
      }
    }

    @Override
    public String toString() {
      return status + " " + contentType + " " + body;
    }
  }

  public Res get(String path) {
    return send(HttpRequest.newBuilder(base.resolve(path)).GET());
  }

  public Res delete(String path) {
    return send(HttpRequest.newBuilder(base.resolve(path)).DELETE());
  }

  /** POSTs a value as JSON ({@code String} values are sent as they are). */
  public Res post(String path, Object body) {
    String text = body instanceof String s ? s : write(body);
    return post(path, "application/json", text.getBytes(StandardCharsets.UTF_8));
  }

  /** The absolute URI of a path of this API. */
  public java.net.URI uri(String path) {
    return base.resolve(path);
  }

  public Res post(String path, String contentType, byte[] body) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(base.resolve(path))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    return send(b);
  }

  public Res send(HttpRequest.Builder b) {
    HttpRequest request = b.timeout(Duration.ofSeconds(90)).build();
    try {
      HttpResponse<String> r;
      try {
        r = CLIENT.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      } catch (IOException e) {
        if (!staleConnection(e)) {
          throw e;
        }
        // The shared client kept a connection to a node an earlier test stopped, whose port a
        // new node reuses: the request went to a closed socket and reached no server. Once more.
        r = CLIENT.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      }
      return new Res(r.statusCode(), r.headers().firstValue("Content-Type").orElse(null), r.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static boolean staleConnection(IOException e) {
    return String.valueOf(e.getMessage()).contains("header parser received no bytes")
        || e.getCause() instanceof java.io.EOFException;
  }

  public static String write(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Deploys one BPMN document and asserts it worked. */
  public JsonNode deploy(String name, String xml) {
    Res r =
        post(
            "/api/v1/deployments?name=" + name,
            "application/xml",
            xml.getBytes(StandardCharsets.UTF_8));
    if (r.status() != 201) {
      throw new AssertionError("deployment failed: " + r);
    }
    return r.json();
  }

  /**
   * POSTs several BPMN files as one {@code multipart/form-data} deployment, one part per file
   * (named by the map key), and answers whatever the node answered.
   */
  public Res deployMultipart(java.util.Map<String, String> files) {
    String boundary = "cob-test-" + java.util.UUID.randomUUID();
    java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
    files.forEach(
        (name, xml) -> {
          body.writeBytes(
              ("--"
                      + boundary
                      + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\""
                      + name
                      + "\"\r\nContent-Type: application/xml\r\n\r\n")
                  .getBytes(StandardCharsets.UTF_8));
          body.writeBytes(xml.getBytes(StandardCharsets.UTF_8));
          body.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        });
    body.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    return post(
        "/api/v1/deployments", "multipart/form-data; boundary=" + boundary, body.toByteArray());
  }

  /** Starts an instance and returns its JSON. */
  public JsonNode start(String processId, Object variables) {
    Res r =
        post("/api/v1/instances", java.util.Map.of("processId", processId, "variables", variables));
    if (r.status() != 201) {
      throw new AssertionError("start failed: " + r);
    }
    return r.json();
  }

  public JsonNode instance(String id) {
    Res r = get("/api/v1/instances/" + id);
    if (r.status() != 200) {
      throw new AssertionError("get instance failed: " + r);
    }
    return r.json();
  }

  /** Activates jobs of a type without waiting. */
  public JsonNode activate(String type, int max, String lockDuration) {
    Res r =
        post(
            "/api/v1/jobs/activate",
            java.util.Map.of(
                "type",
                type,
                "worker",
                "test-worker",
                "maxJobs",
                max,
                "lockDuration",
                lockDuration));
    if (r.status() != 200) {
      throw new AssertionError("activate failed: " + r);
    }
    return r.json();
  }
}
