package io.cob.engine.port.bus;

/**
 * Receives envelopes from a {@link Bus} subscription.
 *
 * <p><b>Acknowledgement.</b> Returning normally acknowledges the envelope: the bus forgets it.
 * Throwing (anything) makes the bus deliver it again later, with a higher delivery count, until the
 * bus's delivery limit is reached; then it goes to the cloud's dead-letter queue. So a handler
 * throws only for a failure that may pass (its store is unavailable); an envelope it can never
 * process (malformed payload, unknown type) it logs and acknowledges, or it would be retried to the
 * limit for nothing.
 *
 * <p><b>Idempotency.</b> The same envelope may arrive more than once (at-least-once transport), and
 * on any node of the cloud. The handler de-duplicates by {@link Envelope#messageId()} in the same
 * transaction that applies the envelope's effect (the node's inbox).
 *
 * <p><b>Threading.</b> Calls for one subscription are made one at a time; handlers of different
 * subscriptions run concurrently. A handler must not block for long: the cloud's other envelopes
 * wait behind it.
 */
@FunctionalInterface
public interface EnvelopeHandler {

  /**
   * @param envelope the envelope received
   * @param delivery how often it has been delivered, 1 on the first delivery (at least, see {@link
   *     Delivery})
   * @throws Exception to have the envelope delivered again
   */
  void handle(Envelope envelope, Delivery delivery) throws Exception;

  /**
   * Facts of one delivery.
   *
   * @param count 1 for the first delivery, 2 for the first redelivery ...; a transport that cannot
   *     count exactly (a broker restart) reports at least 1 and never more than the true count
   * @param redelivered whether the bus knows the envelope was delivered before (to any subscriber)
   */
  record Delivery(int count, boolean redelivered) {
    public Delivery {
      if (count < 1) {
        throw new IllegalArgumentException("delivery count must be at least 1, not " + count);
      }
    }

    /** The first delivery. */
    public static Delivery first() {
      return new Delivery(1, false);
    }
  }
}
