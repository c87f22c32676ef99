package io.cob.engine.port;

import io.cob.engine.event.EventRecord;
import io.cob.engine.state.InstanceState;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

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

  /**
   * When the command counts as committed to its caller: at once by default; with synchronous
   * replication, once a standby cloud has stored the events too (the caller is answered then, or
   * told it failed, while the writer goes on). Called right after {@link #committed}, on the same
   * thread: must not block.
   */
  default CompletionStage<Void> stored(InstanceState state, List<EventRecord> events) {
    return CompletableFuture.completedFuture(null);
  }
}
