package io.cob.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.cob.engine.event.EventRecord;
import io.cob.engine.event.InstanceEvent;
import io.cob.engine.port.CloudDirectory;
import io.cob.engine.port.JobHandler;
import io.cob.engine.port.Store;
import io.cob.engine.port.StoreRows.IncidentRow;
import io.cob.engine.port.StoreRows.InstanceQuery;
import io.cob.engine.port.StoreRows.InstanceSummary;
import io.cob.engine.port.StoreRows.JobRow;
import io.cob.engine.port.StoreRows.UserTaskQuery;
import io.cob.engine.port.StoreRows.UserTaskRow;
import io.cob.engine.runtime.BpmnResource;
import io.cob.engine.runtime.PublishResult;
import io.cob.engine.state.EventApplier;
import io.cob.engine.state.InstanceState;
import io.cob.engine.store.InMemoryStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A JUnit 5 extension that gives each test an engine on a fresh store with a clock the test moves.
 * Every action waits until the engine is idle, and every settled state is checked against a replay
 * of its event log, so each behaviour test also checks replay equivalence.
 *
 * <pre>{@code
 * @RegisterExtension final EngineHarness engine = new EngineHarness();
 * }</pre>
 */
public final class EngineHarness implements AfterEachCallback, AutoCloseable {
  private final TestClock clock = new TestClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final Map<String, JobHandler> handlers = new LinkedHashMap<>();
  private final Supplier<Store> storeFactory;
  private String cloud = "test";
  private io.cob.engine.port.OwnershipFence fence = io.cob.engine.port.OwnershipFence.NONE;
  private CloudDirectory clouds;
  private Store store;
  private Engine engine;
  private LoopbackDispatch dispatch;
  private io.cob.engine.port.JobDispatch transport;
  private io.cob.engine.port.TraceContext traces = io.cob.engine.port.TraceContext.NONE;

  public EngineHarness() {
    this(InMemoryStore::new);
  }

  public EngineHarness(Supplier<Store> storeFactory) {
    this.storeFactory = storeFactory;
  }

  /** Registers a local job handler; call before the first action. */
  public EngineHarness handler(String type, JobHandler handler) {
    if (engine != null) {
      throw new IllegalStateException("register handlers before the engine starts");
    }
    handlers.put(type, handler);
    return this;
  }

  /**
   * The clouds the engine places steps on; call before the first action. The engine's own cloud is
   * {@code test}. Default: {@link TestClouds#anyNamedUp}.
   */
  public EngineHarness clouds(CloudDirectory directory) {
    if (engine != null) {
      throw new IllegalStateException("set the clouds before the engine starts");
    }
    this.clouds = directory;
    return this;
  }

  /** The engine's own cloud ({@code test} unless set); call before the first action. */
  public EngineHarness cloud(String name) {
    if (engine != null) {
      throw new IllegalStateException("set the cloud before the engine starts");
    }
    this.cloud = name;
    return this;
  }

  /** The engine's ownership fence (never fenced unless set); call before the first action. */
  public EngineHarness fence(io.cob.engine.port.OwnershipFence fence) {
    if (engine != null) {
      throw new IllegalStateException("set the fence before the engine starts");
    }
    this.fence = fence;
    return this;
  }

  public Engine engine() {
    if (engine == null) {
      store = storeFactory.get();
      Engine.Builder b =
          Engine.builder(store)
              .clock(clock)
              .nodeId(cloud + "-node")
              .cloud(cloud)
              .clouds(clouds != null ? clouds : TestClouds.anyNamedUp(cloud))
              .fence(fence)
              .pollInterval(Duration.ofMillis(20))
              .backoff(Duration.ofSeconds(1), Duration.ofMinutes(1));
      b.traceContext(traces);
      handlers.forEach(b::jobHandler);
      dispatch = new LoopbackDispatch(Map.copyOf(handlers), () -> engine);
      b.jobDispatch(transport != null ? transport : dispatch, Duration.ofMinutes(5));
      engine = b.build().start();
    }
    return engine;
  }

  /**
   * Sends jobs placed on other clouds through {@code transport} instead of the loopback stand-in;
   * call before the first action.
   */
  public EngineHarness jobDispatch(io.cob.engine.port.JobDispatch transport) {
    if (engine != null) {
      throw new IllegalStateException("set the dispatch before the engine starts");
    }
    this.transport = transport;
    return this;
  }

  /** Where the engine learns its callers' traces; call before the first action. */
  public EngineHarness traceContext(io.cob.engine.port.TraceContext traces) {
    if (engine != null) {
      throw new IllegalStateException("set the trace context before the engine starts");
    }
    this.traces = traces;
    return this;
  }

  /** What was sent to other clouds, with the stand-in for their nodes. */
  public LoopbackDispatch dispatch() {
    engine();
    return dispatch;
  }

  public TestClock clock() {
    return clock;
  }

  public Store store() {
    engine();
    return store;
  }

