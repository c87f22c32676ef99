package io.cob.engine.port;

/**
 * Where the engine learns the trace a new instance belongs to, without knowing any tracing library.
 *
 * <p>When a caller starts an instance (or publishes a message that starts some), the engine asks
 * for the W3C {@code traceparent} of the caller's current span and records it with the instance
 * ({@code InstanceTraced}). Every job of the instance then carries it ({@link
 * ActivatedJob#traceparent()}), so that the spans of its steps, in whichever cloud runs them, join
 * that one trace.
 *
 * <p>Called on the caller's thread, before the command is queued; must be cheap and thread-safe.
 */
@FunctionalInterface
public interface TraceContext {
  /** No tracing: instances record no trace. */
  TraceContext NONE = () -> null;

  /**
   * The W3C {@code traceparent} ({@code 00-<trace id>-<span id>-<flags>}) of the calling thread's
   * current span, or {@code null} when there is none.
   */
  String currentTraceparent();
}
