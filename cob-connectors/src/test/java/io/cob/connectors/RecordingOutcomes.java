package io.cob.connectors;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** Passes late job outcomes on and records, for each, whether the engine applied it. */
public final class RecordingOutcomes implements JobOutcomes {
  private final JobOutcomes delegate;
  private final List<Boolean> applied = new CopyOnWriteArrayList<>();

  public RecordingOutcomes(JobOutcomes delegate) {
    this.delegate = delegate;
  }

  /** One entry per outcome reported so far, in order: true if applied, false if refused. */
  public List<Boolean> applied() {
    return List.copyOf(applied);
  }

  @Override
  public boolean complete(String jobKey, Map<String, Object> variables) {
    return record(delegate.complete(jobKey, variables));
  }

  @Override
  public boolean throwError(
      String jobKey, String errorCode, String errorMessage, Map<String, Object> variables) {
    return record(delegate.throwError(jobKey, errorCode, errorMessage, variables));
  }

  @Override
  public boolean fail(String jobKey, String errorMessage) {
    return record(delegate.fail(jobKey, errorMessage));
  }

  private boolean record(boolean result) {
    applied.add(result);
    return result;
  }
}
