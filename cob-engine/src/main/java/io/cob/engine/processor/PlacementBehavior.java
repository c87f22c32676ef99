package io.cob.engine.processor;

import io.cob.engine.event.InstanceEvent.JobCanceled;
import io.cob.engine.event.InstanceEvent.JobCreated;
import io.cob.engine.event.InstanceEvent.StepPlaced;
import io.cob.engine.processor.placement.PlacementDecider;
import io.cob.engine.processor.placement.PlacementDecision;
import io.cob.engine.processor.placement.PlacementDecision.ByDefault;
import io.cob.engine.processor.placement.PlacementDecision.Placed;
import io.cob.engine.processor.placement.PlacementDecision.Unplaceable;
import io.cob.engine.state.JobInfo;
import io.cob.model.EndEvent;
import io.cob.model.EventDefinition;
import io.cob.model.FlowNode;
import io.cob.model.IntermediateThrowEvent;
import io.cob.model.ServiceTask;

/**
 * Places the steps that create a job: decides their cloud (see {@link PlacementDecider}) when they
 * are activated, records the decision ({@link StepPlaced}) right before the job is created, and
 * places a job again when asked to. A step that cannot be placed gets an incident of kind {@value
 * #INCIDENT}; resolving it re-runs the activation, which places the step again.
 *
 * <p>Other steps (gateways, events, user tasks ...) keep the cloud their own {@code cob:cloud}
 * names, or the owner's.
 */
final class PlacementBehavior {
  static final String INCIDENT = "PLACEMENT";

  private final Behaviors b;
  private final ProcessingContext ctx;
  private final PlacementDecider decider;

  PlacementBehavior(Behaviors b) {
    this.b = b;
    this.ctx = b.ctx;
    this.decider = new PlacementDecider(ctx.settings.clouds());
  }

  /** Whether activating the node creates a job, i.e. whether placement applies to it. */
  static boolean createsJob(FlowNode node) {
    return switch (node) {
      case ServiceTask t -> true;
      case EndEvent e -> e.result() instanceof EventDefinition.Message && e.job() != null;
      case IntermediateThrowEvent e ->
          e.result() instanceof EventDefinition.Message && e.job() != null;
      default -> false;
    };
  }

  /** Decides where a step runs, from its model rule and the clouds as they are now. */
  PlacementDecision decide(String elementId) {
    return decider.decide(ctx.process.placementOf(elementId), elementId);
  }

  /**
   * Records the placement of element instance {@code key} before its job is created: the decision
   * made when it was activated in this command, else a new one.
   *
   * @throws IncidentSignal when no cloud may run the step
   */
  void place(long key) {
    String elementId = ctx.state.element(key).elementId();
    PlacementDecision d = ctx.pendingPlacements.remove(key);
    if (d == null) {
      d = decide(elementId);
    }
    switch (d) {
      case ByDefault x -> {
        // the owner's cloud: nothing to record
      }
      case Placed p -> record(key, elementId, p, "");
      case Unplaceable u -> throw new IncidentSignal(INCIDENT, u.reason());
    }
  }

  /**
   * Places an open job again ({@code ReplaceJob}): cancels it and creates a new job for the same
   * element instance on the cloud chosen now, or raises an incident when there is none.
   *
   * @return why the command is rejected, or {@code null} when it was applied
   */
  String replace(JobInfo job, String reason) {
    String prefix = reason == null || reason.isBlank() ? "" : reason.strip() + "; ";
    switch (decide(job.elementId())) {
      case ByDefault x -> {
        return "the model does not place '"
            + job.elementId()
            + "'; its job runs on the owner's cloud";
      }
      case Placed p -> {
        if (p.cloud().equals(job.cloud())) {
          return "job "
              + job.jobKey()
              + " of instance "
              + ctx.state.instanceId()
              + " is on '"
              + p.cloud()
              + "' already, the cloud its placement chooses now";
        }
        ctx.emit(new JobCanceled(job.jobKey(), job.elementId()));
        record(job.elementKey(), job.elementId(), p, prefix);
        ctx.emit(
            new JobCreated(
                ctx.newKey(),
                job.elementKey(),
                job.elementId(),
                job.type(),
                job.retries(),
                job.headers(),
                p.cloud()));
      }
      case Unplaceable u -> {
        ctx.emit(new JobCanceled(job.jobKey(), job.elementId()));
        b.flow.raiseIncident(job.elementKey(), INCIDENT, prefix + u.reason(), null);
      }
    }
    return null;
  }

  private void record(long key, String elementId, Placed p, String prefix) {
    ctx.emit(
        new StepPlaced(
            key, elementId, p.cloud(), prefix + p.reason(), p.alternatives(), p.rejected()));
  }
}
