package io.cob.engine.port.bus;

/**
 * The bus could not take responsibility for an envelope (broker unreachable, no publisher confirm
 * within the timeout, broker refused it, this cloud is cut off), or could not set up a
 * subscription.
 *
 * <p>When {@link Bus#publish} throws it, the envelope may or may not have reached the broker: the
 * caller keeps it in its outbox and publishes it again later with the <em>same</em> message id;
 * receivers de-duplicate.
 */
public final class BusException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public BusException(String message) {
    super(message);
  }

  public BusException(String message, Throwable cause) {
    super(message, cause);
  }
}
