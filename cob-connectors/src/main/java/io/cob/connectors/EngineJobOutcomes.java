package io.cob.connectors;

import io.cob.engine.Engine;
import io.cob.engine.runtime.CommandRejectedException;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies late job outcomes to the node's engine. The engine is looked up at each call because
 * connectors are made before the engine they serve (the engine's builder takes them).
 */
public final class EngineJobOutcomes implements JobOutcomes {
  private static final Logger LOG = LoggerFactory.getLogger(EngineJobOutcomes.class);
  private final Supplier<Engine> engine;

  public EngineJobOutcomes(Supplier<Engine> engine) {
    this.engine = engine;
  }

  @Override
  public boolean complete(String jobKey, Map<String, Object> variables) {
    return apply(jobKey, "complete", () -> engine.get().completeJob(jobKey, variables));
  }

  @Override
  public boolean throwError(
      String jobKey, String errorCode, String errorMessage, Map<String, Object> variables) {
    return apply(
        jobKey, "error", () -> engine.get().throwError(jobKey, errorCode, errorMessage, variables));
  }

  @Override
  public boolean fail(String jobKey, String errorMessage) {
    return apply(jobKey, "fail", () -> engine.get().failJob(jobKey, null, errorMessage, null));
  }

  private static boolean apply(String jobKey, String what, Runnable action) {
    try {
      action.run();
      return true;
    } catch (CommandRejectedException e) {
      // The job is done already (a duplicate answer) or was canceled: nothing to apply.
      LOG.info(
          "event=late_outcome_refused job={} outcome={} reason={}", jobKey, what, e.getMessage());
      return false;
    }
  }
}
