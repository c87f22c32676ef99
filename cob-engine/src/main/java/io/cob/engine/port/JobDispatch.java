package io.cob.engine.port;

/**
 * Sends a job placed on another cloud to that cloud, where a node runs it and sends its outcome
 * back (as a complete, fail or error of the job's key).
 *
 * <p>The job row in the owner's store is the outbox: the engine locks the job for the dispatch and,
 * if no outcome came before the lock lapses, dispatches it again with the same idempotency key. So
 * a dispatch may arrive more than once; the receiving cloud de-duplicates by the envelope's message
 * id, and the service by the job's idempotency key. Called on a worker thread; thread-safe.
 */
@FunctionalInterface
public interface JobDispatch {

  /**
   * Hands {@code job} to the transport for {@code cloud}; returns once the transport has taken
   * responsibility for it.
   *
   * @throws Exception when it could not: the engine tries again shortly
   */
  void dispatch(ActivatedJob job, String cloud) throws Exception;
}
