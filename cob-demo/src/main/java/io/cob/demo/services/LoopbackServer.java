package io.cob.demo.services;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One demo service's HTTP endpoint: a JDK {@link HttpServer} on the loopback address and a port the
 * system chose, so that several demos (and tests) can run side by side.
 *
 * <p>Handlers run on virtual threads. A handler that throws answers {@code 500} with the message,
 * so that a bug in a demo service shows up as a failed step in the trace, not a hang.
 */
final class LoopbackServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LoopbackServer.class);
  static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_BODY = 1 << 20;

  /** Handles one request; may throw to answer 500. */
  @FunctionalInterface
  interface Endpoint {
    void handle(HttpExchange exchange) throws IOException;
  }

  private final String name;
  private final HttpServer server;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

  LoopbackServer(String name) throws IOException {
    this.name = name;
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    server.setExecutor(executor);
  }

  /** Serves {@code path} (and everything below it) with {@code endpoint}. */
  LoopbackServer route(String path, Endpoint endpoint) {
    server.createContext(path, guarded(endpoint));
    return this;
  }

  LoopbackServer start() {
    server.start();
    LOG.debug("event=demo_service_started service={} url={}", name, baseUri());
    return this;
  }

  /** {@code http://127.0.0.1:PORT} */
  URI baseUri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  private HttpHandler guarded(Endpoint endpoint) {
    return exchange -> {
      try {
        endpoint.handle(exchange);
      } catch (RuntimeException | IOException e) {
        LOG.warn("event=demo_service_failed service={} error={}", name, e.toString());
        send(
            exchange, 500, "text/plain", (name + " failed: " + e).getBytes(StandardCharsets.UTF_8));
      } finally {
        exchange.close();
      }
    };
  }

  /** The request body, at most 1 MiB. */
  static byte[] body(HttpExchange exchange) throws IOException {
    try (InputStream in = exchange.getRequestBody()) {
      byte[] b = in.readNBytes(MAX_BODY + 1);
      if (b.length > MAX_BODY) {
        throw new IOException("request body over " + MAX_BODY + " bytes");
      }
      return b;
    }
  }

  /** The request body as a JSON object. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> jsonBody(HttpExchange exchange) throws IOException {
    return JSON.readValue(body(exchange), Map.class);
  }

  /** Whether the request carries {@code Authorization: Bearer <token>}. */
  static boolean hasBearer(HttpExchange exchange, String token) {
    String auth = exchange.getRequestHeaders().getFirst("Authorization");
    return auth != null && auth.equals("Bearer " + token);
  }

  static void sendJson(HttpExchange exchange, int status, Object value) throws IOException {
    send(exchange, status, "application/json", JSON.writeValueAsBytes(value));
  }

  static void send(HttpExchange exchange, int status, String contentType, byte[] body)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
