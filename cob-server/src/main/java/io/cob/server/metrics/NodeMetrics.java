package io.cob.server.metrics;

import io.cob.engine.event.EventRecord;
import io.cob.engine.event.InstanceEvent;
import io.cob.engine.port.CommitListener;
import io.cob.engine.port.CommitTimer;
import io.cob.engine.port.Store;
import io.cob.engine.state.InstanceState;
import io.cob.server.http.HttpServer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The node's metrics, rendered in the Prometheus text format at {@code /metrics}. Every series
 * carries the node's {@code node} and {@code cloud} tags; the series below also carry the labels
 * named with them. Labels take process ids, element types, cloud names and a few fixed words only,
 * never instance ids, so the number of series stays bounded by what is deployed and configured.
 *
 * <p><b>From the committed event log</b> (the {@link CommitListener}: what this node committed; in
 * a cloud of several nodes, sum them over the nodes):
 *
 * <ul>
 *   <li>{@code cob_instances_started_total}, {@code _completed_total}, {@code _terminated_total} (a
 *       terminate end event), {@code _canceled_total}, by {@code process};
 *   <li>{@code cob_job_creations_total}, {@code cob_jobs_completed_total}, {@code
 *       cob_jobs_failed_total} (every failed attempt), {@code cob_job_retries_total} (failed
 *       attempts with retries left, to be tried again), {@code cob_jobs_errors_total} (BPMN
 *       errors), by {@code process};
 *   <li>{@code cob_incidents_raised_total}, {@code cob_incidents_resolved_total}, {@code
 *       cob_messages_correlated_total}, by {@code process};
 *   <li>{@code cob_step_latency_seconds} (a histogram): from a step's job created to completed
 *       ({@link StepTimes}), by {@code process}, {@code element_type}, {@code ran_on} (the cloud
 *       that ran it) and {@code remote} ({@code true} when that is another cloud than this node's);
 *       {@code cob_steps_untimed_total} by {@code process} counts the completed steps it could not
 *       time.
 * </ul>
 *
 * <p><b>Other sources.</b> {@code cob_store_commit_seconds} (a histogram, by {@code outcome}:
 * {@code committed}, {@code stale}, {@code failed}) and {@code cob_store_commit_instances}
 * (instances per group commit) come from the engine's {@link CommitTimer}. {@code
 * cob_incidents_open} asks the store at each scrape, so it is the same on every node of a store.
 * {@code cob_jobs_activated_total} counts jobs handed out by the API. Command latency is measured
 * around each engine call the API makes ({@code cob_command_latency_seconds}, by {@code command}
 * and {@code outcome}); HTTP requests by route and status. The bus adds its own ({@code
 * io.cob.server.bus.BusMetrics}).
 *
 * <p>Thread-safe.
 */
public final class NodeMetrics implements CommitListener, CommitTimer, HttpServer.Observer {
  private static final Duration[] LATENCY_BUCKETS = {
    Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
    Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
    Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(10)
  };

