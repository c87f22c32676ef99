package io.cob.engine.runtime;

import io.cob.engine.command.InstanceCommand;
import io.cob.engine.port.ActivatedJob;
import io.cob.engine.port.CommitListener;
import io.cob.engine.port.CommitTimer;
import io.cob.engine.port.IdGenerator;
import io.cob.engine.port.IndexChange;
import io.cob.engine.port.JobDispatch;
import io.cob.engine.port.JobHandler;
import io.cob.engine.port.Store;
import io.cob.engine.port.StoreRows.CloudScope;
import io.cob.engine.port.StoreRows.DeploymentResource;
import io.cob.engine.port.StoreRows.DeploymentResult;
import io.cob.engine.port.StoreRows.JobLockRequest;
import io.cob.engine.port.StoreRows.JobRow;
import io.cob.engine.port.StoreRows.NewDeployment;
import io.cob.engine.port.StoreRows.OutboxRow;
import io.cob.engine.port.StoreRows.ProcessHeader;
import io.cob.engine.port.StoreRows.ProcessVersion;
import io.cob.engine.processor.CommandProcessor;
import io.cob.engine.processor.ProcessLookup;
import io.cob.engine.processor.ProcessingResult;
import io.cob.engine.processor.ProcessingSettings;
import io.cob.engine.state.InstanceState;
import io.cob.model.BpmnDocument;
import io.cob.model.BpmnValidationException;
import io.cob.model.Problem;
import io.cob.model.ProcessDefinition;
import io.cob.model.expr.ExpressionEvaluator;
import io.cob.model.parse.BpmnParser;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires the parts of a node: the writer loop, the local job executor and the scheduler, and passes
 * committed effects from one to the other. Used through {@link io.cob.engine.Engine}.
 */
public final class NodeRuntime {
  private static final Logger LOG = LoggerFactory.getLogger(NodeRuntime.class);
  private final Store store;
  private final Clock clock;
  private final BpmnParser parser;
  private final ProcessingSettings settings;
  private final DeployedProcesses processes;
  private final WorkTracker tracker = new WorkTracker();
  private final CommandLoop loop;
  private final LocalJobExecutor executor;
  private final Scheduler scheduler;
  private final IdGenerator ids;
  private final StartTimers startTimers;
  private final JobAvailability availability = new JobAvailability();
  private final java.util.Set<String> outboxInFlight =
      java.util.concurrent.ConcurrentHashMap.newKeySet();
  private final CommitListener listener;
  private final RemoteJobDispatcher dispatcher;
  // Jobs of this node's cloud: placed on it, or not placed at all.
  private final CloudScope ownCloud;

  /**
   * A runtime that tells {@code listener} about every committed command, {@code commitTimer} how
   * long each group commit took, and sends jobs placed on other clouds through {@code dispatch}
   * (none: they wait), each dispatch holding the job for {@link ProcessingSettings#dispatchLease}
   * before it is sent again.
   */
  public NodeRuntime(
      Store store,
      Clock clock,
      IdGenerator ids,
      BpmnParser parser,
      ExpressionEvaluator evaluator,
      ProcessingSettings settings,
      Map<String, JobHandler> handlers,
      int maxBatch,
      int cacheSize,
      int maxConcurrentJobs,
      Duration pollInterval,
      CommitListener listener,
      CommitTimer commitTimer,
      JobDispatch dispatch) {
    this.listener = listener;
    this.ownCloud = CloudScope.in(settings.cloud());
    this.store = store;
    this.clock = clock;
    this.ids = ids;
    this.parser = parser;
    this.settings = settings;
    this.processes = new DeployedProcesses(store, parser);
    CommandProcessor processor = new CommandProcessor(processes, evaluator, clock, ids, settings);
    this.loop =
        new CommandLoop(
            store,
            processor,
            processes,
            clock,
            ids,
            this::committed,
            tracker,
            maxBatch,
            cacheSize,
            commitTimer,
            settings.fence());
    this.executor =
        new LocalJobExecutor(
            handlers,
            store,
            clock,
            settings.nodeId(),
            settings.cloud(),
            c -> loop.submit(c, null),
            tracker,
            maxConcurrentJobs);
    this.startTimers = new StartTimers(store, evaluator, processes, loop);
    this.dispatcher =
        dispatch == null
            ? null
            : new RemoteJobDispatcher(dispatch, store, clock, settings.nodeId(), tracker);
    this.scheduler =
        new Scheduler(
            store,
            clock,
            loop,
            executor,
            List.copyOf(handlers.keySet()),
            settings.nodeId(),
            settings.cloud(),
            settings.localLockDuration(),
            pollInterval,
            (job, state) -> executor.submit(Scheduler.activated(job, state)),
            dispatcher,
            settings.dispatchLease(),
            startTimers::fired,
            this::sweepOutbox,
            tracker,
            settings.fence());
  }

