package io.cob.connectors.http;

import io.cob.connectors.Connector;
import io.cob.connectors.ConnectorContext;
import io.cob.connectors.ConnectorException;
import io.cob.connectors.JobConfig;
import io.cob.connectors.http.Authentication.ClientCredentials;
import io.cob.engine.port.ActivatedJob;
import io.cob.engine.port.JobResult;
import io.cob.model.Expression;
import io.cob.model.expr.ExpressionException;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code http} job type: calls a REST service and maps its answer to variables; with {@code
 * callback=true}, calls it and then waits for the service to post the result to a callback URL.
 *
 * <p>Outcomes: 2xx and 3xx (after following redirects) complete the job with {@code {status,
 * headers, body}} (see {@link HttpResponseReader}), or what {@code resultVariable} or {@code
 * resultExpression} make of it; 4xx throws the BPMN error {@code HTTP_<status>} with those
 * variables, except 408 and 429, which are retried like 5xx, timeouts and connection failures,
 * after the {@code Retry-After} the service asked for (at most an hour) or the engine's back-off.
 *
 * <p><b>Idempotency:</b> every request carries {@code Idempotency-Key} = the job's idempotency key
 * ({@code instanceId:elementInstanceKey}), the same on every retry and re-delivery, so a service
 * that honours the header does a repeated call once. Every request also carries a W3C {@code
 * traceparent} whose trace id is the instance's, and {@code User-Agent: cob/<version>}. When the
 * node traces, each request is a client span, a child of the step's span, and the {@code
 * traceparent} is that span's.
 *
 * <p><b>Callbacks:</b> the request carries the header {@code X-Callback-Url}, and expressions in
 * the task's headers (such as {@code body}) see the variable {@code callbackUrl}. Once the service
 * accepted the request (2xx) the job waits, locked to this node, for {@code callbackTimeout}
 * (default P7D), which is also how long the callback URL is honoured; if no callback came by then,
 * the request is sent again with the same idempotency key and a new URL.
 *
 * <p><b>Outbound policy:</b> the URL, every redirect target and the OAuth2 token URL must not
 * resolve to loopback, link-local (cloud metadata), private or reserved addresses unless {@code
 * connectors.http.allowedHosts} allows the host ({@link OutboundPolicy}); a refused call is an
 * incident naming the host and the address. Header names and values from variables must not hold
 * line breaks or other control characters.
 *
 * <p>Thread-safe: one instance serves all jobs of the node; HTTP clients (per TLS and connect
 * timeout) and OAuth2 tokens are shared between jobs.
 */
public final class HttpConnector implements Connector {
  public static final String TYPE = "http";
  static final String USER_AGENT = "cob/" + version();
  static final Duration DEFAULT_CALLBACK_TIMEOUT = Duration.ofDays(7);
  static final long DEFAULT_MAX_RESPONSE_BYTES = 10L * 1024 * 1024;
  static final long DEFAULT_MAX_BLOB_BYTES = 256L * 1024 * 1024;

  /** The path under the node's public URL where callbacks arrive. */
  public static final String CALLBACK_PATH = "/api/v1/callbacks/";

  private static final Logger LOG = LoggerFactory.getLogger(HttpConnector.class);

  private final ConnectorContext context;
  private final HttpClients clients = new HttpClients();
  private final OAuth2Tokens tokens;
  private final CallbackTokens callbacks;
  private final HttpResponseReader reader;
  private final Tracer tracer;

  public HttpConnector(ConnectorContext context) {
    this.context = context;
    this.tracer = context.telemetry().getTracer(HttpConnector.class.getPackageName());
    this.tokens = new OAuth2Tokens(context.clock());
    this.callbacks =
        context.callbackKey() == null
            ? null
            : new CallbackTokens(context.callbackKey(), context.clock());
    this.reader = new HttpResponseReader(context.blobs());
  }

  @Override
  public String type() {
    return TYPE;
  }

  /** What to make of a successful response. */
  private record ResultSettings(
      boolean asBlob,
      long maxResponseBytes,
      long maxBlobBytes,
      String resultVariable,
      String resultExpression) {}

