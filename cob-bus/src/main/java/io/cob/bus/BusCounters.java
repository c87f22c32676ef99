package io.cob.bus;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts what {@link SignedBus} let through and refused, by reason, for metrics and tests.
 * Thread-safe and cheap to update; read with {@link #snapshot()}.
 */
public final class BusCounters {
  private final LongAdder accepted = new LongAdder();
  private final Map<RefusalReason, LongAdder> refused = new EnumMap<>(RefusalReason.class);

  public BusCounters() {
    for (RefusalReason reason : RefusalReason.values()) {
      refused.put(reason, new LongAdder());
    }
  }

  void accepted() {
    accepted.increment();
  }

  void refused(RefusalReason reason) {
    refused.get(reason).increment();
  }

  /** The counts now. */
  public Counts snapshot() {
    Map<RefusalReason, Long> byReason = new EnumMap<>(RefusalReason.class);
    refused.forEach((reason, count) -> byReason.put(reason, count.sum()));
    return new Counts(accepted.sum(), Collections.unmodifiableMap(byReason));
  }

  /**
   * Counts at one moment.
   *
   * @param accepted envelopes whose signature and age passed, handed to the handler
   * @param refused envelopes refused, by reason (every reason present, zero if none)
   */
  public record Counts(long accepted, Map<RefusalReason, Long> refused) {
    /** The number refused for one reason. */
    public long refused(RefusalReason reason) {
      return refused.getOrDefault(reason, 0L);
    }

    /** The number refused for any reason. */
    public long refusedTotal() {
      return refused.values().stream().mapToLong(Long::longValue).sum();
    }
  }
}
