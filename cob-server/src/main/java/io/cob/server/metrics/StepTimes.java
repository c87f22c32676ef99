package io.cob.server.metrics;

import io.cob.engine.event.EventRecord;
import io.cob.engine.event.InstanceEvent;
import io.cob.engine.state.ElementInstance;
import io.cob.engine.state.InstanceState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How long steps took, read from the committed event log: from the {@code at} of the first {@code
 * JobCreated} of a step to the {@code at} of its {@code JobCompleted} (both the engine clock's time
 * of the command). Retries, back-off, incidents and a job placed again on another cloud (its job
 * canceled and created anew) are part of the step's time. A step whose completion came with {@code
 * JobRanRemotely} ran on that cloud; any other ran on this node's cloud.
 *
 * <p><b>What it cannot time.</b> It remembers the creation of the jobs this node committed, while
 * they are open. A step whose job another node of the cloud created (several nodes on one store),
 * or that was created before this node started, ends {@link Untimed}. At most {@code maxOpen} steps
 * are remembered; beyond that new ones end untimed too, so that memory stays bounded when jobs are
 * left open for long.
 *
 * <p>Fed by the engine's single writer thread; {@link #observe} is synchronized all the same, since
 * it is cheap and nothing else waits on it.
 */
final class StepTimes {
  /** How a step ended, for metrics. */
  sealed interface StepEnd {
    String processId();
  }

  /**
   * A step timed.
   *
   * @param ranOn the cloud that ran it
   * @param remote whether that is another cloud than this node's (it travelled over the bus)
   */
  record Timed(String processId, String elementType, String ranOn, boolean remote, Duration took)
      implements StepEnd {}

  /** A step completed whose start this node did not see. */
  record Untimed(String processId) implements StepEnd {}

  private record Open(Instant createdAt, String elementType) {}

  /** The open steps of one instance: by element instance key, and which job each job key is of. */
  private static final class InstanceSteps {
    final Map<Long, Open> byElement = new HashMap<>();
    final Map<Long, Long> elementOfJob = new HashMap<>();
  }

  private final String ownCloud;
  private final int maxOpen;
  private final Map<String, InstanceSteps> instances = new HashMap<>();
  private int open;

  StepTimes(String ownCloud, int maxOpen) {
    this.ownCloud = ownCloud;
    this.maxOpen = maxOpen;
  }

  /** How many steps are remembered now. */
  synchronized int open() {
    return open;
  }

  /** Takes in the events of one committed command and returns the steps they completed. */
  synchronized List<StepEnd> observe(InstanceState state, List<EventRecord> events) {
    String instanceId = state.instanceId();
    String processId = state.processId() == null ? "unknown" : state.processId();
    List<StepEnd> ended = new ArrayList<>(0);
    Map<Long, String> activatedTypes = null;
    Set<Long> canceledElements = null;
    String ranRemotelyOn = null;
    long ranRemotelyJob = -1;
    for (EventRecord r : events) {
      switch (r.event()) {
        case InstanceEvent.ElementActivated a -> {
          if (activatedTypes == null) {
            activatedTypes = new HashMap<>();
          }
          activatedTypes.put(a.key(), a.elementType());
        }
        case InstanceEvent.JobCreated j -> {
          String type = activatedTypes == null ? null : activatedTypes.get(j.elementKey());
          created(instanceId, j, r.at(), type != null ? type : elementType(state, j));
        }
        case InstanceEvent.JobRanRemotely remote -> {
          ranRemotelyOn = remote.cloud();
          ranRemotelyJob = remote.jobKey();
        }
        case InstanceEvent.JobCompleted c -> {
          boolean remote = ranRemotelyJob == c.jobKey() && !ownCloud.equals(ranRemotelyOn);
          Open step = close(instanceId, c.jobKey());
          if (step == null) {
            ended.add(new Untimed(processId));
          } else {
            Duration took = Duration.between(step.createdAt(), r.at());
            ended.add(
                new Timed(
                    processId,
                    step.elementType(),
                    remote ? ranRemotelyOn : ownCloud,
                    remote,
                    took.isNegative() ? Duration.ZERO : took));
          }
        }
        case InstanceEvent.JobErrorThrown e -> close(instanceId, e.jobKey());
        case InstanceEvent.JobCanceled c -> {
          // Kept until the end of the command: a job placed again is canceled, then created anew
          // for the same element, and the step goes on.
          Long element = jobEnded(instanceId, c.jobKey());
          if (element != null) {
            if (canceledElements == null) {
              canceledElements = new HashSet<>();
            }
            canceledElements.add(element);
          }
        }
        case InstanceEvent.InstanceEnded e -> forget(instanceId);
        default -> {
          // not about steps
        }
      }
    }
    if (canceledElements != null) {
      InstanceSteps steps = instances.get(instanceId);
      if (steps != null) {
        for (Long element : canceledElements) {
          if (!steps.elementOfJob.containsValue(element)
              && steps.byElement.remove(element) != null) {
            open--;
          }
        }
        dropIfEmpty(instanceId, steps);
      }
    }
    return ended;
  }

  private static String elementType(InstanceState state, InstanceEvent.JobCreated j) {
    ElementInstance element = state.element(j.elementKey());
    return element == null ? "unknown" : element.elementType();
  }

  private void created(String instanceId, InstanceEvent.JobCreated j, Instant at, String type) {
    InstanceSteps steps = instances.get(instanceId);
    if (steps != null && steps.byElement.containsKey(j.elementKey())) {
      steps.elementOfJob.put(j.jobKey(), j.elementKey()); // the same step, its job made anew
      return;
    }
    if (open >= maxOpen) {
      return;
    }
    if (steps == null) {
      steps = new InstanceSteps();
      instances.put(instanceId, steps);
    }
    steps.byElement.put(j.elementKey(), new Open(at, type));
    steps.elementOfJob.put(j.jobKey(), j.elementKey());
    open++;
  }

  /** Forgets the job's link to its step; returns the step's element key, or {@code null}. */
  private Long jobEnded(String instanceId, long jobKey) {
    InstanceSteps steps = instances.get(instanceId);
    return steps == null ? null : steps.elementOfJob.remove(jobKey);
  }

  /** Ends the step of a job; returns it, or {@code null} when it was not remembered. */
  private Open close(String instanceId, long jobKey) {
    InstanceSteps steps = instances.get(instanceId);
    if (steps == null) {
      return null;
    }
    Long element = steps.elementOfJob.remove(jobKey);
    Open step = element == null ? null : steps.byElement.remove(element);
    if (step != null) {
      open--;
    }
    dropIfEmpty(instanceId, steps);
    return step;
  }

  private void forget(String instanceId) {
    InstanceSteps steps = instances.remove(instanceId);
    if (steps != null) {
      open -= steps.byElement.size();
    }
  }

  private void dropIfEmpty(String instanceId, InstanceSteps steps) {
    if (steps.byElement.isEmpty() && steps.elementOfJob.isEmpty()) {
      instances.remove(instanceId);
    }
  }
}
