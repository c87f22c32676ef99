package io.cob.bench;

import java.util.Map;

/**
 * One engine under test, embedded, as the driver sees it. Implementations report every instance end
 * and every no-op step to {@link Completions#INSTANCE}.
 */
public interface BenchEngine extends AutoCloseable {

  /** The engine and its version, e.g. "Camunda 7 7.24.0". */
  String version();

  /** The settings that matter for a fair comparison (history level, executor, pool, ...). */
  Map<String, String> settings();

  void deploy(String processId, String bpmnXml);

  /** Starts an instance of the latest version; returns when the engine has committed the start. */
  void start(String processId, String businessKey, Map<String, Object> variables);

  /** Delivers message {@code name} to the instance waiting for it under this business key. */
  void correlate(String name, String businessKey);

  /** Ended instances of a process, as the engine's own store reports them. */
  long completedInstances(String processId);

  /** Instances of a process that have not ended, as the engine's own store reports them. */
  long unfinishedInstances(String processId);

  @Override
  void close();
}
