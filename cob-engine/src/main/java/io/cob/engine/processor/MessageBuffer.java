package io.cob.engine.processor;

import io.cob.engine.port.StoreRows.BufferedMessage;
import java.util.Optional;

/**
 * Lets a subscription that opens take a message published before it. Each process takes a buffered
 * message at most once; the implementation makes sure of that also among instances processed in the
 * same batch.
 */
public interface MessageBuffer {
  /**
   * The oldest unexpired buffered message of that name and key that {@code processId} has not taken
   * yet, already marked as taken by it (the caller stores that version).
   */
  Optional<BufferedMessage> take(String name, String correlationKey, String processId);

  MessageBuffer NONE = (name, key, processId) -> Optional.empty();
}
