package io.cob.engine.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.cob.engine.Engine;
import io.cob.engine.EngineHarness;
import io.cob.engine.port.StoreRows.IncidentRow;
import io.cob.engine.port.StoreRows.JobRow;
import io.cob.engine.port.StoreRows.UserTaskQuery;
import io.cob.engine.port.StoreRows.UserTaskRow;
import io.cob.engine.runtime.PublishResult;
import io.cob.engine.state.ElementInstance;
import io.cob.engine.state.EventApplier;
import io.cob.engine.state.InstanceSnapshot;
import io.cob.engine.state.InstanceState;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Runs a {@link Scenario} on an {@link EngineHarness}: deploys its process, starts an instance and
 * takes its steps until the instance ends or the steps run out. After every step it waits until the
 * engine is idle ({@link EngineHarness#settle()}, which checks every instance against a replay of
 * its log) and then checks the instance under test once more, naming the step: the state rebuilt
 * from its log equals the stored one, and an active instance waits for something.
 *
 * <p>What it did is kept as a transcript, so that a failure can be read and redone by hand.
 */
final class ScenarioDriver {
  private final EngineHarness harness;
  private final List<String> transcript = new ArrayList<>();
  private String instanceId;

  ScenarioDriver(EngineHarness harness) {
    this.harness = harness;
  }

  /**
   * Runs the scenario; any failure is rethrown with the model and the transcript in its message.
   */
  void run(Scenario scenario) {
    String xml = scenario.xml();
    try {
      harness.deploy(xml);
      transcript.add("start " + ProcessShape.PROCESS_ID + " with " + scenario.startVariables());
      instanceId =
          harness
              .engine()
              .startInstance(ProcessShape.PROCESS_ID, 0, scenario.startVariables(), null);
      settleAndCheck("after the start");
      int n = 0;
      for (Step step : scenario.steps()) {
        if (!state().isActive()) {
          break;
        }
        n++;
        Action action = actionFor(step);
        transcript.add("#" + n + " " + action.description());
        String outcome = action.run().get();
        transcript.set(transcript.size() - 1, "#" + n + " " + action.description() + outcome);
        settleAndCheck("after step #" + n + " (" + action.description() + ")");
        transcript.add("   -> " + summary());
      }
    } catch (Throwable t) {
      throw new AssertionError(report(xml, t), t);
    }
  }

  List<String> transcript() {
    return List.copyOf(transcript);
  }

  String instanceId() {
    return instanceId;
  }

  private String report(String xml, Throwable t) {
    return "replay scenario failed: "
        + t
        + "\n--- model ---\n"
        + xml
        + "--- steps ---\n"
        + String.join("\n", transcript)
        + "\n";
  }

  private void settleAndCheck(String when) {
    harness.settle();
    assertReplayEquivalent(when);
    assertCanMoveOn(when);
  }

  /**
   * A settled, active instance waits for something: a job, a user task, a timer, a message or a
   * person resolving an incident. The models are block-structured, so a token can never be left
   * waiting at a join for a token that will not come; an active instance without any of these would
   * hang silently.
   */
  void assertCanMoveOn(String when) {
    InstanceState s = state();
    if (!s.isActive()) {
      return;
    }
    assertThat(
            s.jobs().size()
                + s.userTasks().size()
                + s.timers().size()
                + s.subscriptions().size()
                + s.incidents().size())
        .withFailMessage(
            () ->
                "instance "
                    + instanceId
                    + " is active "
                    + when
                    + " but waits for nothing: elements="
                    + s.elements().values()
                    + " join arrivals="
                    + s.allJoinArrivals())
        .isPositive();
  }

  /** The state rebuilt from the instance's log equals the state the store holds. */
  void assertReplayEquivalent(String when) {
    InstanceSnapshot stored = state().toSnapshot();
    InstanceSnapshot replayed =
        EventApplier.replay(harness.store().history(instanceId)).toSnapshot();
    assertThat(replayed)
        .withFailMessage(
            () ->
                "state of "
                    + instanceId
                    + " rebuilt from its log differs from the stored state "
                    + when
                    + ": "
                    + differences(stored, replayed))
        .isEqualTo(stored);
  }

  /** The snapshot fields that differ, each as {@code name: stored=... replayed=...}. */
  static String differences(InstanceSnapshot stored, InstanceSnapshot replayed) {
    StringBuilder out = new StringBuilder();
    for (RecordComponent c : InstanceSnapshot.class.getRecordComponents()) {
      try {
        Object a = c.getAccessor().invoke(stored);
        Object b = c.getAccessor().invoke(replayed);
        if (!Objects.equals(a, b)) {
          out.append("\n  ")
              .append(c.getName())
              .append(": stored=")
              .append(a)
              .append("\n  ")
              .append(" ".repeat(c.getName().length()))
              .append("  replayed=")
              .append(b);
        }
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(e);
      }
    }
    return out.toString();
  }

  private InstanceState state() {
    return harness.engine().instance(instanceId).orElseThrow();
  }

  private String summary() {
    InstanceState s = state();
    List<String> active =
        s.elements().values().stream()
            .filter(e -> e.key() != InstanceState.ROOT_KEY)
            .map(ElementInstance::elementId)
            .toList();
    return s.status()
        + " active="
        + active
        + " jobs="
        + workJobs().stream().map(JobRow::elementId).toList()
        + " incidents="
        + incidents().stream().map(i -> i.elementId() + "/" + i.kind()).toList()
        + " timers="
        + s.timers().size()
        + " subscriptions="
        + s.subscriptions().size();
  }

  // ---- actions

  /** What a step does, described before it runs; {@code run} may return what came of it. */
  private record Action(String description, Supplier<String> run) {}

  private static Action action(String description, Runnable run) {
    return new Action(
        description,
        () -> {
          run.run();
          return "";
        });
  }

  /** Chooses the action of a step against the instance as it now is. */
  private Action actionFor(Step step) {
    Engine engine = harness.engine();
    Step.Kind kind = available(step.kind()) ? step.kind() : fallback(step.pick());
    Map<String, Object> vars = step.variables();
    return switch (kind) {
      case COMPLETE_JOB -> {
        JobRow job = pick(workJobs(), step.pick());
        yield action(
            "completeJob " + job.elementId() + " (job " + number(job.key()) + ") with " + vars,
            () -> engine.completeJob(job.key(), vars));
      }
      case FAIL_JOB -> {
        JobRow job = pick(workJobs(), step.pick());
        yield action(
            "failJob "
                + job.elementId()
                + " (job "
                + number(job.key())
                + ") retries="
                + step.retries(),
            () -> engine.failJob(job.key(), step.retries(), "failed by the driver", null));
      }
      case THROW_ERROR -> {
        JobRow job = pick(workJobs(), step.pick());
        yield action(
            "throwError "
                + step.errorCode()
                + " from "
                + job.elementId()
                + " (job "
                + number(job.key())
                + ") with "
                + vars,
            () -> engine.throwError(job.key(), step.errorCode(), "thrown by the driver", vars));
      }
      case COMPLETE_USER_TASK -> {
        UserTaskRow task = pick(userTasks(), step.pick());
        yield action(
            "completeUserTask "
                + task.elementId()
                + " (task "
                + number(task.key())
                + ") with "
                + vars,
            () -> engine.completeUserTask(task.key(), vars));
      }
      case PUBLISH_MESSAGE -> {
        String key =
            step.matchingKey()
                ? (String) state().localVariables(InstanceState.ROOT_KEY).get("key")
                : "no-such-key";
        yield new Action(
            "publishMessage "
                + step.message()
                + " key="
                + key
                + " ttl="
                + step.timeToLive()
                + " with "
                + vars,
            () -> {
              PublishResult r =
                  engine.publishMessage(step.message(), key, vars, step.timeToLive(), null);
              return " -> correlated=" + r.correlated().size() + " buffered=" + r.buffered();
            });
      }
      case ADVANCE_CLOCK ->
          action(
              "advance clock by " + step.advance(), () -> harness.clock().advance(step.advance()));
      case RESOLVE_INCIDENT -> {
        IncidentRow incident = pick(incidents(), step.pick());
        yield action(
            "resolveIncident "
                + incident.kind()
                + " at "
                + incident.elementId()
                + " (incident "
                + number(incident.key())
                + ")",
            () -> engine.resolveIncident(incident.key(), 1));
      }
      case CANCEL -> action("cancel", () -> engine.cancel(instanceId));
    };
  }

  private boolean available(Step.Kind kind) {
    return switch (kind) {
      case COMPLETE_JOB, FAIL_JOB, THROW_ERROR -> !workJobs().isEmpty();
      case COMPLETE_USER_TASK -> !userTasks().isEmpty();
      case RESOLVE_INCIDENT -> !incidents().isEmpty();
      case PUBLISH_MESSAGE, ADVANCE_CLOCK, CANCEL -> true;
    };
  }

  /** Another kind, when the wanted one has nothing to act on; never a cancel. */
  private Step.Kind fallback(int pick) {
    List<Step.Kind> kinds = new ArrayList<>();
    for (Step.Kind k : Step.Kind.values()) {
      if (k != Step.Kind.CANCEL && available(k)) {
        kinds.add(k);
      }
    }
    return pick(kinds, pick);
  }

  private static <T> T pick(List<T> candidates, int pick) {
    return candidates.get(Math.floorMod(pick, candidates.size()));
  }

  /** Open jobs of type "work", in key order (the order the instance created them). */
  private List<JobRow> workJobs() {
    return harness.store().jobs(instanceId).stream()
        .filter(j -> ProcessShape.WORK.equals(j.type()))
        .sorted(Comparator.comparingLong(ScenarioDriver::number))
        .toList();
  }

  private List<UserTaskRow> userTasks() {
    return harness.store().userTasks(new UserTaskQuery(instanceId, null, null, null, 1000)).stream()
        .sorted(Comparator.comparingLong(t -> number(t.key())))
        .toList();
  }

  private List<IncidentRow> incidents() {
    return harness.store().incidents(instanceId).stream()
        .sorted(Comparator.comparingLong(i -> number(i.key())))
        .toList();
  }

  private static long number(JobRow j) {
    return number(j.key());
  }

  /** The instance-local number of a global key {@code instanceId:number}. */
  private static long number(String key) {
    return Long.parseLong(key.substring(key.lastIndexOf(':') + 1));
  }
}
