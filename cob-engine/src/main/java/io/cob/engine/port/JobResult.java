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

  /**
   * The request is out and the answer comes later, by another path (a callback, a reply queue, a
   * device topic), as a {@code CompleteJob}, {@code FailJob} or {@code ThrowError} for this job.
   * The job stays locked to this node for {@code timeout}; if no answer came by then, the lock
   * lapses and the job runs again with the same idempotency key, as after a crash. A hard deadline
   * on the answer is a timer boundary event on the task.
   */
  record Await(Duration timeout) implements JobResult {
    public Await {
      if (timeout == null || timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("await timeout must be positive, not " + timeout);
      }
    }
  }

  static JobResult complete() {
    return new Complete(Map.of());
  }

  static JobResult complete(Map<String, Object> variables) {
    return new Complete(variables);
  }
}
