package io.cob.connectors.http;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;

/**
 * The client span of one HTTP request, named and described as OpenTelemetry's HTTP semantic
 * conventions say ({@code GET}, {@code http.request.method}, {@code server.address}, ...). The URL
 * is recorded without its query and user info, which may hold secrets.
 */
final class HttpClientSpan {
  static final AttributeKey<String> METHOD = AttributeKey.stringKey("http.request.method");
  static final AttributeKey<Long> STATUS = AttributeKey.longKey("http.response.status_code");
  static final AttributeKey<String> SCHEME = AttributeKey.stringKey("url.scheme");
  static final AttributeKey<String> PATH = AttributeKey.stringKey("url.path");
  static final AttributeKey<String> HOST = AttributeKey.stringKey("server.address");
  static final AttributeKey<Long> PORT = AttributeKey.longKey("server.port");
  static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

  private HttpClientSpan() {}

  /** Starts the span of {@code call}, a child of the current span. */
  static Span start(Tracer tracer, HttpCall call) {
    int port = call.uri().getPort();
    if (port < 0) {
      port = "https".equalsIgnoreCase(call.uri().getScheme()) ? 443 : 80;
    }
    return tracer
        .spanBuilder(call.method())
        .setSpanKind(SpanKind.CLIENT)
        .setAttribute(METHOD, call.method())
        .setAttribute(SCHEME, call.uri().getScheme())
        .setAttribute(HOST, call.uri().getHost())
        .setAttribute(PORT, (long) port)
        .setAttribute(PATH, call.uri().getRawPath() == null ? "" : call.uri().getRawPath())
        .startSpan();
  }

  /** The service answered; a 4xx or 5xx status marks the span as failed. */
  static void answered(Span span, int status) {
    span.setAttribute(STATUS, (long) status);
    if (status >= 400) {
      span.setAttribute(ERROR_TYPE, Integer.toString(status));
      span.setStatus(StatusCode.ERROR);
    }
  }

  /** No answer: the connection or TLS failed, or the request timed out. */
  static void failed(Span span, RuntimeException e) {
    span.setAttribute(ERROR_TYPE, e.getClass().getName());
    span.setStatus(StatusCode.ERROR, e.getMessage());
  }
}
