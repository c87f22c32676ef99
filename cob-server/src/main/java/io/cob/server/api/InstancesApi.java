package io.cob.server.api;

import io.cob.engine.Engine;
import io.cob.engine.port.Store;
import io.cob.engine.port.StoreRows.InstanceQuery;
import io.cob.engine.port.StoreRows.InstanceSummary;
import io.cob.engine.state.InstanceState;
import io.cob.server.http.Call;
import io.cob.server.http.Reply;
import io.cob.server.http.Router;
import io.cob.server.metrics.NodeMetrics;
import io.cob.server.problem.ProblemException;
import io.cob.server.tracing.CommandSpans;
import io.cob.server.tracing.NodeTracing;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Process instances: start ({@code POST /instances}, 201), list with filters and paging by id
 * ({@code GET /instances}), get, history, and cancel ({@code DELETE}, 200 with state CANCELED). An
 * unknown instance or process is 404; cancelling an ended instance is 409. A start is the span
 * {@code cob.instance.start}, which begins the instance's trace, or continues the caller's when the
 * request has a {@code traceparent} header.
 */
public final class InstancesApi {
  /** The default and largest page size of {@code GET /instances}. */
  public static final int DEFAULT_LIMIT = 100;

  public static final int MAX_LIMIT = 1000;
  private static final Set<String> STATES =
      Set.of("ACTIVE", "INCIDENT", "COMPLETED", "TERMINATED", "CANCELED");

  private final Engine engine;
  private final Store store;
  private final NodeMetrics metrics;
  private final CommandSpans spans;

  public InstancesApi(Engine engine, NodeMetrics metrics, NodeTracing tracing) {
    this.engine = engine;
    this.store = engine.store();
    this.metrics = metrics;
    this.spans = new CommandSpans(tracing);
  }

  public void register(Router r) {
    r.post("/api/v1/instances", this::start);
    r.get("/api/v1/instances", this::list);
    r.get("/api/v1/instances/{id}", this::get);
    r.get("/api/v1/instances/{id}/history", this::history);
    r.delete("/api/v1/instances/{id}", this::cancel);
  }

  /** The body of {@code POST /instances}. */
  public record StartRequest(
      String processId, Integer version, Map<String, Object> variables, String businessKey) {}

  Reply start(Call call) throws Exception {
    call.allowQuery();
    StartRequest req = call.json(StartRequest.class, true);
    String processId = Fields.text(req.processId(), "processId");
    int version =
        req.version() == null ? 0 : Fields.range(req.version(), "version", 1, Integer.MAX_VALUE);
    // The version is resolved here, from the store: another node may have deployed a newer one
    // than this node's engine has seen.
    int resolved =
        (version == 0 ? store.latestProcess(processId) : store.process(processId, version))
            .map(p -> p.version())
            .orElseThrow(
                () ->
                    ProblemException.notFound(
                        "process '"
                            + processId
                            + "'"
                            + (version == 0 ? "" : " version " + version)
                            + " is not deployed"));
    // The instance's trace begins here (or continues the caller's): see NodeTracing.
    String id =
        spans.run(
            "cob.instance.start",
            "POST",
            "/api/v1/instances",
            call.header("traceparent"),
            span -> {
              span.setAttribute(NodeTracing.PROCESS, processId);
              String started =
                  metrics.time(
                      "startInstance",
                      () ->
                          engine.startInstance(
                              processId, resolved, req.variables(), req.businessKey()));
              span.setAttribute(NodeTracing.INSTANCE, started);
              return started;
            });
    return Reply.json(201, Views.instance(load(id)))
        .withHeader("Location", "/api/v1/instances/" + id);
  }

  Reply list(Call call) {
    call.allowQuery("state", "processId", "businessKey", "cloud", "limit", "after");
    String state = call.query("state");
    if (state != null && !STATES.contains(state)) {
      throw ProblemException.invalid(
          "state",
          "query parameter 'state' must be one of ACTIVE, INCIDENT, COMPLETED,"
              + " TERMINATED, CANCELED, not '"
              + state
              + "'");
    }
    int limit = call.queryInt("limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
    // One more than asked tells whether another page follows.
    List<InstanceSummary> rows =
        store.instances(
            new InstanceQuery(
                state,
                call.query("processId"),
                call.query("businessKey"),
                call.query("cloud"),
                null,
                limit + 1,
                call.query("after")));
    List<Views.Instance> items = new ArrayList<>();
    for (InstanceSummary s : rows.subList(0, Math.min(limit, rows.size()))) {
      engine.instance(s.id()).ifPresent(i -> items.add(Views.instance(i)));
    }
    String next = rows.size() > limit ? rows.get(limit - 1).id() : null;
    return Reply.ok(new Views.Page<>(items, next));
  }

  Reply get(Call call) {
    call.allowQuery();
    return Reply.ok(Views.instance(load(call.param("id"))));
  }

  Reply history(Call call) {
    call.allowQuery();
    InstanceState s = load(call.param("id"));
    return Reply.ok(Views.history(engine.history(s.instanceId()), s.ownerCloud()));
  }

  Reply cancel(Call call) {
    call.allowQuery();
    String id = call.param("id");
    InstanceState s = load(id);
    if (!s.isActive()) {
      throw ProblemException.conflict(
          "instance " + id + " has ended (" + s.status() + ") and cannot be canceled");
    }
    metrics.run("cancel", () -> engine.cancel(id));
    return Reply.ok(Views.instance(load(id)));
  }

  private InstanceState load(String id) {
    return engine
        .instance(id)
        .orElseThrow(() -> ProblemException.notFound("instance " + id + " does not exist"));
  }
}
