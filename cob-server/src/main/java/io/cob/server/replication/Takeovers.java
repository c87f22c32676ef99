package io.cob.server.replication;

import java.util.function.Predicate;

/**
 * What the ownership guard asks of replication when a cloud is taken over ({@link Replication}).
 */
public interface Takeovers {
  /**
   * Whether some running instance of {@code from} held here is this cloud's to take over by itself:
   * one of which it is the first standby present.
   *
   * @param present whether a cloud's presence mark is on the broker now
   */
  boolean hasTakeoverCandidates(String from, Predicate<String> present);

  /**
   * What {@link #failover(String, String)} would do now, without doing it: how many running
   * instances of {@code from} held here it would take over, and those data residency keeps from
   * this cloud.
   */
  Replication.FailoverResult preview(String from);

  /** Takes over every running instance of {@code from} held here (by hand). */
  Replication.FailoverResult failover(String from, String reason);

  /** Takes over the instances of {@code from} of which this cloud is the first standby present. */
  Replication.FailoverResult failover(String from, String reason, Predicate<String> present);
}
