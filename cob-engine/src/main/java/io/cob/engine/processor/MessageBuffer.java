package io.cob.engine.processor;

import io.cob.engine.port.StoreRows.BufferedMessage;
import java.util.Optional;

/**
 * Lets a subscription that opens take a message published before it. The implementation makes
 * sure a buffered message is taken at most once, also among instances processed in the same
 * batch.
 */
public interface MessageBuffer {
  Optional<BufferedMessage> take(String name, String correlationKey);

  MessageBuffer NONE = (name, key) -> Optional.empty();
}
