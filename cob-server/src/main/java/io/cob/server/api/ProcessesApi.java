package io.cob.server.api;

import io.cob.engine.port.Store;
import io.cob.engine.port.StoreRows.ProcessVersion;
import io.cob.server.http.Call;
import io.cob.server.http.Reply;
import io.cob.server.http.Router;
import io.cob.server.problem.ProblemException;
import java.util.Optional;

/**
 * {@code GET /processes} (every version of every deployed process, by process id then version) and
 * {@code GET /processes/{processId}/xml} (the BPMN of the latest version, or of {@code
 * ?version=N}).
 */
public final class ProcessesApi {
  private final Store store;

  public ProcessesApi(Store store) {
    this.store = store;
  }

  public void register(Router r) {
    r.get("/api/v1/processes", this::list);
    r.get("/api/v1/processes/{processId}/xml", this::xml);
  }

  Reply list(Call call) {
    call.allowQuery();
    return Reply.ok(store.processes().stream().map(Views::process).toList());
  }

  Reply xml(Call call) {
    call.allowQuery("version");
    String id = call.param("processId");
    int version = call.queryInt("version", 0, 1, Integer.MAX_VALUE);
    Optional<ProcessVersion> pv =
        version == 0 ? store.latestProcess(id) : store.process(id, version);
    if (pv.isEmpty()) {
      throw ProblemException.notFound(
          "process '"
              + id
              + "'"
              + (version == 0 ? "" : " version " + version)
              + " is not deployed");
    }
    String xml =
        store
            .processXml(id, pv.get().version())
            .orElseThrow(
                () -> ProblemException.notFound("the BPMN of process '" + id + "' is not stored"));
    return Reply.text(200, "application/xml; charset=utf-8", xml);
  }
}
