package io.cob.connectors.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * A real HTTP(S) server on the loopback interface for connector tests: answers per path with a
 * {@link Responder}, records every request it got.
 */
final class TestServer implements AutoCloseable {

  /** A request as the server got it; header names lower case, first value only. */
  record Request(
      String method, String path, String query, Map<String, String> headers, byte[] body) {
    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  /** What to answer. */
  record Response(int status, Map<String, String> headers, byte[] body) {
    static Response json(int status, String json) {
      return new Response(
          status,
          Map.of("Content-Type", "application/json"),
          json.getBytes(StandardCharsets.UTF_8));
    }

    static Response of(int status, String contentType, byte[] body) {
      return new Response(status, Map.of("Content-Type", contentType), body);
    }
  }

  @FunctionalInterface
  interface Responder {
    Response answer(Request request) throws Exception;
  }

  private final HttpServer server;
  private final Map<String, Responder> routes = new ConcurrentHashMap<>();
  private final List<Request> requests = new CopyOnWriteArrayList<>();

  private TestServer(HttpServer server) {
    this.server = server;
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/", this::handle);
    server.start();
  }

  static TestServer http() throws IOException {
    return new TestServer(HttpServer.create(loopback(), 0));
  }

  /** An HTTPS server; with {@code needClientAuth} it refuses clients without a certificate. */
  static TestServer https(SSLContext context, boolean needClientAuth) throws IOException {
    HttpsServer s = HttpsServer.create(loopback(), 0);
    s.setHttpsConfigurator(
        new HttpsConfigurator(context) {
          @Override
          public void configure(HttpsParameters params) {
            SSLParameters p = context.getDefaultSSLParameters();
            p.setNeedClientAuth(needClientAuth);
            params.setSSLParameters(p);
          }
        });
    return new TestServer(s);
  }

  private static InetSocketAddress loopback() {
    return new InetSocketAddress("127.0.0.1", 0);
  }

  TestServer on(String path, Responder responder) {
    routes.put(path, responder);
    return this;
  }

  /** {@code http://127.0.0.1:PORT} + path (https for an HTTPS server). */
  String url(String path) {
    String scheme = server instanceof HttpsServer ? "https" : "http";
    return scheme + "://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  List<Request> requests() {
    return List.copyOf(requests);
  }

  List<Request> requests(String path) {
    return requests.stream().filter(r -> r.path().equals(path)).toList();
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      Map<String, String> headers = new LinkedHashMap<>();
      ex.getRequestHeaders()
          .forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v.getFirst()));
      Request req =
          new Request(
              ex.getRequestMethod(),
              ex.getRequestURI().getRawPath(),
              ex.getRequestURI().getRawQuery(),
              headers,
              ex.getRequestBody().readAllBytes());
      requests.add(req);
      Responder r = routes.get(req.path());
      Response res;
      try {
        res = r == null ? Response.json(404, "{\"error\":\"no route\"}") : r.answer(req);
      } catch (Exception e) {
        res = Response.of(500, "text/plain", e.toString().getBytes(StandardCharsets.UTF_8));
      }
      res.headers().forEach((k, v) -> ex.getResponseHeaders().add(k, v));
      boolean empty = res.body() == null || res.body().length == 0;
      ex.sendResponseHeaders(res.status(), empty ? -1 : res.body().length);
      if (!empty) {
        try (OutputStream out = ex.getResponseBody()) {
          out.write(res.body());
        }
      }
    }
  }

  /** All requests' values of one header, in order. */
  List<String> headerValues(String path, String header) {
    List<String> out = new ArrayList<>();
    for (Request r : requests(path)) {
      out.add(r.header(header));
    }
    return out;
  }

  @Override
  public void close() {
    server.stop(0);
    ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
  }
}