  public void start() {
    int released = store.releaseLocks(settings.nodeId());
    if (released > 0) {
      LOG.info("event=job_locks_released node={} count={}", settings.nodeId(), released);
    }
    loop.start();
    sweepOutbox();
    scheduler.start();
  }

  public void stop() {
    scheduler.stop();
    executor.stop();
    if (dispatcher != null) {
      dispatcher.stop();
    }
    loop.stop();
  }

  public CompletableFuture<ProcessingResult> submit(InstanceCommand command) {
    return loop.submit(command, null);
  }

  /**
   * Starts an instance under an id the caller has just generated with this node's {@link
   * io.cob.engine.port.IdGenerator}: no instance can have it, so the store is not asked first.
   */
  public CompletableFuture<ProcessingResult> submitNew(
      io.cob.engine.command.InstanceCommand.StartInstance start) {
    return loop.submitNew(start);
  }

  public CompletableFuture<PublishResult> publish(
      String messageId,
      String name,
      String correlationKey,
      Map<String, Object> variables,
      Duration ttl,
      String instanceId,
      String traceparent) {
    return loop.publish(messageId, name, correlationKey, variables, ttl, instanceId, traceparent);
  }

  public int tick() {
    return scheduler.tick();
  }

  /** A deployed process version, parsed (cached). */
  public java.util.Optional<io.cob.model.ProcessDefinition> definition(
      String processId, int version) {
    return processes.find(processId, version).map(d -> d.definition());
  }

  public boolean awaitIdle(Duration timeout) throws InterruptedException {
    return tracker.awaitIdle(timeout);
  }

  /**
   * Locks up to {@code max} due jobs of a type for an external worker, waiting up to {@code
   * requestTimeout} for some to appear when there are none.
   */
  public List<ActivatedJob> activateJobs(
      String type, String worker, int max, Duration lockDuration, Duration requestTimeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + requestTimeout.toNanos();
    while (true) {
      long seen = availability.generation(type);
      Instant now = clock.instant();
      List<JobRow> locked =
          store.lockJobs(
              new JobLockRequest(
                  List.of(type), worker, now, now.plus(lockDuration), max, ownCloud));
      List<ActivatedJob> out = new ArrayList<>();
      for (JobRow job : locked) {
        store
            .instance(job.instanceId())
            .ifPresent(
                si -> out.add(Scheduler.activated(job, InstanceState.fromSnapshot(si.snapshot()))));
      }
      long left = deadline - System.nanoTime();
      if (!out.isEmpty() || left <= 0) {
        return out;
      }
      // Jobs made available by other nodes or by time (back-off) are found by polling.
      availability.awaitAfter(
          type, seen, Duration.ofNanos(Math.min(left, Duration.ofMillis(500).toNanos())));
    }
  }

  /**
   * The clouds a process names as its standbys that this node does not know, as problems: a typo
   * there would leave the instances unreplicated. Only where the node knows several clouds; a node
   * on its own (say {@code cob run}) replicates nothing and runs such a model as it is.
   */
  private List<Problem> unknownStandbys(ProcessDefinition p) {
    List<String> known = settings.clouds().clouds().stream().map(c -> c.name()).toList();
    if (known.size() < 2) {
      return List.of();
    }
    List<Problem> out = new ArrayList<>();
    for (String standby : p.standbys()) {
      if (!known.contains(standby)) {
        out.add(
            new Problem(
                p.location(),
                p.id(),
                "process",
                "cob:standby names cloud '"
                    + standby
                    + "', which is not configured (known clouds: "
                    + String.join(", ", known)
                    + ")"));
      }
    }
    return out;
  }

