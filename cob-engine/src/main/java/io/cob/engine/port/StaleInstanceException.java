package io.cob.engine.port;

import java.util.Set;

/**
 * A commit was refused because another writer changed one of its instances first (optimistic
 * concurrency): the stored version was not the expected one. Nothing of the batch was written.
 */
public final class StaleInstanceException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final transient Set<String> instanceIds;

  public StaleInstanceException(Set<String> instanceIds) {
    super("instances changed concurrently: " + instanceIds);
    this.instanceIds = Set.copyOf(instanceIds);
  }

  public Set<String> instanceIds() {
    return instanceIds;
  }
}
