package io.cob.bus;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Remembers the message ids a node handled recently, so that an exact replay of an envelope within
 * the replay window is refused before it reaches the handler.
 *
 * <p>This is defence in depth, not the exactly-once mechanism: it is in memory, per node, bounded
 * (the oldest ids are forgotten first), and lost on restart. The durable de-duplication is the
 * node's inbox, in the transaction that applies the envelope.
 *
 * <p>An id counts as seen only once its handler returned normally: a redelivery after a handler
 * failure passes, as it must. While a handler runs, a second delivery of the same id is refused.
 * Thread-safe.
 */
final class ReplayGuard {
  private static final Boolean IN_FLIGHT = Boolean.FALSE;
  private static final Boolean HANDLED = Boolean.TRUE;

  private final Map<String, Boolean> ids;

  /**
   * @param capacity how many ids to remember; 0 remembers none (every call to {@link #begin}
   *     passes)
   */
  ReplayGuard(int capacity) {
    this.ids =
        new LinkedHashMap<>(Math.min(capacity, 1 << 16), 0.75f, false) {
          private static final long serialVersionUID = 1L;

          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > capacity;
          }
        };
  }

  /** Whether the id may be handled now (not handled recently, not in a handler now). */
  synchronized boolean begin(String messageId) {
    return ids.putIfAbsent(messageId, IN_FLIGHT) == null;
  }

  /** The handler for an id admitted by {@link #begin} ended; it counts as seen if it succeeded. */
  synchronized void end(String messageId, boolean handled) {
    if (handled) {
      ids.replace(messageId, HANDLED);
    } else {
      ids.remove(messageId);
    }
  }
}
