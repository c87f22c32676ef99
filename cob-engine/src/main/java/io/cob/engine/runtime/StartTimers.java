package io.cob.engine.runtime;

import io.cob.engine.command.InstanceCommand.StartInstance;
import io.cob.engine.port.IndexChange;
import io.cob.engine.port.Store;
import io.cob.engine.port.StoreRows.ProcessVersion;
import io.cob.engine.port.StoreRows.TimerRow;
import io.cob.engine.processor.ProcessLookup.Deployed;
import io.cob.model.EventDefinition;
import io.cob.model.ProcessDefinition;
import io.cob.model.StartEvent;
import io.cob.model.TimerSpec;
import io.cob.model.expr.ExpressionEvaluator;
import io.cob.model.timer.CycleSchedule;
import io.cob.model.timer.TimerSchedule;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Timer start events: armed when a process version is deployed (replacing those of the version
 * before), they start an instance each time they fire. The instance id is derived from the timer
 * and its due time, so a firing repeated after a crash starts nothing twice.
 */
final class StartTimers {
  private static final Logger LOG = LoggerFactory.getLogger(StartTimers.class);
  private final Store store;
  private final ExpressionEvaluator evaluator;
  private final DeployedProcesses processes;
  private final CommandLoop loop;

  StartTimers(
      Store store, ExpressionEvaluator evaluator, DeployedProcesses processes, CommandLoop loop) {
    this.store = store;
    this.evaluator = evaluator;
    this.processes = processes;
    this.loop = loop;
  }

  static String key(String processId, String elementId) {
    return "start:" + processId + ":" + elementId;
  }

  /**
   * Arms the timer start events of a newly deployed version and withdraws those of the version it
   * replaces.
   *
   * @param previous the version deployed before, if any
   */
  List<TimerRow> arm(
      ProcessVersion deployed, ProcessDefinition def, Optional<ProcessDefinition> previous) {
    List<IndexChange> changes = new ArrayList<>();
    previous.ifPresent(
        old ->
            timerStarts(old)
                .forEach(s -> changes.add(new IndexChange.RemoveTimer(key(old.id(), s.id())))));
    List<TimerRow> armed = new ArrayList<>();
    for (StartEvent s : timerStarts(def)) {
      TimerSchedule schedule = schedule(s);
      TimerRow row =
          new TimerRow(
              key(def.id(), s.id()),
              null,
              deployed.version(),
              s.id(),
              schedule.firstDue(deployed.deployedAt()));
      changes.add(new IndexChange.PutTimer(row));
      armed.add(row);
    }
    if (!changes.isEmpty()) {
      store.apply(changes);
    }
    return armed;
  }

  /** A start timer is due: start the instance, then re-arm (cycle) or withdraw the timer. */
  void fired(TimerRow row, Runnable done) {
    String processId = row.key().substring("start:".length(), row.key().lastIndexOf(':'));
    int version = (int) row.timerKey();
    String id =
        UUID.nameUUIDFromBytes(
                (row.key() + "@" + version + "@" + row.dueAt()).getBytes(StandardCharsets.UTF_8))
            .toString();
    CompletableFuture<?> started;
    try {
      started =
          loop.submit(
              new StartInstance(id, processId, version, null, Map.of(), row.elementId(), null, 0),
              null);
    } catch (RuntimeException e) {
      done.run();
      throw e;
    }
    started.whenComplete(
        (r, e) -> {
          try {
            if (e != null) {
              LOG.warn(
                  "event=timer_start_failed process={} element={} error={}",
                  processId,
                  row.elementId(),
                  e.toString());
              return;
            }
            store.apply(List.of(next(row, processId, version)));
          } finally {
            done.run();
          }
        });
  }

  private IndexChange next(TimerRow row, String processId, int version) {
    Optional<Deployed> d = processes.find(processId, version);
    Optional<ProcessVersion> pv = store.process(processId, version);
    if (d.isEmpty()
        || pv.isEmpty()
        || !(d.get().definition().node(row.elementId()) instanceof StartEvent s)
        || !(schedule(s) instanceof CycleSchedule cycle)) {
      return new IndexChange.RemoveTimer(row.key());
    }
    if (!cycle.isUnbounded()) {
      int fired = 0;
      for (Instant due = cycle.firstDue(pv.get().deployedAt());
          !due.isAfter(row.dueAt()) && fired <= cycle.repetitions();
          due = TimerSchedule.nextDue(due, cycle.interval())) {
        fired++;
      }
      if (fired >= cycle.repetitions()) {
        return new IndexChange.RemoveTimer(row.key());
      }
    }
    return new IndexChange.PutTimer(
        new TimerRow(
            row.key(),
            null,
            version,
            row.elementId(),
            TimerSchedule.nextDue(row.dueAt(), cycle.interval())));
  }

  private TimerSchedule schedule(StartEvent s) {
    TimerSpec spec = ((EventDefinition.Timer) s.trigger()).timer();
    Object value = evaluator.evaluate(spec.expression(), Map.of());
    return TimerSchedule.parse(spec.kind(), String.valueOf(value));
  }

  private static List<StartEvent> timerStarts(ProcessDefinition def) {
    return def.startEvents(def.id()).stream()
        .filter(s -> s.trigger() instanceof EventDefinition.Timer)
        .toList();
  }
}
