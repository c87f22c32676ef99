package io.cob.connectors;

import java.time.Duration;

/**
 * A connector could not do its job. Turned into the job's outcome by {@link ConnectorJobHandler}: a
 * {@linkplain #misconfigured misconfiguration} uses up all retries at once (an incident that says
 * what to fix), a {@linkplain #transientFailure transient failure} uses up one retry and is tried
 * again after the back-off.
 */
public final class ConnectorException extends RuntimeException {
  private final boolean retryable;
  private final Duration backoff;

  private ConnectorException(String message, Throwable cause, boolean retryable, Duration backoff) {
    super(message, cause);
    this.retryable = retryable;
    this.backoff = backoff;
  }

  /** The task is configured wrongly: retrying cannot help. */
  public static ConnectorException misconfigured(String message) {
    return new ConnectorException(message, null, false, null);
  }

  /** The call failed in a way that may pass: retried after the engine's back-off. */
  public static ConnectorException transientFailure(String message, Throwable cause) {
    return new ConnectorException(message, cause, true, null);
  }

  /** The call failed; the service asked to wait {@code backoff} (e.g. {@code Retry-After}). */
  public static ConnectorException retryAfter(String message, Duration backoff) {
    return new ConnectorException(message, null, true, backoff);
  }

  public boolean retryable() {
    return retryable;
  }

  /** The wait before the next attempt the service asked for, or {@code null}. */
  public Duration backoff() {
    return backoff;
  }
}
