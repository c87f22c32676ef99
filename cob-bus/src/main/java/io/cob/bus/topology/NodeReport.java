package io.cob.bus.topology;

import io.cob.bus.BusCounters;
import io.cob.bus.BusCounters.Traffic;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a node tells every other node in its heartbeat besides its health view, so that each of them
 * can show every cloud and not only its own.
 *
 * @param instances its cloud's running instances as it last counted them, or {@code null} when it
 *     has not counted them (yet)
 * @param sent what this node put on the bus since it started, by target cloud ({@link
 *     BusCounters#EVERY_CLOUD} for announcements), never null
 */
public record NodeReport(InstanceCounts instances, SortedMap<String, Traffic> sent) {
  /** A node that reports nothing (one that has not counted yet, or an older version). */
  public static final NodeReport NONE = new NodeReport(null, new TreeMap<>());

  public NodeReport {
    sent = Collections.unmodifiableSortedMap(new TreeMap<>(sent == null ? Map.of() : sent));
  }
}
