package io.cob.engine.port;

/**
 * Does the work of jobs of one type on this node (a built-in job type or a connector).
 *
 * <p>Delivery is at least once: after a crash or an expired lock the same job runs again, with the
 * same {@link ActivatedJob#idempotencyKey()}. A handler must therefore be idempotent, or pass the
 * key on to a service that de-duplicates by it.
 *
 * <p>Called on a worker thread; handlers must be thread-safe. An exception thrown counts as a
 * failed attempt (retried with back-off until retries run out, then an incident).
 */
@FunctionalInterface
public interface JobHandler {
  JobResult handle(ActivatedJob job) throws Exception;
}
