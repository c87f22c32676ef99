package io.cob.engine.processor;

import io.cob.engine.command.InstanceCommand;
import io.cob.engine.command.InstanceCommand.AdoptLog;
import io.cob.engine.command.InstanceCommand.CancelInstance;
import io.cob.engine.command.InstanceCommand.ChildEnded;
import io.cob.engine.command.InstanceCommand.CompleteJob;
import io.cob.engine.command.InstanceCommand.CompleteUserTask;
import io.cob.engine.command.InstanceCommand.CorrelateMessage;
import io.cob.engine.command.InstanceCommand.FailJob;
import io.cob.engine.command.InstanceCommand.HandOver;
import io.cob.engine.command.InstanceCommand.PublishMessage;
import io.cob.engine.command.InstanceCommand.RecordConflict;
import io.cob.engine.command.InstanceCommand.ReplaceJob;
import io.cob.engine.command.InstanceCommand.ReplicateEvents;
import io.cob.engine.command.InstanceCommand.ResolveIncident;
import io.cob.engine.command.InstanceCommand.StartInstance;
import io.cob.engine.command.InstanceCommand.TakeOwnership;
import io.cob.engine.command.InstanceCommand.ThrowError;
import io.cob.engine.command.InstanceCommand.TriggerTimer;
import io.cob.engine.command.RemoteRun;
import io.cob.engine.event.EventRecord;
import io.cob.engine.event.InstanceEvent.ChildInstanceEnded;
import io.cob.engine.event.InstanceEvent.ElementActivated;
import io.cob.engine.event.InstanceEvent.IncidentCreated;
import io.cob.engine.event.InstanceEvent.IncidentResolved;
import io.cob.engine.event.InstanceEvent.InstanceCreated;
import io.cob.engine.event.InstanceEvent.InstanceEnded;
import io.cob.engine.event.InstanceEvent.InstanceTraced;
import io.cob.engine.event.InstanceEvent.JobCompleted;
import io.cob.engine.event.InstanceEvent.JobErrorThrown;
import io.cob.engine.event.InstanceEvent.JobFailed;
import io.cob.engine.event.InstanceEvent.JobRanRemotely;
import io.cob.engine.event.InstanceEvent.JobRetriesUpdated;
import io.cob.engine.event.InstanceEvent.OwnershipTaken;
import io.cob.engine.event.InstanceEvent.ReplicaConflict;
import io.cob.engine.event.InstanceEvent.UserTaskCompleted;
import io.cob.engine.event.InstanceEvent.VariablesSet;
import io.cob.engine.port.IdGenerator;
import io.cob.engine.state.ElementInstance;
import io.cob.engine.state.EventApplier;
import io.cob.engine.state.IncidentInfo;
import io.cob.engine.state.InstanceState;
import io.cob.engine.state.JobInfo;
import io.cob.engine.state.SubscriptionInfo;
import io.cob.engine.state.TimerInfo;
import io.cob.engine.state.UserTaskInfo;
import io.cob.engine.value.Values;
import io.cob.model.CallActivity;
import io.cob.model.EventDefinition;
import io.cob.model.FlowNode;
import io.cob.model.ProcessDefinition;
import io.cob.model.StartEvent;
import io.cob.model.expr.ExpressionEvaluator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns one command into events for one instance: checks that the command fits the instance's state
 * (else rejects it, changing nothing), emits the events of the command, then advances every token
 * it can until each waits. Pure: no I/O, all time from the clock, all ids from the generator; the
 * same command on the same state yields the same events.
 *
 * <p>Thread-safe: it keeps no state between calls; callers serialise commands per instance.
 */
public final class CommandProcessor {
  private final ProcessLookup processes;
  private final ExpressionEvaluator evaluator;
  private final Clock clock;
  private final IdGenerator ids;
  private final ProcessingSettings settings;

  public CommandProcessor(
      ProcessLookup processes,
      ExpressionEvaluator evaluator,
      Clock clock,
      IdGenerator ids,
      ProcessingSettings settings) {
    this.processes = processes;
    this.evaluator = evaluator;
    this.clock = clock;
    this.ids = ids;
    this.settings = settings;
  }