  public void deploy(String... xmls) {
    List<BpmnResource> resources = new ArrayList<>();
    for (int i = 0; i < xmls.length; i++) {
      resources.add(
          new BpmnResource("model-" + i + ".bpmn", xmls[i].getBytes(StandardCharsets.UTF_8)));
    }
    engine().deploy(resources);
  }

  public Instance start(String processId) {
    return start(processId, Map.of());
  }

  public Instance start(String processId, Map<String, Object> variables) {
    String id = engine().startInstance(processId, 0, variables, null);
    settle();
    return new Instance(id);
  }

  /** An existing instance by id. */
  public Instance instance(String id) {
    return new Instance(id);
  }

  public PublishResult publish(
      String name, String correlationKey, Map<String, Object> variables, Duration ttl) {
    PublishResult r = engine().publishMessage(name, correlationKey, variables, ttl, null);
    settle();
    return r;
  }

  /** Moves the clock, fires what became due, and waits until all follow-up work is done. */
  public void advance(Duration d) {
    clock.advance(d);
    settle();
  }

  /** Waits until the engine is idle and nothing more is due; then checks replay equivalence. */
  public void settle() {
    Engine e = engine();
    for (int round = 0; round < 100; round++) {
      assertThat(e.awaitIdle(Duration.ofSeconds(10))).as("engine idle").isTrue();
      if (e.tick() == 0 && e.awaitIdle(Duration.ofSeconds(10))) {
        break;
      }
    }
    for (InstanceSummary s :
        store.instances(new InstanceQuery(null, null, null, null, null, 10_000, null))) {
      assertReplayEquivalent(s.id());
    }
  }

  /** The state rebuilt from the log equals the stored state. */
  public void assertReplayEquivalent(String instanceId) {
    InstanceState stored = engine.instance(instanceId).orElseThrow();
    InstanceState replayed = EventApplier.replay(store.history(instanceId));
    assertThat(replayed.toSnapshot()).as("replay of " + instanceId).isEqualTo(stored.toSnapshot());
  }

  @Override
  public void afterEach(ExtensionContext context) {
    close();
  }

  /**
   * Stops the engine and closes the store. Called by {@link #afterEach}; test engines that do not
   * run JUnit Jupiter extensions (jqwik properties) call it themselves.
   */
  public void close() {
    if (engine != null) {
      engine.close();
      store.close();
      engine = null;
    }
  }

  /** A started instance, read fresh from the store on every call. */
  public final class Instance {
    private final String id;

    Instance(String id) {
      this.id = id;
    }

    public String id() {
      return id;
    }

    public InstanceState state() {
      return engine.instance(id).orElseThrow();
    }

    public String status() {
      return state().status();
    }

    public Map<String, Object> variables() {
      return state().localVariables(InstanceState.ROOT_KEY);
    }

    public List<String> activeElements() {
      return state().elements().values().stream()
          .filter(e -> e.key() != InstanceState.ROOT_KEY)
          .map(io.cob.engine.state.ElementInstance::elementId)
          .toList();
    }

    /** Ids of the elements that completed, in order. */
    public List<String> completed() {
      return history().stream()
          .map(EventRecord::event)
          .filter(InstanceEvent.ElementCompleted.class::isInstance)
          .map(ev -> ((InstanceEvent.ElementCompleted) ev).elementId())
          .toList();
    }

    /** Ids of the elements that were terminated, in order. */
    public List<String> terminated() {
      return history().stream()
          .map(EventRecord::event)
          .filter(InstanceEvent.ElementTerminated.class::isInstance)
          .map(ev -> ((InstanceEvent.ElementTerminated) ev).elementId())
          .toList();
    }

    public List<EventRecord> history() {
      return store.history(id);
    }

    public List<JobRow> jobs() {
      return store.jobs(id);
    }

    public JobRow job(String elementId) {
      return jobs().stream()
          .filter(j -> j.elementId().equals(elementId))
          .findFirst()
          .orElseThrow(() -> new AssertionError("no job at " + elementId + "; jobs: " + jobs()));
    }

    public void completeJob(String elementId, Map<String, Object> variables) {
      engine.completeJob(job(elementId).key(), variables);
      settle();
    }

    public void failJob(String elementId, String message) {
      engine.failJob(job(elementId).key(), null, message, null);
      settle();
    }

    public void throwError(String elementId, String code) {
      engine.throwError(job(elementId).key(), code, "thrown by test", Map.of());
      settle();
    }

    public List<UserTaskRow> userTasks() {
      return store.userTasks(new UserTaskQuery(id, null, null, null, 1000));
    }

    public UserTaskRow userTask(String elementId) {
      return userTasks().stream()
          .filter(t -> t.elementId().equals(elementId))
          .findFirst()
          .orElseThrow(
              () -> new AssertionError("no user task at " + elementId + "; tasks: " + userTasks()));
    }

    public void completeUserTask(String elementId, Map<String, Object> variables) {
      engine.completeUserTask(userTask(elementId).key(), variables);
      settle();
    }

    public List<IncidentRow> incidents() {
      return store.incidents(id);
    }

    public void cancel() {
      engine.cancel(id);
      settle();
    }
  }
}
