package io.cob.engine;

import io.cob.engine.command.InstanceCommand;
import io.cob.engine.command.InstanceCommand.CancelInstance;
import io.cob.engine.command.InstanceCommand.CompleteJob;
import io.cob.engine.command.InstanceCommand.CompleteUserTask;
import io.cob.engine.command.InstanceCommand.FailJob;
import io.cob.engine.command.InstanceCommand.ResolveIncident;
import io.cob.engine.command.InstanceCommand.StartInstance;
import io.cob.engine.command.InstanceCommand.ThrowError;
import io.cob.engine.command.RemoteRun;
import io.cob.engine.event.EventRecord;
import io.cob.engine.jobs.LogJobHandler;
import io.cob.engine.jobs.NoopJobHandler;
import io.cob.engine.port.CloudDirectory;
import io.cob.engine.port.IdGenerator;
import io.cob.engine.port.JobHandler;
import io.cob.engine.port.Store;
import io.cob.engine.port.StoreRows.DeploymentResult;
import io.cob.engine.port.TraceContext;
import io.cob.engine.processor.ProcessingResult;
import io.cob.engine.processor.ProcessingSettings;
import io.cob.engine.runtime.BpmnResource;
import io.cob.engine.runtime.CommandRejectedException;
import io.cob.engine.runtime.JobReplacement;
import io.cob.engine.runtime.NodeRuntime;
import io.cob.engine.runtime.PublishResult;
import io.cob.engine.state.InstanceState;
import io.cob.model.expr.ExpressionEvaluator;
import io.cob.model.expr.StandardExpressionEvaluator;
import io.cob.model.parse.BpmnParser;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The engine of one cob node: deploys processes, starts and drives instances, runs jobs of the
 * types it has handlers for, fires timers and correlates messages, all durably in its {@link
 * Store}.
 *
 * <p>Every method that changes an instance returns once the change is committed, and throws {@link
 * CommandRejectedException} when the change does not fit the instance (nothing changed).
 * Thread-safe.
 */
public final class Engine implements AutoCloseable {
  private final Store store;
  private final Clock clock;
  private final IdGenerator ids;
  private final NodeRuntime runtime;
  private final Duration commandTimeout;
  private final java.util.Set<String> localTypes;
  private final JobReplacement jobsOnDownClouds;
  private final TraceContext traces;

  private Engine(Builder b) {
    this.localTypes = java.util.Set.copyOf(b.handlers.keySet());
    this.store = b.store;
    // Stores keep instants to the microsecond (PostgreSQL does); the engine's times are cut to it
    // so that a state read back equals the state that was written.
    this.clock = Clock.tick(b.clock, Duration.ofNanos(1_000));
    this.ids = b.ids != null ? b.ids : IdGenerator.timeOrderedUuids(b.clock);
    ExpressionEvaluator evaluator =
        b.evaluator != null ? b.evaluator : new StandardExpressionEvaluator();
    BpmnParser parser = new BpmnParser(evaluator);
    ProcessingSettings settings =
        new ProcessingSettings(
            b.nodeId,
            b.cloud,
            b.handlers::containsKey,
            b.localLockDuration,
            b.initialBackoff,
            b.maxBackoff,
            b.clouds != null ? b.clouds : CloudDirectory.single(b.cloud),
            b.dispatch != null ? b.dispatchLease : null,
            b.fence);
    this.runtime =
        new NodeRuntime(
            store,
            this.clock,
            ids,
            parser,
            evaluator,
            settings,
            b.handlers,
            b.maxBatch,
            b.cacheSize,
            b.maxConcurrentJobs,
            b.pollInterval,
            b.listener,
            b.commitTimer,
            b.dispatch);
    this.commandTimeout = b.commandTimeout;
    this.traces = b.traces;
    this.jobsOnDownClouds = new JobReplacement(store, runtime, b.cloud, b.commandTimeout);
  }

  public static Builder builder(Store store) {
    return new Builder(store);
  }

  /** Starts the writer and the scheduler, and resumes what the store says is pending. */
  public Engine start() {
    runtime.start();
    return this;
  }

  public Store store() {
    return store;
  }