  @Override
  public JobResult execute(ActivatedJob job, JobConfig config) throws IOException {
    boolean callback = config.flag("callback", false);
    Duration callbackTimeout = null;
    String callbackUrl = null;
    JobConfig effective = config;
    if (callback) {
      callbackTimeout =
          new HttpSettings(config, context).duration("callbackTimeout", DEFAULT_CALLBACK_TIMEOUT);
      callbackUrl = callbackUrl(job, callbackTimeout);
      effective = new JobConfig(withVariable(job, "callbackUrl", callbackUrl), context);
    }
    HttpSettings settings = new HttpSettings(effective, context);
    HttpCall call = HttpCall.read(settings, context.blobs());
    ResultSettings result = resultSettings(settings);
    long started = System.nanoTime();
    HttpResponse<InputStream> r = exchange(job, call, callbackUrl);
    int status = r.statusCode();
    LOG.info(
        "event=http_called instance={} element={} call=\"{}\" status={} ms={} callback={}",
        job.instanceId(),
        job.elementId(),
        call.where(),
        status,
        (System.nanoTime() - started) / 1_000_000,
        callback);
    if (status < 300 && callback) {
      r.body().close();
      return new JobResult.Await(callbackTimeout);
    }
    if (status < 400 && !callback) {
      Map<String, Object> vars =
          reader.success(r, result.asBlob(), result.maxResponseBytes(), result.maxBlobBytes());
      return new JobResult.Complete(shape(vars, result, job));
    }
    return failure(call, r);
  }

  private JobResult failure(HttpCall call, HttpResponse<InputStream> r) throws IOException {
    int status = r.statusCode();
    Map<String, Object> vars = reader.failure(r);
    Object body = vars.get("body");
    String message =
        "HTTP "
            + status
            + " from "
            + call.where()
            + ": "
            + Excerpt.of(
                body instanceof String s ? s : body == null ? null : JsonBodies.text(body));
    if (status < 400) {
      // Only for callbacks: a redirect that was not followed means the request was not accepted.
      throw ConnectorException.transientFailure(
          message + " (a callback request must be accepted with 2xx)", null);
    }
    if (status >= 500 || status == 408 || status == 429) {
      throw RetryAfter.parse(
              r.headers().firstValue("Retry-After").orElse(null), context.clock().instant())
          .map(d -> ConnectorException.retryAfter(message, d))
          .orElseGet(() -> ConnectorException.transientFailure(message, null));
    }
    return new JobResult.Error("HTTP_" + status, message, vars);
  }

  /** The most redirects followed for one call, as browsers bound them too. */
  static final int MAX_REDIRECTS = 5;

  /**
   * Sends the request, following redirects itself so that each target passes the {@link
   * OutboundPolicy} too; when an OAuth2 token is refused (401), fetches a new one and sends once
   * more, since the authorization server may have revoked it before its expiry.
   */
  private HttpResponse<InputStream> exchange(ActivatedJob job, HttpCall call, String callbackUrl)
      throws IOException {
    OutboundPolicy policy = OutboundPolicy.of(context.settings("http"));
    HttpClient client = clients.client(call.connectTimeout(), call.tls());
    HttpCall hop = call;
    for (int redirects = 0; ; redirects++) {
      HttpResponse<InputStream> r =
          send(
              job, hop, callbackUrl, client, policy, redirects == 0 ? "setting 'url'" : "redirect");
      var next =
          redirects < MAX_REDIRECTS ? hop.redirectedBy(r) : java.util.Optional.<HttpCall>empty();
      if (next.isEmpty()) {
        return r;
      }
      r.body().close();
      hop = next.get();
    }
  }

  private HttpResponse<InputStream> send(
      ActivatedJob job,
      HttpCall call,
      String callbackUrl,
      HttpClient client,
      OutboundPolicy policy,
      String what)
      throws IOException {
    String token = accessToken(call, client, policy);
    List<InetAddress> addresses = policy.resolve(call.uri(), what);
    try (AddressPins.Held pin = AddressPins.pin(call.uri().getHost(), addresses)) {
      HttpResponse<InputStream> r = traced(client, job, call, token, callbackUrl);
      if (r.statusCode() == 401 && call.authentication() instanceof ClientCredentials cc) {
        r.body().close();
        tokens.refused(cc, token);
        token = tokens.token(cc, client, call.timeout(), policy);
        r = traced(client, job, call, token, callbackUrl);
      }
      return r;
    }
  }

