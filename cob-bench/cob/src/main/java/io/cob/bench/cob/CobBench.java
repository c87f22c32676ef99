package io.cob.bench.cob;

import io.cob.bench.BenchEngine;
import io.cob.bench.Completions;
import io.cob.bench.Models;
import io.cob.bench.Pools;
import io.cob.engine.Engine;
import io.cob.engine.port.JobResult;
import io.cob.engine.port.StoreRows.InstanceQuery;
import io.cob.engine.runtime.BpmnResource;
import io.cob.engine.runtime.PublishResult;
import io.cob.store.jdbc.JdbcStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * cob embedded as a user would embed it: {@link JdbcStore} (its own HikariCP pool) and the engine
 * with its default settings, plus a handler for the benchmark's no-op job type, which makes this
 * node run those jobs itself (stored locked by it, handed over right after the commit).
 */
public final class CobBench implements BenchEngine {
  private final Engine engine;

  private final int poolSize;

  public CobBench(String jdbcUrl, int poolSize, Completions completions) {
    this.poolSize = poolSize;
    JdbcStore store = JdbcStore.open(jdbcUrl, null, null, poolSize);
    this.engine =
        Engine.builder(new ObservedStore(store, completions))
            .nodeId("bench")
            .jobHandler(
                Models.NOOP_JOB_TYPE,
                job -> {
                  completions.handlerCalled();
                  return JobResult.complete();
                })
            .build()
            .start();
  }

  @Override
  public String version() {
    String v = Engine.class.getPackage().getImplementationVersion();
    return "cob " + (v == null ? "(built from source)" : v);
  }

  @Override
  public Map<String, String> settings() {
    Map<String, String> s = new LinkedHashMap<>();
    s.put("history", "the instance event log (always on, written in the same commit)");
    s.put(
        "durable steps", "service task with a job type handled on this node: committed, then run");
    s.put("synchronous steps", "plain `<task>` (no job; in memory up to the next wait state)");
    s.put("engine", "defaults: group commit up to 256 commands, 64 concurrent local jobs");
    s.put("pool", "JdbcStore's own: " + Pools.describe(poolSize));
    return s;
  }

  @Override
  public void deploy(String processId, String bpmnXml) {
    engine.deploy(
        List.of(new BpmnResource(processId + ".bpmn", bpmnXml.getBytes(StandardCharsets.UTF_8))));
  }

  @Override
  public void start(String processId, String businessKey, Map<String, Object> variables) {
    engine.startInstance(processId, 0, variables, businessKey);
  }

  @Override
  public void correlate(String name, String businessKey) {
    PublishResult r = engine.publishMessage(name, businessKey, Map.of(), Duration.ZERO, null);
    if (r.correlated().isEmpty()) {
      throw new IllegalStateException(
          "message " + name + " for " + businessKey + " found no instance");
    }
  }

  @Override
  public long completedInstances(String processId) {
    return count("COMPLETED", processId);
  }

  @Override
  public long unfinishedInstances(String processId) {
    return count(null, processId) - count("COMPLETED", processId);
  }

  private long count(String state, String processId) {
    return engine
        .store()
        .instances(new InstanceQuery(state, processId, null, null, null, 0, null))
        .size();
  }

  @Override
  public void close() {
    engine.close();
    engine.store().close();
  }
}
