package io.cob.engine.state;

import java.util.List;

/**
 * An active element instance (a token's position). Immutable: appliers replace it when it changes.
 *
 * @param scopeKey the key of the enclosing element instance ({@code 0} for the process instance)
 * @param loopCounter 1-based index inside a multi-instance body, else {@code null}
 * @param multiInstance the body's progress when this is a multi-instance body, else {@code null}
 * @param childInstanceId for a call activity, the child it waits for, else {@code null}
 * @param cloud where it runs, or {@code null} for the owner's cloud
 */
public record ElementInstance(
    long key,
    String elementId,
    String elementType,
    long scopeKey,
    Integer loopCounter,
    MultiInstanceProgress multiInstance,
    String childInstanceId,
    String cloud) {

  /**
   * Progress of a multi-instance body: how many inner instances in all, started, completed and
   * terminated, and the items evaluated when the body was activated.
   */
  public record MultiInstanceProgress(
      int total, int started, int completed, int terminated, List<Object> items) {
    public MultiInstanceProgress {
      items = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(items));
    }

    /** Inner instances that have ended, either way. */
    public int ended() {
      return completed + terminated;
    }
  }

  public ElementInstance withMultiInstance(MultiInstanceProgress p) {
    return new ElementInstance(
        key, elementId, elementType, scopeKey, loopCounter, p, childInstanceId, cloud);
  }

  public ElementInstance withCloud(String placedOn) {
    return new ElementInstance(
        key,
        elementId,
        elementType,
        scopeKey,
        loopCounter,
        multiInstance,
        childInstanceId,
        placedOn);
  }

  public ElementInstance withChild(String childId) {
    return new ElementInstance(
        key, elementId, elementType, scopeKey, loopCounter, multiInstance, childId, cloud);
  }
}
