package io.cob.engine.port;

import java.time.Duration;
import java.util.Map;

/** What a job handler reports. */
public sealed interface JobResult {

  /** Done; the variables are the job's result. */
  record Complete(Map<String, Object> variables) implements JobResult {}

  /**
   * This attempt failed.
   *
   * @param retries attempts left, or {@code null} to use one up
   * @param backoff wait before the next attempt, or {@code null} for the engine's back-off
   */
  record Fail(String errorMessage, Integer retries, Duration backoff) implements JobResult {}

  /** A business error, thrown as a BPMN error with this code. */
  record Error(String errorCode, String errorMessage, Map<String, Object> variables)
      implements JobResult {}

  static JobResult complete() {
    return new Complete(Map.of());
  }

  static JobResult complete(Map<String, Object> variables) {
    return new Complete(variables);
  }
}
