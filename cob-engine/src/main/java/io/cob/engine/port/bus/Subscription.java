package io.cob.engine.port.bus;

/**
 * A running subscription of a handler. Closing it stops delivery: no handler call starts after
 * {@link #close()} returns, except that a call already running may finish (when {@code close} is
 * called from another thread it waits for that call to return). Envelopes not yet acknowledged go
 * back to the queue and are delivered to another subscriber of the same cloud, or to the next one.
 * Closing twice does nothing.
 */
public interface Subscription extends AutoCloseable {

  /** The cloud this subscription receives for. */
  String cloud();

  @Override
  void close();
}
