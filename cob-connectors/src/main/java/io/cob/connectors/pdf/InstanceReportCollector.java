package io.cob.connectors.pdf;

import io.cob.connectors.ConnectorException;
import io.cob.connectors.pdf.InstanceReport.IncidentLine;
import io.cob.connectors.pdf.InstanceReport.PathStep;
import io.cob.connectors.pdf.InstanceReport.VariableLine;
import io.cob.engine.event.EventRecord;
import io.cob.engine.event.InstanceEvent;
import io.cob.engine.port.ActivatedJob;
import io.cob.engine.port.Store;
import io.cob.engine.port.StoreRows.InstanceSummary;
import io.cob.engine.port.StoreRows.ProcessVersion;
import io.cob.model.FlowNode;
import io.cob.model.ProcessDefinition;
import io.cob.model.expr.ExpressionEvaluator;
import io.cob.model.parse.BpmnParser;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects what a completion report says about the instance of a job: the summary from the store,
 * the path and the incidents from the instance's event log, element and process names from the
 * deployed definition, and the variables the job sees.
 *
 * <p>The report task runs before the instance ends, so the path ends at the report task's element
 * and the state is the one at that moment. Thread-safe: element names are cached per process
 * version, which never changes once deployed.
 */
final class InstanceReportCollector {
  private static final Logger LOG = LoggerFactory.getLogger(InstanceReportCollector.class);
  private static final int MAX_CACHED_PROCESSES = 256;

  private final Store store;
  private final BpmnParser parser;
  private final Clock clock;
  private final Map<String, Map<String, String>> namesByProcess = new ConcurrentHashMap<>();

  InstanceReportCollector(Store store, ExpressionEvaluator expressions, Clock clock) {
    this.store = store;
    this.parser = new BpmnParser(expressions);
    this.clock = clock;
  }

  InstanceReport collect(ActivatedJob job, ReportSettings settings) {
    InstanceSummary summary =
        store
            .instance(job.instanceId())
            .orElseThrow(
                () ->
                    ConnectorException.transientFailure(
                        "instance " + job.instanceId() + " is not in the store", null))
            .summary();
    String processName =
        store
            .process(summary.processId(), summary.version())
            .map(ProcessVersion::name)
            .filter(n -> n != null && !n.isBlank())
            .orElse(summary.processId());
    // The process itself is the first element of the path: show it by its name too.
    Map<String, String> names = new HashMap<>(elementNames(summary.processId(), summary.version()));
    names.putIfAbsent(summary.processId(), processName);
    List<EventRecord> log = store.history(job.instanceId());
    List<PathStep> path = path(log, names, summary.ownerCloud());
    int max = settings.maxPathRows();
    int omittedAfter = 0;
    int omitted = 0;
    if (path.size() > max) {
      // Keep the beginning and the end of a long path: where it started and how it got here.
      omittedAfter = (max + 1) / 2;
      omitted = path.size() - max;
      List<PathStep> kept = new ArrayList<>(path.subList(0, omittedAfter));
      kept.addAll(path.subList(path.size() - (max - omittedAfter), path.size()));
      path = kept;
    }
    return new InstanceReport(
        summary.processId(),
        summary.version(),
        processName,
        summary.id(),
        summary.businessKey(),
        summary.state(),
        summary.ownerCloud(),
        summary.startedAt(),
        summary.endedAt(),
        clock.instant(),
        job.elementId(),
        names.getOrDefault(job.elementId(), job.elementId()),
        path,
        omittedAfter,
        omitted,
        variables(job.variables(), settings),
        incidents(log));
  }

