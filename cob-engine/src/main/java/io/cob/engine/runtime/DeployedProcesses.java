package io.cob.engine.runtime;

import io.cob.engine.port.Store;
import io.cob.engine.port.StoreRows.ProcessVersion;
import io.cob.engine.processor.ProcessLookup;
import io.cob.model.BpmnDocument;
import io.cob.model.EventDefinition;
import io.cob.model.ProcessDefinition;
import io.cob.model.StartEvent;
import io.cob.model.parse.BpmnParser;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The parsed definitions of deployed processes, loaded from the store on first use and kept: a
 * deployed version never changes, so that cache never goes stale.
 *
 * <p>Which version is the latest is kept too, per process id, once the store has named one: a
 * deployment through this node replaces it, and {@link #forgetLatest()} drops them all. Another
 * node may deploy a newer version meanwhile, so a cached latest version can be outdated; it is safe
 * because an instance started on it carries the version it assumed to be the latest ({@link
 * io.cob.engine.port.InstanceCommit#assumedLatestVersion()}), the store refuses that commit as
 * stale when a newer version exists, and the writer then forgets the cached versions and starts the
 * instance again on the store's latest. An absent process is not cached: it is asked of the store
 * every time, so a process deployed elsewhere is found at once.
 *
 * <p>Thread-safe.
 */
final class DeployedProcesses implements ProcessLookup {
  private final Store store;
  private final BpmnParser parser;
  private final Map<String, Deployed> byKey = new ConcurrentHashMap<>();
  private final Map<String, Integer> latest = new ConcurrentHashMap<>();

  DeployedProcesses(Store store, BpmnParser parser) {
    this.store = store;
    this.parser = parser;
  }

  @Override
  public Optional<Deployed> find(String processId, int version) {
    int v = version;
    if (v <= 0) {
      Integer known = latest.get(processId);
      if (known == null) {
        Optional<ProcessVersion> pv = store.latestProcess(processId);
        if (pv.isEmpty()) {
          return Optional.empty();
        }
        known = latest.merge(processId, pv.get().version(), Math::max);
      }
      v = known;
    }
    String key = processId + ":" + v;
    Deployed d = byKey.get(key);
    if (d != null) {
      return Optional.of(d);
    }
    int version0 = v;
    Optional<String> xml = store.processXml(processId, v);
    if (xml.isEmpty()) {
      return Optional.empty();
    }
    BpmnDocument doc =
        parser.parse(processId + ".bpmn", xml.get().getBytes(StandardCharsets.UTF_8));
    ProcessDefinition def =
        doc.process(processId)
            .orElseThrow(
                () ->
                    new IllegalStateException("stored resource of " + key + " does not define it"));
    Deployed deployed = new Deployed(def, version0);
    byKey.putIfAbsent(key, deployed);
    return Optional.of(byKey.get(key));
  }

  /**
   * Keeps the definition of a freshly deployed version, so that it need not be parsed again, and
   * makes it the latest unless a newer one is known.
   */
  void deployed(String processId, int version, ProcessDefinition def) {
    byKey.putIfAbsent(processId + ":" + version, new Deployed(def, version));
    latest.merge(processId, version, Math::max);
  }

  /**
   * Forgets which versions are the latest: the next lookups ask the store. Called when a commit was
   * refused, since the refusal may be due to a newer version deployed through another node.
   */
  void forgetLatest() {
    latest.clear();
  }

  /**
   * The latest version of every process with a message start event of that name. The latest
   * versions are read from the store here, not from the cache: an instance started by message is
   * started on an explicit version, which no commit checks against the latest.
   */
  List<MessageStart> messageStarts(String messageName) {
    List<MessageStart> out = new ArrayList<>();
    Map<String, Integer> latestVersions = new java.util.LinkedHashMap<>();
    for (ProcessVersion pv : store.processes()) {
      latestVersions.merge(pv.processId(), pv.version(), Math::max);
    }
    for (Map.Entry<String, Integer> pv : latestVersions.entrySet()) {
      find(pv.getKey(), pv.getValue())
          .ifPresent(
              d -> {
                for (StartEvent s : d.definition().startEvents(d.definition().id())) {
                  if (s.trigger() instanceof EventDefinition.Message m
                      && m.message().name().isLiteral()
                      && m.message().name().text().equals(messageName)) {
                    out.add(new MessageStart(d.definition().id(), d.version(), s.id()));
                  }
                }
              });
    }
    return out;
  }

  record MessageStart(String processId, int version, String startEventId) {}
}
