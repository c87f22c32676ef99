package io.cob.server.config;

/**
 * The configuration is unusable: an unknown key, a value of the wrong type or out of range. The
 * message names the key and, for {@code cob.yaml}, the line and column. Nothing was started.
 */
public final class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ConfigException(String message) {
    super(message);
  }

  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
