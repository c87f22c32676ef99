package io.cob.connectors;

import java.util.Map;

/**
 * Where a connector reports the outcome of a job whose answer came later, by another path than the
 * handler's return (a callback, a reply queue, a device topic): see {@link
 * io.cob.engine.port.JobResult.Await}.
 *
 * <p>Answers are delivered at least once; the engine applies the first and refuses the others,
 * since a job completes only once. Implementations return whether this call was the one applied.
 */
public interface JobOutcomes {

  boolean complete(String jobKey, Map<String, Object> variables);

  boolean throwError(
      String jobKey, String errorCode, String errorMessage, Map<String, Object> variables);

  boolean fail(String jobKey, String errorMessage);
}
