package io.cob.server.api;

import io.cob.engine.Engine;
import io.cob.engine.port.Store;
import io.cob.server.http.Call;
import io.cob.server.http.Reply;
import io.cob.server.http.Router;
import io.cob.server.metrics.NodeMetrics;
import io.cob.server.problem.ProblemException;

/**
 * Incidents: {@code GET /incidents} (open ones, of one instance with {@code ?instanceId=}) and
 * {@code POST /incidents/{id}/retry} (204): resolves the incident; a job incident gets {@code
 * retries} back (default 1) and runs again. 404 when the incident is not open.
 */
public final class IncidentsApi {
  private final Engine engine;
  private final Store store;
  private final NodeMetrics metrics;

  public IncidentsApi(Engine engine, NodeMetrics metrics) {
    this.engine = engine;
    this.store = engine.store();
    this.metrics = metrics;
  }

  public void register(Router r) {
    r.get("/api/v1/incidents", this::list);
    r.post("/api/v1/incidents/{id}/retry", this::retry);
  }

  public record RetryRequest(Integer retries) {}

  Reply list(Call call) {
    call.allowQuery("instanceId");
    return Reply.ok(
        store.incidents(call.query("instanceId")).stream().map(Views::incident).toList());
  }

  Reply retry(Call call) throws Exception {
    call.allowQuery();
    String id = call.param("id");
    RetryRequest req = call.json(RetryRequest.class, false);
    int retries =
        req == null || req.retries() == null
            ? 1
            : Fields.range(req.retries(), "retries", 1, Integer.MAX_VALUE);
    int colon = id.lastIndexOf(':');
    boolean open =
        colon > 0
            && store.incidents(id.substring(0, colon)).stream().anyMatch(i -> i.key().equals(id));
    if (!open) {
      throw ProblemException.notFound("incident " + id + " is not open (unknown or resolved)");
    }
    metrics.run("resolveIncident", () -> engine.resolveIncident(id, retries));
    return Reply.noContent();
  }
}
