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
 * deployed version never changes, so that cache never goes stale. Which version is the latest is
 * asked of the store every time, since another node may have deployed a newer one.
 *
 * <p>Thread-safe.
 */
final class DeployedProcesses implements ProcessLookup {
  private final Store store;
  private final BpmnParser parser;
  private final Map<String, Deployed> byKey = new ConcurrentHashMap<>();

  DeployedProcesses(Store store, BpmnParser parser) {
    this.store = store;
    this.parser = parser;
  }

  @Override
  public Optional<Deployed> find(String processId, int version) {
    int v = version;
    if (v <= 0) {
      Optional<ProcessVersion> pv = store.latestProcess(processId);
      if (pv.isEmpty()) {
        return Optional.empty();
      }
      v = pv.get().version();
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

  /** Keeps the definition of a freshly deployed version, so that it need not be parsed again. */
  void deployed(String processId, int version, ProcessDefinition def) {
    byKey.putIfAbsent(processId + ":" + version, new Deployed(def, version));
  }

  /** The latest version of every process with a message start event of that name. */
  List<MessageStart> messageStarts(String messageName) {
    List<MessageStart> out = new ArrayList<>();
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (ProcessVersion pv : store.processes()) {
      if (!seen.add(pv.processId())) {
        continue;
      }
      find(pv.processId(), 0)
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