  /**
   * Processes a command.
   *
   * @param state the instance's current state, or {@code null} when it does not exist (only {@link
   *     StartInstance} is then accepted); it is changed in place when the command is accepted
   */
  public ProcessingResult process(
      InstanceState state, InstanceCommand command, MessageBuffer buffer) {
    Instant now = clock.instant();
    String badVariables = checkVariables(command);
    if (badVariables != null) {
      return ProcessingResult.rejected(state, badVariables);
    }
    if (command instanceof ReplicateEvents replica) {
      return replicate(state, replica);
    }
    if (command instanceof AdoptLog adopt) {
      return adopt(state, adopt, now);
    }
    String fenced = state == null || ownedHere(state) ? fenced(state, command) : null;
    if (fenced != null) {
      return ProcessingResult.rejected(state, io.cob.engine.port.OwnershipFence.refusal(fenced));
    }
    if (command instanceof StartInstance start) {
      if (state != null) {
        return ProcessingResult.rejected(
            state, "instance " + start.instanceId() + " exists already");
      }
      Optional<ProcessLookup.Deployed> def = processes.find(start.processId(), start.version());
      if (def.isEmpty()) {
        return ProcessingResult.rejected(
            null,
            "process '"
                + start.processId()
                + "'"
                + (start.version() > 0 ? " version " + start.version() : "")
                + " is not deployed");
      }
      InstanceState fresh = new InstanceState();
      ProcessingContext ctx =
          new ProcessingContext(
              fresh, def.get().definition(), now, evaluator, ids, settings, processes, buffer);
      String why = start(ctx, start, def.get().version());
      if (why != null) {
        return ProcessingResult.rejected(null, why);
      }
      return finish(ctx);
    }
    if (state == null) {
      return ProcessingResult.rejected(
          null, "instance " + command.instanceId() + " does not exist");
    }
    if (!ownedHere(state) && !(command instanceof TakeOwnership)) {
      return ProcessingResult.rejected(
          state,
          "instance %s is owned by cloud '%s' (epoch %d); this node's cloud '%s' holds a replica of it: send the command to a node of '%s'"
              .formatted(
                  command.instanceId(),
                  state.ownerCloud(),
                  state.epoch(),
                  settings.cloud(),
                  state.ownerCloud()));
    }
    if (command instanceof RecordConflict conflict) {
      return recordConflict(state, conflict, now);
    }
    if (!state.isActive()) {
      return ProcessingResult.rejected(
          state, "instance " + command.instanceId() + " has ended (" + state.status() + ")");
    }
    ProcessDefinition def =
        processes
            .find(state.processId(), state.version())
            .map(ProcessLookup.Deployed::definition)
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "definition of "
                            + state.processId()
                            + " v"
                            + state.version()
                            + " is missing"));
    ProcessingContext ctx =
        new ProcessingContext(state, def, now, evaluator, ids, settings, processes, buffer);
    Behaviors b = new Behaviors(ctx);
    String why =
        switch (command) {
          case StartInstance s -> throw new IllegalStateException("handled above");
          case CompleteJob c -> completeJob(b, c);
          case FailJob f -> failJob(b, f);
          case ThrowError t -> throwError(b, t);
          case TriggerTimer t -> triggerTimer(b, t);
          case CorrelateMessage m -> correlate(b, m);
          case CompleteUserTask t -> completeUserTask(b, t);
          case CancelInstance c -> cancel(b);
          case ResolveIncident r -> resolveIncident(b, r);
          case ReplaceJob r -> replaceJob(b, r);
          case ChildEnded c -> childEnded(b, c);
          case TakeOwnership t -> takeOwnership(b, t);
          case HandOver h -> handOver(b, h);
          case AdoptLog a -> throw new IllegalStateException("handled above");
          case RecordConflict r -> throw new IllegalStateException("handled above");
          case PublishMessage m -> "a message to publish is no command for an instance";
          case ReplicateEvents r -> throw new IllegalStateException("handled above");
        };
    if (why != null) {
      return ProcessingResult.rejected(state, why);
    }
    ctx.drain(b.flow::checkScope, b.gateways::checkInclusiveJoin);
    return finish(ctx);
  }

  /** Variables that cannot be stored are refused before anything happens. */
  private static String checkVariables(InstanceCommand command) {
    Map<String, Object> vars =
        switch (command) {
          case StartInstance s -> s.variables();
          case CompleteJob c -> c.variables();
          case ThrowError t -> t.variables();
          case CorrelateMessage m -> m.variables();
          case CompleteUserTask t -> t.variables();
          case ChildEnded c -> c.variables();
          case PublishMessage m -> m.variables();
          case FailJob f -> null;
          case TriggerTimer t -> null;
          case CancelInstance c -> null;
          case ResolveIncident r -> null;
          case ReplaceJob r -> null;
          case TakeOwnership t -> null;
          case ReplicateEvents r -> null;
          case HandOver h -> null;
          case AdoptLog a -> null;
          case RecordConflict r -> null;
        };
    try {
      Values.canonicalMap(vars);
      return null;
    } catch (IllegalArgumentException e) {
      return "variables: " + e.getMessage();
    }
  }

  /** A job that a command about its outcome may concern: existing, and not held by an incident. */
  private static String jobProblem(JobInfo job, long jobKey, String instanceId) {
    if (job == null) {
      return "job " + jobKey + " of instance " + instanceId + " does not exist or is done";
    }
    if (job.retries() <= 0) {
      return "job "
          + jobKey
          + " of instance "
          + instanceId
          + " has no retries left; an incident holds it until it is resolved";
    }
    return null;
  }

  private String start(ProcessingContext ctx, StartInstance s, int version) {
    ProcessDefinition def = ctx.process;
    StartEvent startEvent;
    if (s.startElementId() != null) {
      FlowNode n = def.nodes().get(s.startElementId());
      if (!(n instanceof StartEvent se) || !se.scopeId().equals(def.id())) {
        return "'" + s.startElementId() + "' is not a start event of process '" + def.id() + "'";
      }
      startEvent = se;
    } else {
      List<StartEvent> starts = def.startEvents(def.id());
      startEvent =
          starts.stream()
              .filter(e -> e.trigger() instanceof EventDefinition.None)
              .findFirst()
              .orElse(
                  starts.size() == 1 && starts.get(0).trigger() instanceof EventDefinition.Timer
                      ? starts.get(0)
                      : null);
      if (startEvent == null) {
        return "process '" + def.id() + "' has no none start event; it starts by message or timer";
      }
    }
    Map<String, Object> vars;
    try {
      vars = Values.canonicalMap(s.variables());
    } catch (IllegalArgumentException e) {
      return "variables: " + e.getMessage();
    }
    Behaviors b = new Behaviors(ctx);
    ctx.emit(
        new InstanceCreated(
            s.instanceId(),
            def.id(),
            version,
            s.businessKey(),
            s.parentInstanceId(),
            s.parentElementKey(),
            settings.cloud(),
            vars));
    if (s.traceparent() != null) {
      ctx.emit(new InstanceTraced(s.traceparent()));
    }
    ctx.emit(
        new ElementActivated(
            InstanceState.ROOT_KEY, def.id(), "process", 0, null, null, List.of(), null));
    if (!vars.isEmpty()) {
      ctx.emit(new VariablesSet(InstanceState.ROOT_KEY, vars));
    }
    StartEvent first = startEvent;
    ctx.later(() -> b.flow.arrive(first, InstanceState.ROOT_KEY, null));
    ctx.drain(b.flow::checkScope, b.gateways::checkInclusiveJoin);
    return null;
  }

  /**
   * Records where a job ran when another cloud reports its outcome; refuses an outcome from a cloud
   * the job is not placed on (a late answer for a job placed elsewhere since).
   */
  private String ranRemotely(Behaviors b, JobInfo job, RemoteRun run) {
    if (run == null) {
      return null;
    }
    String placed = job.cloud() == null ? settings.cloud() : job.cloud();
    if (!placed.equals(run.cloud())) {
      return "job "
          + job.jobKey()
          + " of instance "
          + b.ctx.state.instanceId()
          + " is placed on cloud '"
          + placed
          + "', not on '"
          + run.cloud()
          + "' that reported its outcome";
    }
    b.ctx.emit(
        new JobRanRemotely(
            job.jobKey(),
            job.elementId(),
            run.cloud(),
            run.node(),
            run.sentAt(),
            run.receivedAt(),
            run.startedAt(),
            run.finishedAt(),
            run.resultSentAt(),
            run.resultReceivedAt()));
    return null;
  }

  private String completeJob(Behaviors b, CompleteJob c) {
    JobInfo job = b.ctx.state.jobs().get(c.jobKey());
    String problem = jobProblem(job, c.jobKey(), c.instanceId());
    if (problem == null) {
      problem = ranRemotely(b, job, c.remote());
    }
    if (problem != null) {
      return problem;
    }
    Map<String, Object> vars = Values.canonicalMap(c.variables());
    b.ctx.emit(new JobCompleted(job.jobKey(), job.elementId(), vars));
    FlowNode node = b.ctx.process.node(job.elementId());
    b.variables.setResult(job.elementKey(), FlowControl.ioOf(node), vars);
    b.flow.complete(job.elementKey());
    return null;
  }

  private String failJob(Behaviors b, FailJob f) {
    JobInfo job = b.ctx.state.jobs().get(f.jobKey());
    String problem = jobProblem(job, f.jobKey(), f.instanceId());
    if (problem == null) {
      problem = ranRemotely(b, job, f.remote());
    }
    if (problem != null) {
      return problem;
    }
    int retries = f.retries() != null ? f.retries() : job.retries() - 1;
    Duration backoff = f.backoff();
    if (backoff == null) {
      long factor = 1L << Math.min(20, job.failures());
      backoff = settings.initialBackoff().multipliedBy(factor);
      if (backoff.compareTo(settings.maxBackoff()) > 0) {
        backoff = settings.maxBackoff();
      }
    }
    String message = f.errorMessage() == null ? "job failed" : f.errorMessage();
    Instant retryAt = retries > 0 ? b.ctx.now.plus(backoff) : b.ctx.now;
    b.ctx.emit(
        new JobFailed(job.jobKey(), job.elementId(), Math.max(0, retries), message, retryAt));
    if (retries <= 0) {
      b.ctx.emit(
          new IncidentCreated(
              b.ctx.newKey(),
              job.elementKey(),
              job.elementId(),
              job.jobKey(),
              "JOB_NO_RETRIES",
              message));
    }
    return null;
  }

  private String throwError(Behaviors b, ThrowError t) {
    JobInfo job = b.ctx.state.jobs().get(t.jobKey());
    String problem = jobProblem(job, t.jobKey(), t.instanceId());
    if (problem == null) {
      problem = ranRemotely(b, job, t.remote());
    }
    if (problem != null) {
      return problem;
    }
    b.ctx.emit(new JobErrorThrown(job.jobKey(), job.elementId(), t.errorCode(), t.errorMessage()));
    b.errors.throwError(
        job.elementKey(),
        t.errorCode(),
        "job of '" + job.elementId() + "'",
        Values.canonicalMap(t.variables()));
    return null;
  }

  private String triggerTimer(Behaviors b, TriggerTimer t) {
    TimerInfo timer = b.ctx.state.timers().get(t.timerKey());
    if (timer == null) {
      return "timer " + t.timerKey() + " of instance " + t.instanceId() + " does not exist";
    }
    if (timer.dueAt().isAfter(b.ctx.now)) {
      return "timer "
          + t.timerKey()
          + " of instance "
          + t.instanceId()
          + " is not due before "
          + timer.dueAt();
    }
    b.events.onTimer(timer);
    return null;
  }

  private String correlate(Behaviors b, CorrelateMessage m) {
    SubscriptionInfo sub = b.ctx.state.subscriptions().get(m.subscriptionKey());
    if (sub == null) {
      return "subscription "
          + m.subscriptionKey()
          + " of instance "
          + m.instanceId()
          + " is closed";
    }
    b.events.onMessage(sub, m.messageId(), m.messageName(), Values.canonicalMap(m.variables()));
    return null;
  }

  private String completeUserTask(Behaviors b, CompleteUserTask c) {
    UserTaskInfo task = b.ctx.state.userTasks().get(c.taskKey());
    if (task == null) {
      return "user task "
          + c.taskKey()
          + " of instance "
          + c.instanceId()
          + " does not exist or is done";
    }
    Map<String, Object> vars = Values.canonicalMap(c.variables());
    b.ctx.emit(new UserTaskCompleted(task.taskKey(), task.elementId(), vars));
    b.variables.setResult(
        task.elementKey(), FlowControl.ioOf(b.ctx.process.node(task.elementId())), vars);
    b.flow.complete(task.elementKey());
    return null;
  }

  private String cancel(Behaviors b) {
    b.flow.terminate(InstanceState.ROOT_KEY);
    b.ctx.emit(new InstanceEnded("CANCELED"));
    b.containers.notifyParent("CANCELED", Map.of());
    return null;
  }

  private String resolveIncident(Behaviors b, ResolveIncident r) {
    IncidentInfo incident = b.ctx.state.incidents().get(r.incidentKey());
    if (incident == null) {
      return "incident "
          + r.incidentKey()
          + " of instance "
          + r.instanceId()
          + " does not exist or is resolved";
    }
    b.ctx.emit(new IncidentResolved(incident.incidentKey(), incident.elementId()));
    if (incident.jobKey() != null && b.ctx.state.jobs().containsKey(incident.jobKey())) {
      b.ctx.emit(
          new JobRetriesUpdated(incident.jobKey(), incident.elementId(), Math.max(1, r.retries())));
    } else if (b.ctx.state.element(incident.elementKey()) != null) {
      if (FlowControl.COMPLETION_KINDS.contains(incident.kind())) {
        b.flow.complete(incident.elementKey());
      } else {
        b.flow.runActivation(incident.elementKey());
      }
    }
    return null;
  }

  private String replaceJob(Behaviors b, ReplaceJob r) {
    JobInfo job = b.ctx.state.jobs().get(r.jobKey());
    String problem = jobProblem(job, r.jobKey(), r.instanceId());
    if (problem != null) {
      return problem;
    }
    return b.placement.replace(job, r.reason());
  }

  /**
   * Why this node may not commit the command now (its ownership lease), asked with the instance's
   * process: a process that names standbys of its own is fenced like a cloud with standbys.
   */
  private String fenced(InstanceState state, InstanceCommand command) {
    Optional<ProcessLookup.Deployed> def =
        state != null
            ? processes.find(state.processId(), state.version())
            : command instanceof StartInstance start
                ? processes.find(start.processId(), start.version())
                : Optional.empty();
    return def.isPresent()
        ? settings.fence().fenced(def.get().definition())
        : settings.fence().fenced();
  }

  /** Whether this node's cloud owns the instance (an instance without an owner is everyone's). */
  private boolean ownedHere(InstanceState state) {
    return state.ownerCloud() == null || state.ownerCloud().equals(settings.cloud());
  }

  private String takeOwnership(Behaviors b, TakeOwnership t) {
    InstanceState state = b.ctx.state;
    String from = state.ownerCloud();
    if (ownedHere(state)) {
      return "instance " + t.instanceId() + " is owned by this cloud already";
    }
    String reason = t.reason() == null || t.reason().isBlank() ? "fail-over" : t.reason().strip();
    b.ctx.emit(new OwnershipTaken(from, settings.cloud(), state.epoch() + 1, reason));
    // Steps placed on the cloud given up are placed again by the rules, as if it were down: where
    // the rules still choose it (it is up, say, for planned maintenance) the job stays there and is
    // sent to it like any step on another cloud.
    for (JobInfo job : List.copyOf(state.jobs().values())) {
      if (from.equals(job.cloud()) && state.jobs().containsKey(job.jobKey())) {
        b.placement.replace(
            job, "owner cloud '" + from + "' taken over by '" + settings.cloud() + "'");
      }
    }
    return null;
  }

  /**
   * Applies events committed by the owner cloud to this cloud's replica, as they are: the replica
   * gets no index rows (nothing here runs its jobs, fires its timers or correlates its
   * subscriptions) until this cloud takes it over.
   */
  private ProcessingResult replicate(InstanceState state, ReplicateEvents r) {
    String id = r.instanceId();
    if (state != null && settings.cloud().equals(state.ownerCloud())) {
      if (r.epoch() > state.epoch()) {
        return ProcessingResult.rejected(
            state,
            "%s%s: another cloud took it over (epoch %d, here %d): adopt its whole log"
                .formatted(ProcessingResult.TAKEN_OVER, id, r.epoch(), state.epoch()));
      }
      return ProcessingResult.rejected(
          state,
          "events of instance %s from its former owner refused: cloud '%s' owns it since epoch %d"
              .formatted(id, settings.cloud(), state.epoch()));
    }
    if (state != null && r.epoch() < state.epoch()) {
      return ProcessingResult.rejected(
          state,
          "events of instance %s with epoch %d refused: the replica is at epoch %d"
              .formatted(id, r.epoch(), state.epoch()));
    }
    long have = state == null ? 0 : state.lastSeq();
    List<EventRecord> fresh = r.events().stream().filter(e -> e.seq() > have).toList();
    if (fresh.isEmpty()) {
      return ProcessingResult.unchanged(state);
    }
    for (int i = 0; i < fresh.size(); i++) {
      if (fresh.get(i).seq() != have + 1 + i) {
        return ProcessingResult.rejected(
            state,
            "%s%s: the replica has events up to %d, the next sent is %d"
                .formatted(ProcessingResult.GAP, id, have, fresh.get(i).seq()));
      }
    }
    if (state == null
        && !(fresh.getFirst().event() instanceof InstanceCreated created
            && created.instanceId().equals(id))) {
      return ProcessingResult.rejected(
          null, "events of instance " + id + " refused: the first must create the instance");
    }
    InstanceState replica = state == null ? new InstanceState() : state;
    fresh.forEach(e -> EventApplier.apply(replica, e));
    // Handed over to this cloud (fail-back): everything of it is armed here from now on.
    IndexProjection projection = new IndexProjection(replica, clock.instant(), settings);
    projection.project(fresh);
    return new ProcessingResult(
        replica,
        null,
        fresh,
        projection.changes(List.of(), List.of()),
        projection.localJobs(),
        projection.timers(),
        List.of());
  }

  private ProcessingResult adopt(InstanceState state, AdoptLog a, Instant now) {
    String id = a.instanceId();
    if (state == null) {
      return ProcessingResult.rejected(null, "instance " + id + " does not exist here");
    }
    if (state.lastSeq() != a.expectedVersion()) {
      return ProcessingResult.rejected(
          state,
          "instance %s changed here meanwhile (at %d, compared at %d)"
              .formatted(id, state.lastSeq(), a.expectedVersion()));
    }
    if (a.epoch() <= state.epoch()) {
      return ProcessingResult.rejected(
          state,
          "log of instance %s with epoch %d refused: here it is at epoch %d"
              .formatted(id, a.epoch(), state.epoch()));
    }
    if (a.log().isEmpty() || a.log().getFirst().seq() != 1) {
      return ProcessingResult.rejected(state, "the log to adopt must begin at event 1");
    }
    InstanceState adopted;
    try {
      adopted = EventApplier.replay(a.log());
    } catch (RuntimeException e) {
      return ProcessingResult.rejected(state, "the log of " + id + " cannot be replayed: " + e);
    }
    if (!id.equals(adopted.instanceId())) {
      return ProcessingResult.rejected(state, "the log to adopt is not that of " + id);
    }
    IndexProjection projection = new IndexProjection(adopted, now, settings);
    projection.touchAll(state);
    projection.touchAll(adopted);
    return new ProcessingResult(
        adopted,
        null,
        a.log(),
        projection.changes(List.of(), List.of()),
        projection.localJobs(),
        projection.timers(),
        List.of());
  }

  private ProcessingResult recordConflict(InstanceState state, RecordConflict r, Instant now) {
    EventRecord record =
        new EventRecord(
            state.lastSeq() + 1, now, new ReplicaConflict(r.cloud(), r.epoch(), r.events()));
    EventApplier.apply(state, record);
    return new ProcessingResult(
        state, null, List.of(record), List.of(), List.of(), List.of(), List.of());
  }

  private String handOver(Behaviors b, HandOver h) {
    if (h.toCloud() == null || h.toCloud().equals(settings.cloud())) {
      return "instance " + h.instanceId() + " cannot be handed over to its own cloud";
    }
    String reason = h.reason() == null || h.reason().isBlank() ? "hand-over" : h.reason().strip();
    b.ctx.emit(new OwnershipTaken(settings.cloud(), h.toCloud(), b.ctx.state.epoch() + 1, reason));
    return null;
  }

  private String childEnded(Behaviors b, ChildEnded c) {
    ElementInstance el = b.ctx.state.element(c.elementKey());
    if (el == null || !c.childInstanceId().equals(el.childInstanceId())) {
      return "call activity "
          + c.elementKey()
          + " of instance "
          + c.instanceId()
          + " does not wait for "
          + c.childInstanceId();
    }
    Map<String, Object> vars = Values.canonicalMap(c.variables());
    b.ctx.emit(
        new ChildInstanceEnded(
            el.key(), el.elementId(), c.childInstanceId(), c.childState(), vars));
    b.containers.childEnded(
        el, (CallActivity) b.ctx.process.node(el.elementId()), c.childState(), vars, c.errorCode());
    return null;
  }

  private ProcessingResult finish(ProcessingContext ctx) {
    IndexProjection projection = new IndexProjection(ctx.state, ctx.now, settings);
    projection.project(ctx.events);
    return new ProcessingResult(
        ctx.state,
        null,
        List.copyOf(ctx.events),
        projection.changes(ctx.outbox, ctx.takenMessages),
        projection.localJobs(),
        projection.timers(),
        List.copyOf(ctx.outbox));
  }
}
