package io.cob.demo;

import io.cob.demo.services.IdempotencyLedger.Tally;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a demo run did.
 *
 * @param scenario {@code order} or {@code claim}
 * @param instanceId the instance, or {@code null} when the run failed before starting it
 * @param state the instance's state at the end ({@code COMPLETED} on success)
 * @param setup the time to start services and nodes and deploy
 * @param run the time from starting the instance to its end
 * @param stepsPerCloud steps completed per cloud, as the engine placed them
 * @param effects per ledger (e.g. {@code payment provider charges}): requests and effects per
 *     idempotency key
 * @param report the downloaded PDF, or {@code null}
 * @param trace every trace line
 * @param notes what the reader should know (limits of this build, the staged outage)
 * @param failure why the run failed, or {@code null} on success
 */
public record DemoResult(
    String scenario,
    String instanceId,
    String state,
    Duration setup,
    Duration run,
    Map<String, Integer> stepsPerCloud,
    Map<String, Map<String, Tally>> effects,
    Path report,
    List<TraceLine> trace,
    List<String> notes,
    String failure) {

  /** Completed, with its report, and every effect applied exactly once. */
  public boolean succeeded() {
    return failure == null;
  }

  /** The run as one JSON-ready map (for {@code cob demo --json}). */
  public Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("scenario", scenario);
    m.put("instanceId", instanceId);
    m.put("state", state);
    m.put("setupMillis", setup.toMillis());
    m.put("runMillis", run.toMillis());
    m.put("stepsPerCloud", stepsPerCloud);
    Map<String, Object> fx = new LinkedHashMap<>();
    effects.forEach(
        (name, byKey) -> {
          Map<String, Object> keys = new LinkedHashMap<>();
          byKey.forEach(
              (k, t) -> keys.put(k, Map.of("requests", t.requests(), "effects", t.effects())));
          fx.put(name, keys);
        });
    m.put("effects", fx);
    m.put("report", report == null ? null : report.toAbsolutePath().toString());
    m.put(
        "trace",
        trace.stream()
            .map(
                l -> {
                  Map<String, Object> t = new LinkedHashMap<>();
                  t.put("atMillis", l.at().toMillis());
                  t.put("cloud", l.cloud());
                  t.put("node", l.node());
                  t.put("element", l.element());
                  t.put("what", l.what());
                  t.put("kind", l.kind().name());
                  if (l.modelCloud() != null) {
                    t.put("laneCloud", l.modelCloud());
                  }
                  return t;
                })
            .toList());
    m.put("notes", notes);
    m.put("failure", failure);
    return m;
  }
}