  /**
   * One request, in a client span of its own (a child of the step's span), whose context the
   * request's {@code traceparent} carries to the service.
   */
  private HttpResponse<InputStream> traced(
      HttpClient client, ActivatedJob job, HttpCall call, String token, String callbackUrl) {
    Span span = HttpClientSpan.start(tracer, call);
    try (Scope ignored = span.makeCurrent()) {
      HttpResponse<InputStream> r =
          HttpExchange.send(client, HttpExchange.request(job, call, token, callbackUrl), call);
      HttpClientSpan.answered(span, r.statusCode());
      return r;
    } catch (RuntimeException e) {
      HttpClientSpan.failed(span, e);
      throw e;
    } finally {
      span.end();
    }
  }

  private String accessToken(HttpCall call, HttpClient client, OutboundPolicy policy) {
    return switch (call.authentication()) {
      case ClientCredentials cc -> tokens.token(cc, client, call.timeout(), policy);
      case Authentication.Bearer b -> b.token();
      case Authentication.Basic b -> null;
      case Authentication.None n -> null;
    };
  }

  private String callbackUrl(ActivatedJob job, Duration timeout) {
    URI base = context.publicBaseUri() == null ? null : context.publicBaseUri().get();
    if (base == null || callbacks == null) {
      throw ConnectorException.misconfigured(
          "callback=true needs the node's public URL (node.http.publicUrl) and callback key;"
              + " this node has none");
    }
    String root = base.toString().replaceAll("/+$", "");
    return root + CALLBACK_PATH + callbacks.issue(job.key(), timeout);
  }

  private static ResultSettings resultSettings(HttpSettings s) {
    JobConfig task = s.task();
    String expression =
        task.rawValue("resultExpression").map(v -> v instanceof String t ? t : null).orElse(null);
    if (task.has("resultExpression") && expression == null) {
      throw ConnectorException.misconfigured(
          "setting 'resultExpression' must be a FEEL expression text such as"
              + " ={\"id\": response.body.id}");
    }
    return new ResultSettings(
        task.flag("responseAsBlob", false),
        s.positive("maxResponseBytes", DEFAULT_MAX_RESPONSE_BYTES),
        s.nodePositive("maxBlobBytes", DEFAULT_MAX_BLOB_BYTES),
        task.optionalString("resultVariable").filter(v -> !v.isBlank()).orElse(null),
        expression);
  }

  /** What the job returns: the response, under {@code resultVariable}, or as an expression says. */
  private Map<String, Object> shape(
      Map<String, Object> response, ResultSettings r, ActivatedJob job) {
    if (r.resultExpression() != null) {
      String text = r.resultExpression().strip();
      Expression e = Expression.of(text.startsWith("=") ? text : "=" + text);
      Map<String, Object> scope = new LinkedHashMap<>(job.variables());
      scope.put("response", response);
      Object value;
      try {
        value = context.expressions().evaluate(e, scope);
      } catch (ExpressionException ex) {
        throw ConnectorException.misconfigured("setting 'resultExpression': " + ex.getMessage());
      }
      if (!(value instanceof Map<?, ?> m)) {
        throw ConnectorException.misconfigured(
            "setting 'resultExpression' must give a context whose entries become variables, e.g."
                + " ={\"orderId\": response.body.id}; it gave "
                + (value == null ? "null" : value.getClass().getSimpleName()));
      }
      Map<String, Object> out = new LinkedHashMap<>();
      m.forEach((k, v) -> out.put(String.valueOf(k), v));
      return out;
    }
    if (r.resultVariable() != null) {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put(r.resultVariable(), response);
      return out;
    }
    return response;
  }

  private static ActivatedJob withVariable(ActivatedJob j, String name, Object value) {
    Map<String, Object> vars = new LinkedHashMap<>(j.variables());
    vars.put(name, value);
    return new ActivatedJob(
        j.key(),
        j.type(),
        j.instanceId(),
        j.elementId(),
        j.elementInstanceKey(),
        j.retries(),
        vars,
        j.headers(),
        j.idempotencyKey(),
        j.inputs(),
        j.traceparent());
  }

  private static String version() {
    String v = HttpConnector.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  @Override
  public void close() {
    clients.close();
  }
}