  /** Steps last from milliseconds (a local handler) to hours (a retried call, an incident). */
  private static final Duration[] STEP_BUCKETS = {
    Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
    Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
    Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30),
    Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(30), Duration.ofHours(2)
  };

  private static final double[] BATCH_BUCKETS = {1, 2, 5, 10, 25, 50, 100, 250};

  /** Open steps remembered for timing, at most (see {@link StepTimes}). */
  private static final int MAX_OPEN_STEPS = 100_000;

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final String cloud;
  private final StepTimes steps;
  private final Map<String, ProcessMeters> processes = new ConcurrentHashMap<>();
  private final Map<StepKey, Timer> stepTimers = new ConcurrentHashMap<>();
  private final Map<CommitTimer.Outcome, Timer> commitTimers = new EnumMap<>(Outcome.class);
  private final DistributionSummary commitInstances;
  private final Counter jobsActivated;

  /** Steps of this node's instances completed per cloud that ran them, since the node started. */
  private final java.util.Map<String, java.util.concurrent.atomic.LongAdder> stepsOn =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** How many steps of this node's instances {@code cloud} ran since the node started. */
  public long stepsRanOn(String cloud) {
    var n = stepsOn.get(cloud);
    return n == null ? 0 : n.sum();
  }

  public NodeMetrics(Store store, String nodeId, String cloud) {
    this.cloud = cloud;
    this.steps = new StepTimes(cloud, MAX_OPEN_STEPS);
    registry.config().commonTags("node", nodeId, "cloud", cloud);
    jobsActivated =
        Counter.builder("cob.jobs.activated")
            .description("Jobs handed to external workers")
            .register(registry);
    for (Outcome outcome : Outcome.values()) {
      commitTimers.put(
          outcome,
          Timer.builder("cob.store.commit")
              .description("Time the store took to commit a batch of instances (group commit)")
              .tag("outcome", outcome.label())
              .serviceLevelObjectives(LATENCY_BUCKETS)
              .register(registry));
    }
    commitInstances =
        DistributionSummary.builder("cob.store.commit.instances")
            .description("Instances written by one group commit")
            .serviceLevelObjectives(BATCH_BUCKETS)
            .register(registry);
    Gauge.builder("cob.incidents.open", store, s -> s.incidents(null).size())
        .description("Open incidents in the store")
        .strongReference(true)
        .register(registry);
    Gauge.builder("cob.steps.open", steps, StepTimes::open)
        .description("Open steps this node remembers the start of, to time them")
        .strongReference(true)
        .register(registry);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
  }

  /** The counters of one process, made when it is first seen. */
  private final class ProcessMeters {
    final Counter started;
    final Counter completed;
    final Counter terminated;
    final Counter canceled;
    final Counter jobsCreated;
    final Counter jobsCompleted;
    final Counter jobsFailed;
    final Counter jobRetries;
    final Counter jobErrors;
    final Counter incidentsCreated;
    final Counter incidentsResolved;
    final Counter messagesCorrelated;
    final Counter stepsUntimed;

    ProcessMeters(String processId) {
      started = counter("cob.instances.started", "Process instances started", processId);
      completed =
          counter("cob.instances.completed", "Process instances that reached their end", processId);
      terminated =
          counter(
              "cob.instances.terminated",
              "Process instances ended by a terminate end event",
              processId);
      canceled = counter("cob.instances.canceled", "Process instances canceled", processId);
      // Not "...created": Prometheus keeps a "_created" suffix for its own series and strips it.
      jobsCreated = counter("cob.job.creations", "Jobs created", processId);
      jobsCompleted =
          counter("cob.jobs.completed", "Jobs completed (by workers or handlers)", processId);
      jobsFailed = counter("cob.jobs.failed", "Job attempts that failed", processId);
      jobRetries =
          counter(
              "cob.job.retries",
              "Job attempts that failed with retries left: the job is tried again",
              processId);
      jobErrors = counter("cob.jobs.errors", "BPMN errors thrown by jobs", processId);
      incidentsCreated = counter("cob.incidents.raised", "Incidents raised", processId);
      incidentsResolved = counter("cob.incidents.resolved", "Incidents resolved", processId);
      messagesCorrelated =
          counter("cob.messages.correlated", "Messages correlated to instances", processId);
      stepsUntimed =
          counter(
              "cob.steps.untimed",
              "Steps completed whose job another node created, or before this node started",
              processId);
    }

    private Counter counter(String name, String description, String processId) {
      return Counter.builder(name)
          .description(description)
          .tag("process", processId)
          .register(registry);
    }
  }

  private record StepKey(String processId, String elementType, String ranOn) {}

  private ProcessMeters process(String processId) {
    return processes.computeIfAbsent(processId, ProcessMeters::new);
  }

  @Override
  public void committed(InstanceState state, List<EventRecord> events) {
    ProcessMeters meters = process(state.processId() == null ? "unknown" : state.processId());
    for (EventRecord r : events) {
      switch (r.event()) {
        case InstanceEvent.InstanceCreated c -> meters.started.increment();
        case InstanceEvent.InstanceEnded e -> {
          switch (e.state()) {
            case "COMPLETED" -> meters.completed.increment();
            case "TERMINATED" -> meters.terminated.increment();
            default -> meters.canceled.increment();
          }
        }
        case InstanceEvent.JobCreated j -> meters.jobsCreated.increment();
        case InstanceEvent.JobCompleted j -> meters.jobsCompleted.increment();
        case InstanceEvent.JobFailed j -> {
          meters.jobsFailed.increment();
          if (j.retries() > 0) {
            meters.jobRetries.increment();
          }
        }
        case InstanceEvent.JobErrorThrown j -> meters.jobErrors.increment();
        case InstanceEvent.IncidentCreated i -> meters.incidentsCreated.increment();
        case InstanceEvent.IncidentResolved i -> meters.incidentsResolved.increment();
        case InstanceEvent.MessageCorrelated m -> meters.messagesCorrelated.increment();
        default -> {
          // not counted
        }
      }
    }
    for (StepTimes.StepEnd end : steps.observe(state, events)) {
      switch (end) {
        case StepTimes.Timed t -> {
          stepTimer(t).record(t.took());
          stepsOn
              .computeIfAbsent(t.ranOn(), k -> new java.util.concurrent.atomic.LongAdder())
              .increment();
        }
        case StepTimes.Untimed u -> process(u.processId()).stepsUntimed.increment();
      }
    }
  }

  private Timer stepTimer(StepTimes.Timed t) {
    return stepTimers.computeIfAbsent(
        new StepKey(t.processId(), t.elementType(), t.ranOn()),
        k ->
            Timer.builder("cob.step.latency")
                .description("Time from a step's job created to completed, retries included")
                .tags(
                    "process",
                    k.processId(),
                    "element_type",
                    k.elementType(),
                    "ran_on",
                    k.ranOn(),
                    "remote",
                    Boolean.toString(!cloud.equals(k.ranOn())))
                .serviceLevelObjectives(STEP_BUCKETS)
                .register(registry));
  }

  @Override
  public void timed(int instances, int events, long nanos, Outcome outcome) {
    commitTimers.get(outcome).record(nanos, TimeUnit.NANOSECONDS);
    if (outcome == Outcome.COMMITTED) {
      commitInstances.record(instances);
    }
  }

  /** Adds the meters of another part of the node (the bus) to {@code /metrics}. */
  public void bind(MeterBinder binder) {
    binder.bindTo(registry);
  }

  /** Counts jobs handed out by {@code POST /jobs/activate}. */
  public void jobsActivated(int n) {
    jobsActivated.increment(n);
  }

  /** Runs an engine command and records its latency under {@code cob_command_latency_seconds}. */
  public <T> T time(String command, Supplier<T> call) {
    long begin = System.nanoTime();
    String outcome = "error";
    try {
      T result = call.get();
      outcome = "ok";
      return result;
    } finally {
      Timer.builder("cob.command.latency")
          .description("Latency of engine commands made by the API")
          .tags("command", command, "outcome", outcome)
          .serviceLevelObjectives(LATENCY_BUCKETS)
          .register(registry)
          .record(System.nanoTime() - begin, TimeUnit.NANOSECONDS);
    }
  }

  /** As {@link #time(String, Supplier)} for commands without a result. */
  public void run(String command, Runnable call) {
    time(
        command,
        () -> {
          call.run();
          return null;
        });
  }

  @Override
  public void answered(String method, String route, int status, long nanos) {
    Timer.builder("cob.http.requests")
        .description("HTTP requests answered")
        .tags(
            "method",
            method,
            "route",
            route == null ? "unmatched" : route,
            "status",
            Integer.toString(status))
        .register(registry)
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  /** Everything, in the Prometheus text exposition format 0.0.4. */
  public String scrape() {
    return registry.scrape();
  }
}
