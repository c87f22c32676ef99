package io.cob.bus;

import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * Counts what {@link SignedBus} sent, let through and refused, for metrics and tests. Thread-safe
 * and cheap to update; read with {@link #snapshot()}, {@link #count(Flow)} and {@link #flows()}.
 *
 * <p><b>Flows</b> count envelopes by direction, by the other cloud and by envelope type. Their
 * number stays small: the other cloud of a received envelope is only counted once its signature
 * proved it (a refused envelope is counted by reason alone, so a forger cannot invent clouds), and
 * envelope types are the few the node's own code sends ({@code heartbeat}, {@code job.dispatch},
 * {@code job.result} ...). Each flow counts envelopes and the bytes of their payloads (the payload
 * is what varies; the fixed fields and the signature add a few hundred bytes to each envelope).
 */
public final class BusCounters {
  /** The cloud of a broadcast or an announcement in a {@link Flow}: every cloud. */
  public static final String EVERY_CLOUD = "*";

  private final LongAdder accepted = new LongAdder();
  private final Map<RefusalReason, LongAdder> refused = new EnumMap<>(RefusalReason.class);
  private final ConcurrentMap<Flow, Tally> flows = new ConcurrentHashMap<>();
  private final List<Consumer<Flow>> flowListeners = new CopyOnWriteArrayList<>();

  public BusCounters() {
    for (RefusalReason reason : RefusalReason.values()) {
      refused.put(reason, new LongAdder());
    }
  }

  /** Which way an envelope went, as counted in a {@link Flow}. */
  public enum Direction {
    /** Handed to the transport, which took responsibility for it. */
    SENT,
    /** Handed to the transport, which refused it (the sender keeps it and sends it again). */
    SEND_FAILED,
    /** Received, its signature and age checked, handed to a handler. */
    RECEIVED,
    /** Received as {@link #RECEIVED}, and the bus says it had been delivered before. */
    REDELIVERED;

    /** The lower-case name, for metric names and logs. */
    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /**
   * One series of envelopes.
   *
   * @param direction sent or received
   * @param cloud the other end: the target cloud of a sent envelope ({@link #EVERY_CLOUD} for a
   *     broadcast or an announcement), the source cloud of a received one
   * @param type the envelope's type
   */
  public record Flow(Direction direction, String cloud, String type) {
    public Flow {
      Objects.requireNonNull(direction, "direction");
      Objects.requireNonNull(cloud, "cloud");
      Objects.requireNonNull(type, "type");
    }
  }

  void accepted() {
    accepted.increment();
  }

  void refused(RefusalReason reason) {
    refused.get(reason).increment();
  }

  /**
   * Envelopes and payload bytes, as counted so far or summed over flows.
   *
   * @param messages how many envelopes
   * @param bytes the bytes of their payloads
   */
  public record Traffic(long messages, long bytes) {
    public static final Traffic NONE = new Traffic(0, 0);

    /** This and {@code other} added up. */
    public Traffic plus(Traffic other) {
      return new Traffic(messages + other.messages, bytes + other.bytes);
    }
  }

  /** The running sums of one flow. */
  private record Tally(LongAdder messages, LongAdder bytes) {
    Tally() {
      this(new LongAdder(), new LongAdder());
    }

    Traffic traffic() {
      return new Traffic(messages.sum(), bytes.sum());
    }
  }

  void count(Direction direction, String cloud, String type, int payloadBytes) {
    Flow flow = new Flow(direction, cloud == null ? EVERY_CLOUD : cloud, type);
    Tally tally = flows.get(flow);
    if (tally == null) {
      Tally fresh = new Tally();
      tally = flows.putIfAbsent(flow, fresh);
      if (tally == null) {
        tally = fresh;
        // Outside any map operation: a listener may register a meter that reads this map.
        flowListeners.forEach(l -> l.accept(flow));
      }
    }
    tally.messages().increment();
    tally.bytes().add(payloadBytes);
  }

  /**
   * Calls {@code listener} once for every flow counted so far and then for every new flow when it
   * is first counted (possibly twice for a flow counted while the listener is being added), so that
   * a metrics registry can give each flow its own series. The listener runs on the thread that
   * counts and must be quick.
   */
  public void onNewFlow(Consumer<Flow> listener) {
    flowListeners.add(Objects.requireNonNull(listener, "listener"));
    flows.keySet().forEach(listener);
  }

  /** How many envelopes one flow counted so far (0 for a flow never counted). */
  public long count(Flow flow) {
    Tally tally = flows.get(flow);
    return tally == null ? 0 : tally.messages().sum();
  }

  /**
   * How many envelopes and payload bytes one flow counted so far ({@link Traffic#NONE} if none).
   */
  public Traffic traffic(Flow flow) {
    Tally tally = flows.get(flow);
    return tally == null ? Traffic.NONE : tally.traffic();
  }

  /** Every flow counted so far with its count. */
  public Map<Flow, Long> flows() {
    Map<Flow, Long> out = new LinkedHashMap<>();
    flows.forEach((flow, tally) -> out.put(flow, tally.messages().sum()));
    return Collections.unmodifiableMap(out);
  }

  /**
   * What the transport took from this node so far, by target cloud ({@link #EVERY_CLOUD} for
   * broadcasts and announcements), over every envelope type, ordered by cloud: the traffic this
   * node put on the bus towards each cloud. Cheap enough to read for every heartbeat (a sum over
   * the few flows).
   */
  public SortedMap<String, Traffic> sentByTarget() {
    SortedMap<String, Traffic> out = new TreeMap<>();
    flows.forEach(
        (flow, tally) -> {
          if (flow.direction() == Direction.SENT) {
            out.merge(flow.cloud(), tally.traffic(), Traffic::plus);
          }
        });
    return Collections.unmodifiableSortedMap(out);
  }

  /** The accepted and refused counts now. */
  public Counts snapshot() {
    Map<RefusalReason, Long> byReason = new EnumMap<>(RefusalReason.class);
    refused.forEach((reason, count) -> byReason.put(reason, count.sum()));
    return new Counts(accepted.sum(), Collections.unmodifiableMap(byReason));
  }

  /** The number of envelopes accepted so far, without a whole {@link #snapshot()}. */
  public long acceptedCount() {
    return accepted.sum();
  }

  /** The number refused for one reason so far, without a whole {@link #snapshot()}. */
  public long refusedCount(RefusalReason reason) {
    return refused.get(reason).sum();
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
