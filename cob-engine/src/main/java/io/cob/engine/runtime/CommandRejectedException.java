package io.cob.engine.runtime;

/**
 * A command did not fit the instance's state (unknown job, ended instance ...); nothing changed.
 */
public final class CommandRejectedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public CommandRejectedException(String message) {
    super(message);
  }
}