  /** Parses every resource first; deploys only when all are valid. */
  public DeploymentResult deploy(List<BpmnResource> resources) {
    if (resources.isEmpty()) {
      throw new IllegalArgumentException("a deployment needs at least one BPMN file");
    }
    List<Problem> problems = new ArrayList<>();
    List<BpmnDocument> docs = new ArrayList<>();
    for (BpmnResource r : resources) {
      try {
        docs.add(parser.parse(r.name(), r.content()));
      } catch (BpmnValidationException e) {
        problems.addAll(e.problems());
      }
    }
    for (BpmnDocument d : docs) {
      d.processes().forEach(p -> problems.addAll(unknownStandbys(p)));
    }
    if (!problems.isEmpty()) {
      throw new BpmnValidationException(problems);
    }
    List<DeploymentResource> stored = new ArrayList<>();
    for (int i = 0; i < docs.size(); i++) {
      BpmnDocument d = docs.get(i);
      List<ProcessHeader> headers =
          d.processes().stream().map(p -> new ProcessHeader(p.id(), p.name())).toList();
      stored.add(
          new DeploymentResource(
              resources.get(i).name(),
              new String(resources.get(i).content(), StandardCharsets.UTF_8),
              headers));
    }
    java.util.Map<String, Integer> before = new java.util.HashMap<>();
    for (BpmnDocument d : docs) {
      for (ProcessDefinition p : d.processes()) {
        store.latestProcess(p.id()).ifPresent(pv -> before.put(p.id(), pv.version()));
      }
    }
    DeploymentResult result = store.deploy(new NewDeployment(ids.newId(), clock.instant(), stored));
    for (ProcessVersion pv : result.processes()) {
      for (BpmnDocument d : docs) {
        d.process(pv.processId())
            .ifPresent(
                def -> {
                  processes.deployed(pv.processId(), pv.version(), def);
                  Integer previous = before.get(pv.processId());
                  if (previous == null || previous != pv.version()) {
                    Optional<ProcessDefinition> old =
                        previous == null
                            ? Optional.empty()
                            : processes
                                .find(pv.processId(), previous)
                                .map(ProcessLookup.Deployed::definition);
                    startTimers.arm(pv, def, old).forEach(t -> scheduler.wake(t.dueAt()));
                  }
                });
      }
    }
    return result;
  }

  /** Called by the writer after a commit: starts what the committed events ask for. */
  private java.util.concurrent.CompletionStage<Void> committed(
      InstanceState state, ProcessingResult r) {
    java.util.concurrent.CompletionStage<Void> stored =
        java.util.concurrent.CompletableFuture.completedFuture(null);
    try {
      listener.committed(state, r.events());
      if (!r.events().isEmpty()) {
        stored = listener.stored(state, r.events());
      }
    } catch (RuntimeException e) {
      LOG.warn(
          "event=commit_listener_failed instance={} error={}", state.instanceId(), e.toString());
    }
    for (JobRow job : r.localJobs()) {
      if (!state.jobs().containsKey(jobKeyOf(job))) {
        continue;
      }
      if (ownCloud.covers(job.cloud())) {
        executor.submit(Scheduler.activated(job, state));
      } else if (dispatcher != null) {
        dispatcher.submit(Scheduler.activated(job, state), job.cloud());
      }
    }
    for (var timer : r.timers()) {
      scheduler.wake(timer.dueAt());
    }
    for (IndexChange c : r.changes()) {
      if (c instanceof IndexChange.PutJob p && p.job().lockOwner() == null) {
        if (!ownCloud.covers(p.job().cloud())) {
          scheduler.wake(p.job().dueAt()); // placed on another cloud: to dispatch
        } else if (executor.handles(p.job().type())) {
          scheduler.wake(p.job().dueAt());
        } else {
          availability.available(p.job().type());
        }
      }
    }
    for (OutboxRow row : r.outbox()) {
      deliver(row);
    }
    return stored;
  }

  /**
   * Delivers an outbox row once at a time: a command to its instance (whose commit removes the
   * row), or a message to publish (the row is removed once it is published). A row that fails stays
   * and is delivered again by the next sweep.
   */
  private void deliver(OutboxRow row) {
    if (!outboxInFlight.add(row.id())) {
      return;
    }
    java.util.concurrent.CompletableFuture<?> done;
    if (row.command() instanceof InstanceCommand.PublishMessage m) {
      done =
          loop.publish(
                  m.messageId(),
                  m.name(),
                  m.correlationKey(),
                  m.variables(),
                  m.timeToLive(),
                  null,
                  null)
              .thenRun(() -> store.apply(List.of(new IndexChange.RemoveOutbox(row.id()))));
    } else {
      done = loop.submit(row.command(), row.id());
    }
    done.whenComplete(
        (res, e) -> {
          outboxInFlight.remove(row.id());
          if (e != null) {
            LOG.warn(
                "event=outbox_delivery_failed id={} target={} error={}",
                row.id(),
                row.targetInstanceId(),
                e.toString());
          }
        });
  }

  /** Delivers outbox rows left behind (a failed delivery, or a restart). */
  private void sweepOutbox() {
    for (OutboxRow row : store.outbox(500)) {
      deliver(row);
    }
  }

  private static long jobKeyOf(JobRow job) {
    return Long.parseLong(job.key().substring(job.key().lastIndexOf(':') + 1));
  }
}
