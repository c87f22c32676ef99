package io.cob.bench.flowable;

import com.zaxxer.hikari.HikariDataSource;
import io.cob.bench.BenchEngine;
import io.cob.bench.Pools;
import java.util.LinkedHashMap;
import java.util.Map;
import org.flowable.engine.ProcessEngine;
import org.flowable.engine.ProcessEngineConfiguration;
import org.flowable.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.flowable.engine.impl.cfg.StandaloneProcessEngineConfiguration;
import org.flowable.engine.runtime.Execution;

/**
 * Flowable embedded with its standalone configuration and its defaults, except: the schema is
 * created on the fresh database, the async executor runs (it executes the async service tasks of
 * P2), and the data source is the same HikariCP pool the other engines get. The history level is
 * not set, so it is Flowable's default.
 */
public final class FlowableBench implements BenchEngine {
  private final HikariDataSource pool;
  private final ProcessEngine engine;
  private final ProcessEngineConfigurationImpl config;

  public FlowableBench(String jdbcUrl, int poolSize) {
    this.pool = Pools.hikari(jdbcUrl, "flowable", poolSize);
    StandaloneProcessEngineConfiguration c = new StandaloneProcessEngineConfiguration();
    c.setEngineName("bench");
    c.setDataSource(pool);
    c.setDatabaseSchemaUpdate(ProcessEngineConfiguration.DB_SCHEMA_UPDATE_TRUE);
    c.setAsyncExecutorActivate(true);
    this.config = c;
    this.engine = c.buildProcessEngine();
  }

  @Override
  public String version() {
    return "Flowable " + ProcessEngine.class.getPackage().getImplementationVersion();
  }

  @Override
  public Map<String, String> settings() {
    Map<String, String> s = new LinkedHashMap<>();
    s.put("history", config.getHistoryLevel().getKey() + " (default)");
    s.put(
        "durable steps",
        "flowable:async on each service task (JavaDelegate), exclusive jobs (default)");
    s.put("synchronous steps", "service task with a JavaDelegate");
    s.put(
        "job executor",
        "async executor on, defaults: "
            + config.getAsyncExecutorCorePoolSize()
            + "-"
            + config.getAsyncExecutorMaxPoolSize()
            + " threads, queue "
            + config.getAsyncExecutorThreadPoolQueueSize()
            + ", "
            + config.getAsyncExecutorMaxAsyncJobsDuePerAcquisition()
            + " jobs per acquisition");
    s.put("pool", Pools.describe(pool.getMaximumPoolSize()));
    return s;
  }

  @Override
  public void deploy(String processId, String bpmnXml) {
    engine
        .getRepositoryService()
        .createDeployment()
        .addString(processId + ".bpmn20.xml", bpmnXml)
        .deploy();
  }

  @Override
  public void start(String processId, String businessKey, Map<String, Object> variables) {
    engine.getRuntimeService().startProcessInstanceByKey(processId, businessKey, variables);
  }

  /**
   * Flowable correlates by execution: find the one subscribed under the business key, then signal
   * it.
   */
  @Override
  public void correlate(String name, String businessKey) {
    Execution waiting =
        engine
            .getRuntimeService()
            .createExecutionQuery()
            .messageEventSubscriptionName(name)
            .processInstanceBusinessKey(businessKey, true)
            .singleResult();
    if (waiting == null) {
      throw new IllegalStateException(
          "message " + name + " for " + businessKey + " found no execution");
    }
    engine.getRuntimeService().messageEventReceived(name, waiting.getId());
  }

  @Override
  public long completedInstances(String processId) {
    return engine
        .getHistoryService()
        .createHistoricProcessInstanceQuery()
        .processDefinitionKey(processId)
        .finished()
        .count();
  }

  @Override
  public long unfinishedInstances(String processId) {
    return engine
        .getRuntimeService()
        .createProcessInstanceQuery()
        .processDefinitionKey(processId)
        .count();
  }

  @Override
  public void close() {
    engine.close();
    pool.close();
  }
}
