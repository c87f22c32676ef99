package io.cob.bench;

import java.util.Locale;

/**
 * What one run measures. P1 and P3 advance synchronously between their wait states; P2 and LAT make
 * every step durable (a committed job per step). FAILOVER is not a comparison: only cob takes part.
 */
public enum Workload {
  P1("p1", false, "start → 10 no-op service tasks → end, synchronous where the engine allows it"),
  P2(
      "p2",
      true,
      "start → 10 no-op service tasks → end, every step a committed job; start N, wait for all"),
  P3(
      "p3",
      false,
      "exclusive gateway, parallel fork/join of 3 branches, a message catch correlated from outside"),
  LAT("p2", true, "the P2 process under a fixed arrival rate: start-to-end latency"),
  HEAP(
      "waiting",
      false,
      "start → message catch → end: the live heap after starting 100,000 instances (by default) "
          + "that all wait for their message; one fill, no warm-up"),
  FAILOVER(
      "failover",
      true,
      "cob only: three clouds as three node JVMs on RabbitMQ, 1,000 instances (by default) of 5 HTTP "
          + "steps in flight at the owner, whose JVM is then killed; replication lag and recovery time");

  private final String processId;
  private final boolean durableSteps;
  private final String description;

  Workload(String processId, boolean durableSteps, String description) {
    this.processId = processId;
    this.durableSteps = durableSteps;
    this.description = description;
  }

  public String processId() {
    return processId;
  }

  /** Whether every service task is its own transaction (async continuation / committed job). */
  public boolean durableSteps() {
    return durableSteps;
  }

  public String description() {
    return description;
  }

  public static Workload parse(String text) {
    return valueOf(text.trim().toUpperCase(Locale.ROOT));
  }
}
