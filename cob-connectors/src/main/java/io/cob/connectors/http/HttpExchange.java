package io.cob.connectors.http;

import io.cob.connectors.ConnectorException;
import io.cob.connectors.TraceParent;
import io.cob.connectors.http.Authentication.Basic;
import io.cob.engine.port.ActivatedJob;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import javax.net.ssl.SSLException;

/** Builds the request of a call and sends it, turning transport failures into retries. */
final class HttpExchange {
  private HttpExchange() {}

  /**
   * The request: the task's headers, then what cob always sends, which the task cannot change:
   * {@code Idempotency-Key}, {@code traceparent}, {@code Authorization} (when authentication is
   * configured) and {@code X-Callback-Url} (for callbacks).
   *
   * @param token the bearer token, or {@code null}
   * @param callbackUrl the callback URL, or {@code null}
   */
  static HttpRequest request(ActivatedJob job, HttpCall call, String token, String callbackUrl) {
    HttpRequest.Builder b = HttpRequest.newBuilder(call.uri()).timeout(call.timeout());
    if (call.uri().getScheme().equalsIgnoreCase("http")) {
      // No HTTP/2 upgrade attempt in clear text: many servers mishandle the Upgrade header.
      b.version(HttpClient.Version.HTTP_1_1);
    }
    try {
      call.headers().forEach((name, values) -> values.forEach(v -> b.header(name, v)));
    } catch (IllegalArgumentException e) {
      throw ConnectorException.misconfigured("setting 'headers': " + e.getMessage());
    }
    if (call.body() != null && !call.setsHeader("Content-Type")) {
      b.header("Content-Type", call.body().contentType());
    }
    if (!call.setsHeader("User-Agent")) {
      b.header("User-Agent", HttpConnector.USER_AGENT);
    }
    b.setHeader("Idempotency-Key", job.idempotencyKey());
    b.setHeader("traceparent", TraceParent.forJob(job));
    if (call.authentication() instanceof Basic basic) {
      String pair = basic.username() + ":" + basic.password();
      b.setHeader(
          "Authorization",
          "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
    } else if (token != null) {
      b.setHeader("Authorization", "Bearer " + token);
    }
    if (callbackUrl != null) {
      b.setHeader("X-Callback-Url", callbackUrl);
    }
    b.method(
        call.method(),
        call.body() == null ? HttpRequest.BodyPublishers.noBody() : call.body().publisher());
    return b.build();
  }

  /** Sends; a transport failure is a transient failure saying what failed, for a retry. */
  static HttpResponse<InputStream> send(HttpClient client, HttpRequest request, HttpCall call) {
    try {
      return client.send(request, HttpResponse.BodyHandlers.ofInputStream());
    } catch (HttpConnectTimeoutException e) {
      throw ConnectorException.transientFailure(
          call.where() + ": no connection within connectTimeout " + call.connectTimeout(), e);
    } catch (HttpTimeoutException e) {
      throw ConnectorException.transientFailure(
          call.where() + ": no answer within timeout " + call.timeout(), e);
    } catch (ConnectException e) {
      throw ConnectorException.transientFailure(
          call.where() + ": cannot connect (" + describe(e) + ")", e);
    } catch (SSLException e) {
      throw ConnectorException.transientFailure(
          call.where()
              + ": TLS failed ("
              + describe(e)
              + "); check trustStore (does it hold the server's CA?) and keyStore (does the"
              + " server require a client certificate?)",
          e);
    } catch (IOException e) {
      if (call.uri().getScheme().equalsIgnoreCase("https") && resetConnection(e)) {
        // TLS 1.3 finishes the client's side of the handshake before the server checks the
        // client's certificate, so a server refusing a client without one often shows as a reset.
        throw ConnectorException.transientFailure(
            call.where()
                + ": "
                + describe(e)
                + "; a server that requires a client certificate resets clients without one: check"
                + " keyStore",
            e);
      }
      throw ConnectorException.transientFailure(call.where() + ": " + describe(e), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ConnectorException.transientFailure(call.where() + ": interrupted", e);
    }
  }

  /**
   * Whether the connection was dropped: a SocketException anywhere in the chain (the client wraps
   * it in an IOException of its own at times).
   */
  private static boolean resetConnection(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof java.net.SocketException) {
        return true;
      }
    }
    return false;
  }

  private static String describe(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String m = root.getMessage();
    return root.getClass().getSimpleName() + (m == null ? "" : ": " + m);
  }
}