  /** Element ids to display names; an element without a name is shown by its id. */
  private Map<String, String> elementNames(String processId, int version) {
    String key = processId + ":" + version;
    Map<String, String> cached = namesByProcess.get(key);
    if (cached != null) {
      return cached;
    }
    Map<String, String> names = new HashMap<>();
    try {
      store
          .processXml(processId, version)
          .map(xml -> parser.parse(key + ".bpmn", xml.getBytes(StandardCharsets.UTF_8)))
          .flatMap(doc -> doc.process(processId))
          .map(ProcessDefinition::nodes)
          .ifPresent(
              nodes -> {
                for (FlowNode n : nodes.values()) {
                  if (n.name() != null && !n.name().isBlank()) {
                    names.put(n.id(), n.name());
                  }
                }
              });
    } catch (RuntimeException e) {
      // A definition the engine runs always parses; if it does not, ids still make a report.
      LOG.warn("event=pdf_names_unavailable process={} error={}", key, e.toString());
    }
    if (namesByProcess.size() >= MAX_CACHED_PROCESSES) {
      namesByProcess.clear();
    }
    namesByProcess.put(key, Map.copyOf(names));
    return names;
  }

  /** The element events of the log, each with the cloud its element instance ran on. */
  static List<PathStep> path(List<EventRecord> log, Map<String, String> names, String ownerCloud) {
    Map<Long, String> cloudOfKey = new HashMap<>();
    Map<Long, Integer> loopOfKey = new HashMap<>();
    List<PathStep> out = new ArrayList<>();
    for (EventRecord r : log) {
      switch (r.event()) {
        case InstanceEvent.ElementActivated a -> {
          String cloud = a.cloud() == null ? ownerCloud : a.cloud();
          cloudOfKey.put(a.key(), cloud);
          if (a.loopCounter() != null) {
            loopOfKey.put(a.key(), a.loopCounter());
          }
          out.add(
              step(r, a.elementId(), a.elementType(), "ACTIVATED", cloud, a.loopCounter(), names));
        }
        case InstanceEvent.ElementCompleted c ->
            out.add(
                step(
                    r,
                    c.elementId(),
                    c.elementType(),
                    "COMPLETED",
                    cloudOfKey.getOrDefault(c.key(), ownerCloud),
                    loopOfKey.get(c.key()),
                    names));
        case InstanceEvent.ElementTerminated t ->
            out.add(
                step(
                    r,
                    t.elementId(),
                    t.elementType(),
                    "TERMINATED",
                    cloudOfKey.getOrDefault(t.key(), ownerCloud),
                    loopOfKey.get(t.key()),
                    names));
        default -> {
          // not a step of the path
        }
      }
    }
    return out;
  }

  private static PathStep step(
      EventRecord r,
      String elementId,
      String type,
      String event,
      String cloud,
      Integer loop,
      Map<String, String> names) {
    return new PathStep(
        r.at(), elementId, names.getOrDefault(elementId, elementId), type, event, cloud, loop);
  }

  /** Every incident of the log, with the time it was resolved if it was. */
  static List<IncidentLine> incidents(List<EventRecord> log) {
    Map<Long, IncidentLine> byKey = new LinkedHashMap<>();
    for (EventRecord r : log) {
      switch (r.event()) {
        case InstanceEvent.IncidentCreated c ->
            byKey.put(
                c.incidentKey(),
                new IncidentLine(r.at(), null, c.elementId(), c.kind(), c.message()));
        case InstanceEvent.IncidentResolved res ->
            byKey.computeIfPresent(
                res.incidentKey(),
                (k, i) ->
                    new IncidentLine(i.createdAt(), r.at(), i.elementId(), i.kind(), i.message()));
        default -> {
          // not about incidents
        }
      }
    }
    return List.copyOf(byKey.values());
  }

  /** The chosen variables (all when none were named), by name; a named one not set says so. */
  private static List<VariableLine> variables(Map<String, Object> all, ReportSettings settings) {
    VariableText text = new VariableText(settings.maxValueLength());
    List<VariableLine> out = new ArrayList<>();
    if (settings.variables() == null) {
      new TreeMap<>(all)
          .forEach((name, value) -> out.add(new VariableLine(name, text.format(name, value, all))));
      return out;
    }
    for (String name : settings.variables()) {
      out.add(
          new VariableLine(
              name, all.containsKey(name) ? text.format(name, all.get(name), all) : "(not set)"));
    }
    return out;
  }
}
