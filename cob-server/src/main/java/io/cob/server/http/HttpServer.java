package io.cob.server.http;

import io.cob.server.problem.Problem;
import io.cob.server.problem.ProblemException;
import io.cob.server.problem.Problems;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.LocalConnector;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP side of a node: Jetty 12 (core, no servlets) in front of a {@link Router}.
 *
 * <p>Every request is answered on a virtual thread of its own, so handlers block freely (engine
 * commands, store queries, job long polls of up to a minute) without tying up Jetty's selector
 * threads. Whatever a handler throws becomes an RFC 9457 problem answer; a request for an unknown
 * path is 404 and for a known path with another method 405, both as problems too. What Jetty
 * refuses before routing (an ambiguous or malformed URI, a request line or headers too long) is a
 * problem as well, never an HTML page.
 */
public final class HttpServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HttpServer.class);

  /** Told about every answered request, for metrics. */
  @FunctionalInterface
  public interface Observer {
    /**
     * @param route the route template, or {@code null} when no route matched
     */
    void answered(String method, String route, int status, long nanos);
  }

  private final Server server;
  private final ServerConnector connector;
  private final HttpConfiguration http;
  private LocalConnector local;

  public HttpServer(String host, int port, Router router, Observer observer) {
    QueuedThreadPool threads = new QueuedThreadPool();
    threads.setName("cob-http");
    threads.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
    this.server = new Server(threads);
    this.http = new HttpConfiguration();
    http.setSendServerVersion(false);
    this.connector = new ServerConnector(server, new HttpConnectionFactory(http));
    connector.setHost(host);
    connector.setPort(port);
    server.addConnector(connector);
    server.setHandler(new Dispatcher(router, observer));
    server.setErrorHandler(new ProblemErrorHandler());
    server.setStopTimeout(2000);
  }

  public HttpServer start() {
    try {
      server.start();
    } catch (Exception e) {
      throw new IllegalStateException(
          "cannot listen on port " + connector.getPort() + ": " + e.getMessage(), e);
    }
    return this;
  }

  /** The port it listens on (the chosen one when started with port 0). */
  public int port() {
    return connector.getLocalPort();
  }

  /**
   * A connector that answers raw HTTP/1.1 requests in memory, without a socket, through the same
   * parser, routing and error handling as the network connector: for tests that send many requests
   * (fuzzing). Made and started on first use; stopped with the server.
   */
  public synchronized LocalConnector inMemory() {
    if (local == null) {
      LocalConnector c = new LocalConnector(server, new HttpConnectionFactory(http));
      server.addConnector(c);
      try {
        c.start();
      } catch (Exception e) {
        server.removeConnector(c);
        throw new IllegalStateException("cannot start the in-memory connector: " + e, e);
      }
      local = c;
    }
    return local;
  }

  @Override
  public void close() {
    try {
      server.stop();
    } catch (Exception e) {
      LOG.warn("event=http_stop_failed error={}", e.toString());
    }
  }

  private static final class Dispatcher extends Handler.Abstract {
    private final Router router;
    private final Observer observer;

    Dispatcher(Router router, Observer observer) {
      super(InvocationType.NON_BLOCKING);
      this.router = router;
      this.observer = observer;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
      // Hand the blocking work to a fresh virtual thread and free the Jetty thread at once.
      Thread.ofVirtual().name("cob-request").start(() -> serve(request, response, callback));
      return true;
    }

    private void serve(Request request, Response response, Callback callback) {
      long begin = System.nanoTime();
      String method = request.getMethod();
      String path = request.getHttpURI().getDecodedPath();
      // HEAD is GET without the body (Jetty drops the body of a HEAD answer).
      Optional<Router.Match> match = router.match(method.equals("HEAD") ? "GET" : method, path);
      boolean readOnly = method.equals("GET") || method.equals("HEAD");
      if (match.isEmpty() && readOnly && router.methodsOf(path).isEmpty()) {
        // Not an API path: the console's files, when the node serves them.
        match = router.fallback().map(r -> new Router.Match(r, Map.of()));
      }
      Reply reply;
      try {
        if (match.isEmpty()) {
          Set<String> methods = router.methodsOf(path);
          if (methods.isEmpty()) {
            throw ProblemException.notFound("no endpoint at " + path);
          }
          reply =
              problem(
                      new ProblemException(
                          405,
                          Problems.TYPE_METHOD,
                          "Method not allowed",
                          method
                              + " is not allowed on "
                              + path
                              + "; allowed: "
                              + String.join(", ", methods),
                          List.of()),
                      path)
                  .withHeader("Allow", String.join(", ", methods));
        } else {
          reply =
              match
                  .get()
                  .route()
                  .handler()
                  .handle(
                      new Call(
                          request, match.get().route(), match.get().params(), path, router.json()));
        }
      } catch (Throwable t) {
        reply = problem(t, path);
      }
      if (reply.streamed() != null) {
        writeStreamed(request, response, reply, callback);
      } else {
        write(response, reply, callback);
      }
      observer.answered(
          method,
          match.map(m -> m.route().path()).orElse(null),
          reply.status(),
          System.nanoTime() - begin);
    }

    private static Reply problem(Throwable t, String path) {
      Problem p = Problems.of(t, path);
      return new Reply(p.status(), Reply.PROBLEM_JSON, Json.write(p), Map.of());
    }

    private static void write(Response response, Reply reply, Callback callback) {
      response.setStatus(reply.status());
      if (reply.contentType() != null) {
        response
            .getHeaders()
            .put(
                HttpHeader.CONTENT_TYPE,
                reply.contentType()
                    + (reply.contentType().startsWith("text/")
                            && !reply.contentType().contains("charset")
                        ? "; charset=utf-8"
                        : ""));
      }
      reply.headers().forEach((k, v) -> response.getHeaders().put(k, v));
      response.getHeaders().put(HttpHeader.CONTENT_LENGTH, reply.body().length);
      response.write(true, ByteBuffer.wrap(reply.body()), callback);
    }
  }

  /**
   * Writes a streamed body through a blocking output stream on the request's virtual thread. When
   * the writer fails, the callback fails: before the headers went out Jetty answers with an error,
   * after that it aborts the connection, so the client never takes a cut-off body for a whole one.
   */
  private static void writeStreamed(
      Request request, Response response, Reply reply, Callback callback) {
    response.setStatus(reply.status());
    if (reply.contentType() != null) {
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, reply.contentType());
    }
    reply.headers().forEach((k, v) -> response.getHeaders().put(k, v));
    if (reply.streamed().length() >= 0) {
      response.getHeaders().put(HttpHeader.CONTENT_LENGTH, reply.streamed().length());
    }
    if (request.getMethod().equals("HEAD")) {
      response.write(true, ByteBuffer.allocate(0), callback);
      return;
    }
    try {
      OutputStream out = Content.Sink.asOutputStream(response);
      reply.streamed().writer().writeTo(out);
      out.close();
      callback.succeeded();
    } catch (Throwable t) {
      LOG.warn(
          "event=response_aborted path={} error={}",
          request.getHttpURI().getDecodedPath(),
          t.toString());
      callback.failed(t);
    }
  }

  /**
   * Answers the requests Jetty refuses itself (bad URI encoding, an encoded {@code /} or control
   * character in the path, a URI or headers over the limit) with a problem, like every other error.
   */
  static final class ProblemErrorHandler extends ErrorHandler {
    @Override
    public boolean errorPageForMethod(String method) {
      return true;
    }

    @Override
    protected void generateResponse(
        Request request,
        Response response,
        int code,
        String message,
        Throwable cause,
        Callback callback) {
      // Jetty names a request whose URI it could not read at all "/badMessage": no path to show
      // then.
      boolean unreadable =
          request.getHttpURI() == null || "/badMessage".equals(request.getHttpURI().getPath());
      String why =
          unreadable && code == 400
              ? "the request URI is malformed or holds control characters"
              : message;
      byte[] body =
          Json.write(
              Problems.refused(code, why, unreadable ? null : request.getHttpURI().getPath()));
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, Reply.PROBLEM_JSON);
      response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
      response.write(true, ByteBuffer.wrap(body), callback);
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
      // No request exists yet (the request line or headers could not be parsed), hence no path.
      fields.put(HttpHeader.CONTENT_TYPE, Reply.PROBLEM_JSON);
      return ByteBuffer.wrap(Json.write(Problems.refused(status, reason, null)));
    }
  }
}
