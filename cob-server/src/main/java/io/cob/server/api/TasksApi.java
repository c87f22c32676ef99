package io.cob.server.api;

import io.cob.engine.Engine;
import io.cob.engine.port.Store;
import io.cob.engine.port.StoreRows.UserTaskQuery;
import io.cob.engine.port.StoreRows.UserTaskRow;
import io.cob.engine.state.InstanceState;
import io.cob.server.http.Call;
import io.cob.server.http.Reply;
import io.cob.server.http.Router;
import io.cob.server.metrics.NodeMetrics;
import io.cob.server.problem.ProblemException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * User tasks: {@code GET /tasks} (open tasks, filtered by instance, process, assignee, candidate
 * group; each with the variables visible at the task) and {@code POST /tasks/{id}/complete} (204;
 * 404 when the task is not open).
 */
public final class TasksApi {
  public static final int DEFAULT_LIMIT = 1000;

  private final Engine engine;
  private final Store store;
  private final NodeMetrics metrics;

  public TasksApi(Engine engine, NodeMetrics metrics) {
    this.engine = engine;
    this.store = engine.store();
    this.metrics = metrics;
  }

  public void register(Router r) {
    r.get("/api/v1/tasks", this::list);
    r.post("/api/v1/tasks/{id}/complete", this::complete);
  }

  public record CompleteRequest(Map<String, Object> variables) {}

  Reply list(Call call) {
    call.allowQuery("instanceId", "processId", "assignee", "candidateGroup", "limit");
    int limit = call.queryInt("limit", DEFAULT_LIMIT, 1, 10_000);
    List<UserTaskRow> rows =
        store.userTasks(
            new UserTaskQuery(
                call.query("instanceId"),
                call.query("processId"),
                call.query("assignee"),
                call.query("candidateGroup"),
                limit));
    Map<String, Optional<InstanceState>> states = new HashMap<>();
    return Reply.ok(
        rows.stream()
            .map(
                t ->
                    Views.task(
                        t, states.computeIfAbsent(t.instanceId(), engine::instance).orElse(null)))
            .toList());
  }

  Reply complete(Call call) throws Exception {
    call.allowQuery();
    String id = call.param("id");
    CompleteRequest req = call.json(CompleteRequest.class, false);
    if (store.userTask(id).isEmpty()) {
      throw ProblemException.notFound(
          "user task " + id + " is not open (unknown, completed or canceled)");
    }
    metrics.run(
        "completeUserTask",
        () -> engine.completeUserTask(id, req == null ? null : req.variables()));
    return Reply.noContent();
  }
}
