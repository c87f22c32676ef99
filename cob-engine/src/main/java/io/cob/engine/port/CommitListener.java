package io.cob.engine.port;

import io.cob.engine.event.EventRecord;
import io.cob.engine.state.InstanceState;
import java.util.List;

/**
 * Told about every command this node committed, after the commit and before the caller is answered:
 * metrics, audit feeds and the like observe the engine through it.
 *
 * <p>Called on the engine's single writer thread: an implementation must be thread-safe towards its
 * readers, must not block, and must not call back into the engine. What it throws is logged and
 * otherwise ignored; it cannot undo the commit.
 */
@FunctionalInterface
public interface CommitListener {
  /** No-op listener, the default. */
  CommitListener NONE = (state, events) -> {};

  /**
   * @param state the instance after the command (read only)
   * @param events the events the command appended, in order
   */
  void committed(InstanceState state, List<EventRecord> events);
}
