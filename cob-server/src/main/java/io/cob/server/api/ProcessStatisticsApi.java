package io.cob.server.api;

import io.cob.engine.Engine;
import io.cob.engine.port.Store;
import io.cob.engine.port.StoreRows.InstanceQuery;
import io.cob.engine.port.StoreRows.InstanceSummary;
import io.cob.engine.state.ElementInstance;
import io.cob.engine.state.IncidentInfo;
import io.cob.engine.state.InstanceState;
import io.cob.server.http.Call;
import io.cob.server.http.Reply;
import io.cob.server.http.Router;
import io.cob.server.problem.ProblemException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code GET /processes/{processId}/statistics}: for each element of a process, how many element
 * instances are active there and how many open incidents wait there, over the active instances of
 * one version ({@code ?version=N}) or of all versions. What the console paints on a process
 * diagram.
 *
 * <p>Counts at most {@value #MAX_INSTANCES} instances (in id order, read from the store in pages,
 * their states through the engine's cache) and says {@code truncated} when there were more. Reads
 * only; a consistent snapshot across instances is not promised (each instance is read as it is).
 */
public final class ProcessStatisticsApi {
  /** The most instances counted in one answer. */
  public static final int MAX_INSTANCES = 10_000;

  private static final int PAGE = 500;

  private final Engine engine;
  private final Store store;

  public ProcessStatisticsApi(Engine engine) {
    this.engine = engine;
    this.store = engine.store();
  }

  public void register(Router r) {
    r.get("/api/v1/processes/{processId}/statistics", this::statistics);
  }

  /** The answer: {@code version} is null when all versions were counted. */
  public record Statistics(
      String processId,
      Integer version,
      int instances,
      boolean truncated,
      List<ElementStatistics> elements) {}

  /** One element with something on it, by element id. */
  public record ElementStatistics(String elementId, int active, int incidents) {}

  Reply statistics(Call call) {
    call.allowQuery("version");
    String id = call.param("processId");
    int version = call.queryInt("version", 0, 1, Integer.MAX_VALUE);
    boolean deployed =
        version == 0 ? store.latestProcess(id).isPresent() : store.process(id, version).isPresent();
    if (!deployed) {
      throw ProblemException.notFound(
          "process '"
              + id
              + "'"
              + (version == 0 ? "" : " version " + version)
              + " is not deployed");
    }
    Map<String, int[]> counts = new TreeMap<>();
    int instances = 0;
    boolean truncated = false;
    String after = null;
    while (true) {
      List<InstanceSummary> page =
          store.instances(new InstanceQuery("ACTIVE", id, null, null, null, PAGE, after));
      for (InstanceSummary s : page) {
        if (version != 0 && s.version() != version) {
          continue;
        }
        if (instances == MAX_INSTANCES) {
          truncated = true;
          break;
        }
        instances++;
        engine.instance(s.id()).ifPresent(state -> count(state, counts));
      }
      if (truncated || page.size() < PAGE) {
        break;
      }
      after = page.get(page.size() - 1).id();
    }
    List<ElementStatistics> elements = new ArrayList<>(counts.size());
    counts.forEach((e, c) -> elements.add(new ElementStatistics(e, c[0], c[1])));
    return Reply.ok(
        new Statistics(id, version == 0 ? null : version, instances, truncated, elements));
  }

  private static void count(InstanceState state, Map<String, int[]> counts) {
    for (ElementInstance e : state.elements().values()) {
      if (e.key() != InstanceState.ROOT_KEY) {
        counts.computeIfAbsent(e.elementId(), k -> new int[2])[0]++;
      }
    }
    for (IncidentInfo i : state.incidents().values()) {
      counts.computeIfAbsent(i.elementId(), k -> new int[2])[1]++;
    }
  }
}
