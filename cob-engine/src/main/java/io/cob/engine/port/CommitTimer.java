package io.cob.engine.port;

/**
 * Told how long each group commit took: one call per {@link Store#commit} of a batch of instances
 * (DESIGN.md §2.3), so that a node can publish store commit latency without the engine knowing of
 * any metrics library.
 *
 * <p>Called on the engine's single writer thread right after the store returned or threw, before
 * anything else of the batch happens: an implementation must be thread-safe towards its readers,
 * must not block, and must not call back into the engine. What it throws is logged and otherwise
 * ignored. With {@link #NONE} (the default) the engine does not even read the clock.
 */
@FunctionalInterface
public interface CommitTimer {
  /** Observes nothing; the default. */
  CommitTimer NONE = (instances, events, nanos, outcome) -> {};

  /**
   * @param instances how many instances the batch wrote (at least 1)
   * @param events how many events the batch appended, over all its instances
   * @param nanos how long the store took to commit or refuse it, in nanoseconds
   * @param outcome whether the store committed it
   */
  void timed(int instances, int events, long nanos, Outcome outcome);

  /** What the store did with a batch. */
  enum Outcome {
    /** Written. */
    COMMITTED,
    /**
     * Refused because another node changed one of its instances first ({@link
     * StaleInstanceException}); the engine retries its commands on fresh state.
     */
    STALE,
    /** Failed ({@link StoreException} or another error); nothing was written. */
    FAILED;

    /** The lower-case name, for metric labels and logs. */
    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }
}
