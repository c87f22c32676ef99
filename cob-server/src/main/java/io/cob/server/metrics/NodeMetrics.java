package io.cob.server.metrics;

import io.cob.engine.event.EventRecord;
import io.cob.engine.event.InstanceEvent;
import io.cob.engine.port.CommitListener;
import io.cob.engine.port.Store;
import io.cob.engine.state.InstanceState;
import io.cob.server.http.HttpServer;
import io.micrometer.core.instrument.Counter;
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
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The node's metrics, rendered in the Prometheus text format at {@code /metrics}.
 *
 * <p>Engine counters come from the {@link CommitListener}: they count what this node committed (in
 * a cloud of several nodes, sum them over the nodes). {@code cob_incidents_open} asks the store at
 * each scrape, so it is the same on every node of a store. Command latency is measured around each
 * engine call the API makes, tagged by command; HTTP requests by route and status.
 *
 * <p>Thread-safe.
 */
public final class NodeMetrics implements CommitListener, HttpServer.Observer {
  private static final Duration[] LATENCY_BUCKETS = {
    Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
    Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
    Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(10)
  };

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Counter started;
  private final Counter completed;
  private final Counter terminated;
  private final Counter canceled;
  private final Counter jobsCreated;
  private final Counter jobsActivated;
  private final Counter jobsCompleted;
  private final Counter jobsFailed;
  private final Counter jobErrors;
  private final Counter incidentsCreated;
  private final Counter messagesCorrelated;

  public NodeMetrics(Store store, String nodeId, String cloud) {
    registry.config().commonTags("node", nodeId, "cloud", cloud);
    started = counter("cob.instances.started", "Process instances started");
    completed = counter("cob.instances.completed", "Process instances that reached their end");
    terminated =
        counter("cob.instances.terminated", "Process instances ended by a terminate end event");
    canceled = counter("cob.instances.canceled", "Process instances canceled");
    jobsCreated = counter("cob.jobs.created", "Jobs created");
    jobsActivated = counter("cob.jobs.activated", "Jobs handed to external workers");
    jobsCompleted = counter("cob.jobs.completed", "Jobs completed (by workers or local handlers)");
    jobsFailed = counter("cob.jobs.failed", "Job attempts that failed");
    jobErrors = counter("cob.jobs.errors", "BPMN errors thrown by jobs");
    incidentsCreated = counter("cob.incidents.created", "Incidents raised");
    messagesCorrelated = counter("cob.messages.correlated", "Messages correlated to instances");
    Gauge.builder("cob.incidents.open", store, s -> s.incidents(null).size())
        .description("Open incidents in the store")
        .strongReference(true)
        .register(registry);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
  }

  private Counter counter(String name, String description) {
    return Counter.builder(name).description(description).register(registry);
  }

  @Override
  public void committed(InstanceState state, List<EventRecord> events) {
    for (EventRecord r : events) {
      switch (r.event()) {
        case InstanceEvent.InstanceCreated c -> started.increment();
        case InstanceEvent.InstanceEnded e -> {
          switch (e.state()) {
            case "COMPLETED" -> completed.increment();
            case "TERMINATED" -> terminated.increment();
            default -> canceled.increment();
          }
        }
        case InstanceEvent.JobCreated j -> jobsCreated.increment();
        case InstanceEvent.JobCompleted j -> jobsCompleted.increment();
        case InstanceEvent.JobFailed j -> jobsFailed.increment();
        case InstanceEvent.JobErrorThrown j -> jobErrors.increment();
        case InstanceEvent.IncidentCreated i -> incidentsCreated.increment();
        case InstanceEvent.MessageCorrelated m -> messagesCorrelated.increment();
        default -> {
          // not counted
        }
      }
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
