package io.cob.server.tracing;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.util.function.Function;

/**
 * The short span of one API command (a server span such as {@code cob.instance.start}): current
 * while the engine applies the command, so that an instance it starts records this span's trace as
 * its own. A request that comes with a W3C {@code traceparent} header continues the caller's trace.
 * Instances live long; a span from start to end would stay open for days, so each command is a span
 * of its own and later steps join the trace through the context the instance recorded. Thread-safe.
 */
public final class CommandSpans {
  static final AttributeKey<String> METHOD = AttributeKey.stringKey("http.request.method");
  static final AttributeKey<String> ROUTE = AttributeKey.stringKey("http.route");

  private final NodeTracing tracing;

  public CommandSpans(NodeTracing tracing) {
    this.tracing = tracing;
  }

  /**
   * Runs {@code command} in a span {@code name}.
   *
   * @param traceparent the request's {@code traceparent} header, or {@code null}
   * @param command gets the span, to add what it learns (the new instance's id)
   */
  public <T> T run(
      String name, String method, String route, String traceparent, Function<Span, T> command) {
    Context parent =
        traceparent == null ? Context.root() : tracing.remoteContext(traceparent.trim());
    Span span =
        tracing
            .tracer()
            .spanBuilder(name)
            .setSpanKind(SpanKind.SERVER)
            .setParent(parent)
            .setAttribute(METHOD, method)
            .setAttribute(ROUTE, route)
            .startSpan();
    try (Scope ignored = span.makeCurrent()) {
      return command.apply(span);
    } catch (RuntimeException e) {
      span.recordException(e);
      span.setStatus(StatusCode.ERROR, e.getMessage());
      throw e;
    } finally {
      span.end();
    }
  }
}
