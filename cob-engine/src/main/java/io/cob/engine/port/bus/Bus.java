package io.cob.engine.port.bus;

import java.util.List;

/**
 * The transport between clouds (DESIGN.md §6, §7): every cloud has one durable queue; nodes of the
 * cloud consume it as competing consumers. Adapters: in memory (several clouds in one JVM) and
 * RabbitMQ; both pass the same contract test suite ({@code BusContract} in {@code cob-bus}).
 *
 * <h2>Two kinds of delivery</h2>
 *
 * <ul>
 *   <li><b>{@link #publish Published} envelopes</b> are durable work: an envelope for one cloud is
 *       kept in that cloud's queue until one of its nodes acknowledges it, even when no node of the
 *       cloud is subscribed yet; a broadcast ({@code targetCloud == null}) is put in the queue of
 *       every cloud the bus knows (every cloud with a queue: one that was subscribed, published to,
 *       or configured up front), and is handled by one node of each.
 *   <li><b>{@link #announce Announced} envelopes</b> are transient news for every live node
 *       (heartbeats, and other state that is sent again periodically): each {@link #listen
 *       listener} connected when it is sent receives it at most once; nothing is kept for nodes
 *       that are not listening, nothing is redelivered, nothing goes to a dead-letter queue.
 * </ul>
 *
 * <h2>Guarantees of published envelopes</h2>
 *
 * <ul>
 *   <li><b>At least once.</b> When {@link #publish} returns, the transport has taken responsibility
 *       for the envelope (RabbitMQ: a publisher confirm for a persistent message in a durable
 *       queue); it will be delivered until a handler acknowledges it or it is dead-lettered. When
 *       it throws {@link BusException}, the caller keeps the envelope in its outbox and publishes
 *       it again later with the same message id. Nothing is ever dropped silently.
 *   <li><b>Acknowledgement.</b> A handler that returns normally acknowledges; one that throws has
 *       the envelope redelivered (to it or another subscriber of the cloud). After the configured
 *       number of failed deliveries (default 5) the envelope is moved to the cloud's dead-letter
 *       queue ({@link #deadLetters}) and not delivered again.
 *   <li><b>Duplicates are possible</b> (redelivery after a lost acknowledgement, an outbox retry
 *       after a lost confirm). The receiver de-duplicates by {@link Envelope#messageId()} in the
 *       same transaction that applies the envelope (the node's inbox), which makes the effect
 *       exactly once.
 *   <li><b>Order.</b> None is guaranteed across messages. Envelopes for one cloud are delivered
 *       first-in first-out on a best-effort basis: redeliveries, several consumers and reconnects
 *       reorder them. Anything that needs order carries its own sequence number (the replicated
 *       event log does).
 * </ul>
 *
 * <p>The bus does not look into payloads, and does not sign or verify: that is a decorator ({@code
 * io.cob.bus.SignedBus}).
 *
 * <p>Thread-safe: every method may be called from any thread.
 */
public interface Bus extends AutoCloseable {

  /**
   * Sends an envelope to its target cloud's queue, or to every cloud's queue when the target is
   * {@code null}, and returns once the transport has taken responsibility for it.
   *
   * @throws BusException when the transport did not confirm it (broker unreachable, confirm timed
   *     out or negative, the source cloud is cut off); the caller retries with the same message id
   */
  void publish(Envelope envelope);

  /**
   * Makes sure a cloud's queue exists, so that broadcasts reach it and envelopes for it are kept,
   * before any node of it subscribes. Nodes declare every configured cloud at start. Idempotent.
   *
   * @throws BusException when the transport cannot declare it now
   */
  void declareCloud(String cloud);

  /**
   * Starts delivering the envelopes queued for a cloud to a handler, including those that were
   * published before anyone subscribed. Several subscriptions of one cloud (several nodes) compete:
   * each envelope goes to one of them.
   *
   * @throws BusException when the subscription cannot be set up
   */
  Subscription subscribe(String cloud, EnvelopeHandler handler);

  /**
   * Sends an envelope, best effort, to every {@link #listen listener} connected now, in every
   * cloud. Its {@code targetCloud} must be {@code null}.
   *
   * @throws BusException when the transport cannot take it now (it is then lost: announce only what
   *     is sent again anyway)
   * @throws IllegalArgumentException when the envelope has a target cloud
   */
  void announce(Envelope envelope);

  /**
   * Starts delivering every announced envelope to this handler while the subscription is open. Each
   * listener receives each announcement at most once, independently of other listeners of the same
   * cloud. A handler that throws loses the announcement (it is logged).
   *
   * @param cloud the cloud of the listening node
   * @throws BusException when the subscription cannot be set up
   */
  Subscription listen(String cloud, EnvelopeHandler handler);

  /**
   * The envelopes in a cloud's dead-letter queue, oldest first, at most {@code max} of them, for
   * operators and tests. Reading them does not remove them.
   *
   * @throws BusException when the transport cannot be read now
   */
  List<Envelope> deadLetters(String cloud, int max);

  // ---- ownership arbitration (DESIGN.md §7): the broker, not cob, decides who may advance a
  // cloud's instances.

  /**
   * Marks on the broker that a node of {@code cloud} is connected to it. The mark exists while at
   * least one node holding it stays connected, and vanishes, by the broker's own detection, when
   * the last one is gone (killed, cut off, closed). It is never restored by an automatic
   * reconnection: the holder claims it again itself, after checking for a take-over notice.
   *
   * @return the hold; closing it releases this node's part of the mark
   * @throws BusException when the broker cannot be reached now
   */
  default Subscription holdPresence(String cloud) {
    throw new UnsupportedOperationException(
        getClass().getSimpleName() + " arbitrates no ownership");
  }

  /**
   * Whether some connected node holds the presence mark of {@code cloud} now, asked through this
   * node's own connection (so a true answer also proves that this node reaches the broker).
   *
   * @throws BusException when the broker cannot be asked now
   */
  default boolean presence(String cloud) {
    throw new UnsupportedOperationException(
        getClass().getSimpleName() + " arbitrates no ownership");
  }

  /**
   * Leaves a durable notice on the broker that {@code cloud} was taken over, replacing an earlier
   * one of that name; it outlives restarts of every node, until {@link #clearTakeoverNotice}. The
   * name is the caller's: cob keeps one per cloud and taker ({@code private~public-b}), so that
   * each taker removes its own.
   *
   * @throws BusException when the broker did not confirm it
   */
  default void postTakeoverNotice(String cloud, byte[] notice) {
    throw new UnsupportedOperationException(
        getClass().getSimpleName() + " arbitrates no ownership");
  }

  /**
   * The take-over notice of {@code cloud}, if one was left.
   *
   * @throws BusException when the broker cannot be asked now
   */
  default java.util.Optional<byte[]> takeoverNotice(String cloud) {
    throw new UnsupportedOperationException(
        getClass().getSimpleName() + " arbitrates no ownership");
  }

  /**
   * Removes the take-over notice of {@code cloud} (a take-over abandoned, or ownership given back).
   *
   * @throws BusException when the broker cannot be reached now
   */
  default void clearTakeoverNotice(String cloud) {
    throw new UnsupportedOperationException(
        getClass().getSimpleName() + " arbitrates no ownership");
  }

  /**
   * Stops every subscription and releases the transport. Queued envelopes stay queued (in a
   * broker), or are dropped with the JVM (in memory). Closing twice does nothing.
   */
  @Override
  void close();
}
