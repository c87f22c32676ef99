package io.cob.demo;

import io.cob.demo.TraceLine.Kind;
import io.cob.engine.Engine;
import io.cob.engine.port.StoreRows.UserTaskQuery;
import io.cob.engine.port.StoreRows.UserTaskRow;
import io.cob.engine.state.InstanceState;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Follows one instance on its owner node until it ends: reads the growing history into trace lines,
 * plays the people at user tasks, and stages the outage when the instance reaches its point. Polls
 * every 20 ms; runs on the caller's thread.
 */
final class InstanceDriver {
  private static final Duration POLL = Duration.ofMillis(20);

  private final Engine engine;
  private final String node;
  private final HistoryTrace history;
  private final DemoScenario scenario;
  private final CloudOutage outage;
  private final Consumer<TraceLine> sink;
  private final List<String> notes;
  private final Set<String> handledTasks = new HashSet<>();
  private Instant origin;
  private boolean outageDone;

  InstanceDriver(
      Engine engine,
      String node,
      HistoryTrace history,
      DemoScenario scenario,
      CloudOutage outage,
      Consumer<TraceLine> sink,
      List<String> notes) {
    this.engine = engine;
    this.node = node;
    this.history = history;
    this.scenario = scenario;
    this.outage = outage;
    this.sink = sink;
    this.notes = notes;
  }

  /**
   * Drives {@code instanceId} until it ends, has an incident, or {@code deadline} passes.
   *
   * @return its state then
   */
  InstanceState drive(String instanceId, Instant origin, Instant deadline) {
    this.origin = origin;
    while (true) {
      InstanceState state = engine.instance(instanceId).orElseThrow();
      List<TraceLine> lines = history.feed(engine.history(instanceId));
      lines.forEach(sink);
      for (TraceLine l : lines) {
        stageOutageIfDue(l);
      }
      if (!state.isActive() || !state.incidents().isEmpty() || Instant.now().isAfter(deadline)) {
        history.feed(engine.history(instanceId)).forEach(sink);
        return engine.instance(instanceId).orElseThrow();
      }
      actAsPeople(instanceId);
      LockSupport.parkNanos(POLL.toNanos());
    }
  }

  /** Completes every open user task of the instance as its scripted decision says. */
  private void actAsPeople(String instanceId) {
    List<UserTaskRow> open =
        engine.store().userTasks(new UserTaskQuery(instanceId, null, null, null, 50));
    for (UserTaskRow task : open) {
      if (!handledTasks.add(task.key())) {
        continue;
      }
      HumanDecision d = scenario.decisions().get(task.elementId());
      if (d == null) {
        throw new IllegalStateException(
            "the demo has no decision for user task '"
                + task.elementId()
                + "' ("
                + task.name()
                + ")");
      }
      sink.accept(
          new TraceLine(
              Duration.between(origin, Instant.now()),
              null,
              "demo",
              d.actor(),
              d.action(),
              Kind.PERSON,
              null));
      engine.completeUserTask(task.key(), Map.copyOf(d.variables()));
    }
  }

  private void stageOutageIfDue(TraceLine l) {
    Optional<OutagePlan> plan = scenario.outage();
    if (outageDone || plan.isEmpty() || !reached(plan.get().whenReached())) {
      return;
    }
    outageDone = true;
    OutagePlan p = plan.get();
    Optional<String> refused = outage.cut(p.cloud());
    String what =
        refused
            .map(why -> "outage of " + p.cloud() + " NOT staged: " + why)
            .orElse(
                "outage: cloud "
                    + p.cloud()
                    + " cut off the bus; step '"
                    + p.affectedStep()
                    + "' must be placed elsewhere");
    sink.accept(
        new TraceLine(
            Duration.between(origin, Instant.now()),
            p.cloud(),
            node,
            "outage of " + p.cloud(),
            what,
            Kind.OUTAGE,
            null));
    refused.ifPresent(
        why -> notes.add("The outage of " + p.cloud() + " was not staged: " + why + "."));
  }

  private boolean reached(String elementId) {
    return history.reached().contains(elementId);
  }
}
