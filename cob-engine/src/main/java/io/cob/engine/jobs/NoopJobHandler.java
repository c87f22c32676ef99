package io.cob.engine.jobs;

import io.cob.engine.port.ActivatedJob;
import io.cob.engine.port.JobHandler;
import io.cob.engine.port.JobResult;

/**
 * Job type {@code noop}: completes at once with no result variables, so the element's output
 * mappings decide what it contributes. Idempotent by nature.
 */
public final class NoopJobHandler implements JobHandler {
  public static final String TYPE = "noop";

  @Override
  public JobResult handle(ActivatedJob job) {
    return JobResult.complete();
  }
}
