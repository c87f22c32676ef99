package io.cob.bench.failover;

import io.cob.bench.CpuClock;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * CPU time of what takes part in a repetition (the node JVMs and this JVM with the step service and
 * the clients), of the local RabbitMQ (which other users of the machine may share), and of the
 * whole machine: the machine is shared, and the difference is what other processes took while the
 * repetition ran.
 */
final class CpuAccount {
  private final Collection<NodeJvm> nodes;
  private final Optional<ProcessHandle> broker;
  private final Map<String, Double> lastOfNode = new LinkedHashMap<>();

  CpuAccount(Collection<NodeJvm> nodes) {
    this.nodes = List.copyOf(nodes);
    this.broker = localBroker();
  }

  /** RabbitMQ's Erlang VM on this machine, if there is one. */
  private static Optional<ProcessHandle> localBroker() {
    return ProcessHandle.allProcesses()
        .filter(p -> p.info().command().map(c -> c.endsWith("beam.smp")).orElse(false))
        .findFirst();
  }

  boolean brokerFound() {
    return broker.isPresent();
  }

  /**
   * CPU time of the JVMs taking part so far, in ms. A node that was killed counts with what it had
   * used when it was last asked, so ask right before a kill.
   */
  double oursMs() {
    double sum = Math.max(0, CpuClock.jvmMs());
    for (NodeJvm n : nodes) {
      double now = n.cpuMs();
      if (now >= 0) {
        lastOfNode.put(n.cloud(), now);
      }
      sum += lastOfNode.getOrDefault(n.cloud(), 0.0);
    }
    return sum;
  }

  /** CPU time of the local RabbitMQ so far, in ms; 0 when it is not on this machine. */
  double brokerMs() {
    return broker.flatMap(p -> p.info().totalCpuDuration()).map(d -> d.toNanos() / 1e6).orElse(0.0);
  }

  /** CPU time all processes of the machine have used, in ms; -1 when unknown. */
  double machineMs() {
    return CpuClock.machineBusyMs();
  }
}