  /** Whether this node runs jobs of a type itself (it has a handler for it). */
  public boolean runsLocally(String jobType) {
    return localTypes.contains(jobType);
  }

  public Clock clock() {
    return clock;
  }

  /**
   * Parses and deploys BPMN files, all or nothing.
   *
   * @throws io.cob.model.BpmnValidationException listing every problem of every file; nothing is
   *     deployed then
   */
  public DeploymentResult deploy(List<BpmnResource> resources) {
    return runtime.deploy(resources);
  }

  /**
   * Starts an instance of the latest version (or {@code version} when above 0) and returns its id.
   * The instance records the caller's trace, if any ({@link Builder#traceContext}).
   */
  public String startInstance(
      String processId, int version, Map<String, Object> variables, String businessKey) {
    String id = ids.newId();
    await(
        runtime.submitNew(
            new StartInstance(
                id,
                processId,
                version,
                businessKey,
                variables == null ? Map.of() : variables,
                null,
                null,
                0,
                traces.currentTraceparent())));
    return id;
  }

  /** Starts an instance at a given start event (a message or timer start event started by hand). */
  public String startInstanceAt(
      String processId, String startElementId, Map<String, Object> variables) {
    String id = ids.newId();
    await(
        runtime.submitNew(
            new StartInstance(
                id,
                processId,
                0,
                null,
                variables == null ? Map.of() : variables,
                startElementId,
                null,
                0,
                traces.currentTraceparent())));
    return id;
  }

