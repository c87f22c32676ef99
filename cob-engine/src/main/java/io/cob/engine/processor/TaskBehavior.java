package io.cob.engine.processor;

import io.cob.engine.event.InstanceEvent.JobCreated;
import io.cob.engine.event.InstanceEvent.UserTaskCreated;
import io.cob.model.JobDefinition;
import io.cob.model.ReceiveTask;
import io.cob.model.ServiceTask;
import io.cob.model.UserTask;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * Tasks that wait: service-like tasks create a job, receive tasks a subscription, user tasks a
 * task.
 */
final class TaskBehavior {
  private final Behaviors b;
  private final ProcessingContext ctx;

  TaskBehavior(Behaviors b) {
    this.b = b;
    this.ctx = b.ctx;
  }

  void activateService(ServiceTask t, long key) {
    createJob(key, t.job());
  }

  /**
   * Creates the job of an element; its retries and type are evaluated now, and the step is placed
   * (recorded) right before, so that the job carries the chosen cloud.
   */
  void createJob(long key, JobDefinition job) {
    String elementId = ctx.state.element(key).elementId();
    String type = ctx.evaluateString(job.type(), key, "job type of '" + elementId + "'");
    long retries = ctx.evaluateLong(job.retries(), key, "retries of '" + elementId + "'");
    b.placement.place(key);
    ctx.emit(
        new JobCreated(
            ctx.newKey(),
            key,
            elementId,
            type,
            (int) Math.max(1, retries),
            job.headers(),
            ctx.state.element(key).cloud()));
  }

  void activateReceive(ReceiveTask t, long key) {
    b.events.openSubscription(key, t.id(), t.message());
  }

  void activateUser(UserTask t, long key) {
    String assignee = ctx.evaluateOptionalString(t.assignee(), key, "assignee of '" + t.id() + "'");
    List<String> groups =
        ctx.evaluateStringList(t.candidateGroups(), key, "candidate groups of '" + t.id() + "'");
    List<String> users =
        ctx.evaluateStringList(t.candidateUsers(), key, "candidate users of '" + t.id() + "'");
    String due = ctx.evaluateOptionalString(t.dueDate(), key, "due date of '" + t.id() + "'");
    Instant dueDate = null;
    if (due != null && !due.isBlank()) {
      try {
        dueDate = OffsetDateTime.parse(due).toInstant();
      } catch (DateTimeParseException e) {
        throw new IncidentSignal(
            "EXPRESSION",
            "due date of '" + t.id() + "': '" + due + "' is not an ISO-8601 date-time");
      }
    }
    ctx.emit(
        new UserTaskCreated(
            ctx.newKey(), key, t.id(), t.name(), assignee, groups, users, t.formKey(), dueDate));
  }
}