  /**
   * Publishes a message: correlates it to every instance with an open subscription for its name and
   * correlation key (one subscription per instance), starts processes with a matching message start
   * event, and otherwise keeps it for {@code timeToLive} for subscriptions that open later. The
   * instances it starts record the caller's trace, if any ({@link Builder#traceContext}).
   *
   * @param instanceId when not {@code null}, correlates only to that instance (by name)
   */
  public PublishResult publishMessage(
      String name,
      String correlationKey,
      Map<String, Object> variables,
      Duration timeToLive,
      String instanceId) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("a message needs a name");
    }
    return await(
        runtime.publish(
            ids.newId(),
            name,
            correlationKey,
            variables == null ? Map.of() : variables,
            timeToLive == null ? Duration.ZERO : timeToLive,
            instanceId,
            traces.currentTraceparent()));
  }

  public void completeJob(String jobKey, Map<String, Object> variables) {
    completeJob(jobKey, variables, null);
  }

  /**
   * Completes a job that another cloud ran, recording where and when ({@code JobRanRemotely}).
   *
   * @param remote where and when it ran, or {@code null} for a job run here
   * @throws CommandRejectedException also when the job is not placed on {@code remote.cloud()}
   */
  public void completeJob(String jobKey, Map<String, Object> variables, RemoteRun remote) {
    Key k = Key.parse(jobKey, "job");
    await(
        runtime.submit(
            new CompleteJob(
                k.instanceId, k.key, variables == null ? Map.of() : variables, remote)));
  }

  public void failJob(String jobKey, Integer retries, String errorMessage, Duration backoff) {
    failJob(jobKey, retries, errorMessage, backoff, null);
  }

  /**
   * Fails an attempt of a job that another cloud ran (see {@link #completeJob(String, Map,
   * RemoteRun)}).
   */
  public void failJob(
      String jobKey, Integer retries, String errorMessage, Duration backoff, RemoteRun remote) {
    Key k = Key.parse(jobKey, "job");
    await(runtime.submit(new FailJob(k.instanceId, k.key, retries, errorMessage, backoff, remote)));
  }

  public void throwError(
      String jobKey, String errorCode, String errorMessage, Map<String, Object> variables) {
    throwError(jobKey, errorCode, errorMessage, variables, null);
  }

  /**
   * Throws a BPMN error for a job that another cloud ran (see {@link #completeJob(String, Map,
   * RemoteRun)}).
   */
  public void throwError(
      String jobKey,
      String errorCode,
      String errorMessage,
      Map<String, Object> variables,
      RemoteRun remote) {
    Key k = Key.parse(jobKey, "job");
    await(
        runtime.submit(
            new ThrowError(
                k.instanceId,
                k.key,
                errorCode,
                errorMessage,
                variables == null ? Map.of() : variables,
                remote)));
  }

  public void completeUserTask(String taskKey, Map<String, Object> variables) {
    Key k = Key.parse(taskKey, "user task");
    await(
        runtime.submit(
            new CompleteUserTask(k.instanceId, k.key, variables == null ? Map.of() : variables)));
  }

  public void cancel(String instanceId) {
    await(runtime.submit(new CancelInstance(instanceId)));
  }

  public void resolveIncident(String incidentKey, int retries) {
    Key k = Key.parse(incidentKey, "incident");
    await(runtime.submit(new ResolveIncident(k.instanceId, k.key, retries)));
  }

  /**
   * Places again every open job of this node's instances that was placed on {@code cloud}: for use
   * when that cloud goes DOWN while jobs are out there. Each job is replaced by a new one on the
   * cloud its placement chooses now (same element instance, so the same idempotency key), or, where
   * no cloud is eligible, canceled with an incident saying why. Jobs that finished meanwhile, and
   * jobs whose placement still chooses {@code cloud}, are left alone. Safe to call again: a job
   * already placed elsewhere is no longer on {@code cloud}.
   *
   * <p>Only instances owned by this node's cloud are visited (their owner applies their commands);
   * this reads every active instance's jobs from the store, page by page.
   *
   * @return how many jobs were placed again (or given an incident)
   */
  public int replaceJobsOn(String cloud) {
    return jobsOnDownClouds.replaceJobsOn(cloud);
  }

  /**
   * Places one open job again (see {@link InstanceCommand.ReplaceJob}).
   *
   * @throws CommandRejectedException when the job is gone, held by an incident, or already on the
   *     cloud its placement chooses now
   */
  public void replaceJob(String jobKey, String reason) {
    Key k = Key.parse(jobKey, "job");
    await(runtime.submit(new InstanceCommand.ReplaceJob(k.instanceId, k.key, reason)));
  }

  /**
   * Activates jobs for an external worker: locks up to {@code maxJobs} due jobs of {@code type} for
   * {@code lockDuration} and returns them with their variables. When none is there, waits up to
   * {@code requestTimeout} for some (long poll). A job whose lock expires before the worker reports
   * goes to the next activation, with the same idempotency key.
   */
  public List<io.cob.engine.port.ActivatedJob> activateJobs(
      String type, String worker, int maxJobs, Duration lockDuration, Duration requestTimeout) {
    try {
      return runtime.activateJobs(type, worker, maxJobs, lockDuration, requestTimeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return List.of();
    }
  }

  /**
   * This node's cloud takes an instance over from the cloud that owns it (fail-over, see {@link
   * InstanceCommand.TakeOwnership}).
   *
   * @return the instance's new epoch
   * @throws CommandRejectedException when the instance is gone, has ended, or is owned here
   */
  public long takeOwnership(String instanceId, String reason) {
    return await(runtime.submit(new InstanceCommand.TakeOwnership(instanceId, reason)))
        .state()
        .epoch();
  }

  /**
   * Applies events the owner cloud committed to this cloud's replica of the instance (see {@link
   * InstanceCommand.ReplicateEvents}).
   *
   * @return the sequence number of the replica's last event afterwards
   * @throws CommandRejectedException when the events leave a gap (the message starts with {@link
   *     ProcessingResult#GAP}), the instance is owned here, or their epoch is older than the
   *     replica's
   */
  public long replicate(String instanceId, long epoch, List<EventRecord> events) {
    ProcessingResult r =
        await(runtime.submit(new InstanceCommand.ReplicateEvents(instanceId, epoch, events)));
    return r.state() == null ? 0 : r.state().lastSeq();
  }

  /**
   * Hands an instance this cloud owns to another cloud (fail-back, planned move), which holds a
   * replica of it: a new epoch; this cloud keeps a replica.
   *
   * @return the new epoch
   */
  public long handOver(String instanceId, String toCloud, String reason) {
    return await(runtime.submit(new InstanceCommand.HandOver(instanceId, toCloud, reason)))
        .state()
        .epoch();
  }

  /**
   * Adopts the log of the cloud that took an instance over while this cloud, its former owner, was
   * away: the local log is replaced by {@code log}, and the local events that are not in it (those
   * committed here and never replicated) are returned, for the caller to report as a conflict.
   *
   * @param log the other cloud's whole log, from event 1
   * @throws CommandRejectedException when the epoch is not newer, or the instance changed here
   *     meanwhile
   */
  public List<EventRecord> adoptLog(String instanceId, long epoch, List<EventRecord> log) {
    List<EventRecord> local = store.history(instanceId);
    int common = 0;
    while (common < local.size()
        && common < log.size()
        && local.get(common).equals(log.get(common))) {
      common++;
    }
    execute(new InstanceCommand.AdoptLog(instanceId, epoch, local.size(), log));
    return List.copyOf(local.subList(common, local.size()));
  }

  /** A deployed process version, parsed (cached). */
  public Optional<io.cob.model.ProcessDefinition> definition(String processId, int version) {
    return runtime.definition(processId, version);
  }

  /** Submits any command; for tests and adapters that build commands themselves. */
  public ProcessingResult execute(InstanceCommand command) {
    return await(runtime.submit(command));
  }

  /** The committed state of an instance, read from the store. */
  public Optional<InstanceState> instance(String instanceId) {
    return store.instance(instanceId).map(si -> InstanceState.fromSnapshot(si.snapshot()));
  }

  public List<EventRecord> history(String instanceId) {
    return store.history(instanceId);
  }

  /** Fires due timers and starts waiting local jobs now, instead of at the next scheduler round. */
  public int tick() {
    return runtime.tick();
  }

  /**
   * Waits until no command is queued and no local job runs; false when the timeout passed first.
   */
  public boolean awaitIdle(Duration timeout) {
    try {
      return runtime.awaitIdle(timeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** The earliest time a timer is due, if any. */
  public Optional<Instant> nextTimerDue() {
    return store.nextTimerDue();
  }

  @Override
  public void close() {
    runtime.stop();
  }

  private <T> T await(CompletableFuture<T> f) {
    T result;
    try {
      result = f.get(commandTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the engine", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw new IllegalStateException(e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("the engine did not answer within " + commandTimeout, e);
    }
    if (result instanceof ProcessingResult r && r.rejected()) {
      throw new CommandRejectedException(r.rejection());
    }
    return result;
  }

  private record Key(String instanceId, long key) {
    static Key parse(String text, String what) {
      int colon = text == null ? -1 : text.lastIndexOf(':');
      if (colon <= 0) {
        throw new IllegalArgumentException(
            what + " key '" + text + "' is not of the form <instanceId>:<number>");
      }
      try {
        return new Key(text.substring(0, colon), Long.parseLong(text.substring(colon + 1)));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            what + " key '" + text + "' is not of the form <instanceId>:<number>");
      }
    }
  }

  /** Configures an engine. Defaults suit one embedded node. */
  public static final class Builder {
    private final Store store;
    private Clock clock = Clock.systemUTC();
    private IdGenerator ids;
    private ExpressionEvaluator evaluator;
    private String nodeId = "node-1";
    private String cloud = "local";
    private CloudDirectory clouds;
    private final Map<String, JobHandler> handlers = new LinkedHashMap<>();
    private int maxBatch = 256;
    private int cacheSize = 10_000;
    private int maxConcurrentJobs = 64;
    private Duration pollInterval = Duration.ofSeconds(1);
    private io.cob.engine.port.JobDispatch dispatch;
    private Duration dispatchLease = Duration.ofMinutes(5);
    private Duration localLockDuration = Duration.ofMinutes(5);
    private Duration initialBackoff = Duration.ofSeconds(1);
    private Duration maxBackoff = Duration.ofMinutes(5);
    private Duration commandTimeout = Duration.ofSeconds(60);
    private io.cob.engine.port.CommitListener listener = io.cob.engine.port.CommitListener.NONE;
    private io.cob.engine.port.OwnershipFence fence = io.cob.engine.port.OwnershipFence.NONE;
    private io.cob.engine.port.CommitTimer commitTimer = io.cob.engine.port.CommitTimer.NONE;
    private TraceContext traces = TraceContext.NONE;

    private Builder(Store store) {
      this.store = store;
      handlers.put(NoopJobHandler.TYPE, new NoopJobHandler());
      handlers.put(LogJobHandler.TYPE, new LogJobHandler());
    }

    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    public Builder ids(IdGenerator ids) {
      this.ids = ids;
      return this;
    }

    public Builder evaluator(ExpressionEvaluator evaluator) {
      this.evaluator = evaluator;
      return this;
    }

    /** The name this node locks jobs under; must be stable across restarts and unique per store. */
    public Builder nodeId(String nodeId) {
      this.nodeId = nodeId;
      return this;
    }

    public Builder cloud(String cloud) {
      this.cloud = cloud;
      return this;
    }

    /**
     * What this node knows of the clouds (attributes, health, latency), for placing steps. Default:
     * {@link CloudDirectory#single} of this node's cloud, so a model naming another cloud gets an
     * incident.
     */
    public Builder clouds(CloudDirectory clouds) {
      this.clouds = clouds;
      return this;
    }

    /** Runs jobs of {@code type} on this node with {@code handler}. */
    public Builder jobHandler(String type, JobHandler handler) {
      handlers.put(type, handler);
      return this;
    }

    /** The most commands committed in one transaction. */
    public Builder maxBatch(int maxBatch) {
      this.maxBatch = maxBatch;
      return this;
    }

    public Builder cacheSize(int cacheSize) {
      this.cacheSize = cacheSize;
      return this;
    }

    public Builder maxConcurrentJobs(int n) {
      this.maxConcurrentJobs = n;
      return this;
    }

    public Builder pollInterval(Duration d) {
      this.pollInterval = d;
      return this;
    }

    public Builder localLockDuration(Duration d) {
      this.localLockDuration = d;
      return this;
    }

    public Builder backoff(Duration initial, Duration max) {
      this.initialBackoff = initial;
      this.maxBackoff = max;
      return this;
    }

    /** Tells {@code listener} about every command this node commits (metrics, audit feeds). */
    /**
     * Asks {@code fence} before every command on an instance this node's cloud owns, and before the
     * scheduler picks up work: while it answers a reason, nothing of the cloud's own instances is
     * committed (fail-over, DESIGN.md §7). Default: never fenced.
     */
    public Builder fence(io.cob.engine.port.OwnershipFence fence) {
      this.fence = java.util.Objects.requireNonNull(fence, "fence");
      return this;
    }

    public Builder commitListener(io.cob.engine.port.CommitListener listener) {
      this.listener = listener;
      return this;
    }

    /**
     * Tells {@code timer} how long each group commit to the store took (store commit latency).
     * Default {@link io.cob.engine.port.CommitTimer#NONE}: the commit is not timed at all.
     */
    public Builder commitTimer(io.cob.engine.port.CommitTimer timer) {
      this.commitTimer = java.util.Objects.requireNonNull(timer, "commitTimer");
      return this;
    }

    /**
     * Sends jobs placed on other clouds through {@code dispatch}, each send holding the job for
     * {@code lease} before it is sent again when no outcome came back. Without a dispatch, such
     * jobs wait.
     */
    public Builder jobDispatch(io.cob.engine.port.JobDispatch dispatch, Duration lease) {
      if (lease == null || lease.isNegative() || lease.isZero()) {
        throw new IllegalArgumentException("dispatch lease must be positive, not " + lease);
      }
      this.dispatch = dispatch;
      this.dispatchLease = lease;
      return this;
    }

    /**
     * Records with each instance started through this engine the trace its caller is in (see {@link
     * TraceContext}). Default: {@link TraceContext#NONE}, instances record no trace.
     */
    public Builder traceContext(TraceContext traces) {
      this.traces = java.util.Objects.requireNonNull(traces, "traces");
      return this;
    }

    public Builder commandTimeout(Duration d) {
      this.commandTimeout = d;
      return this;
    }

    public Engine build() {
      return new Engine(this);
    }
  }
}
