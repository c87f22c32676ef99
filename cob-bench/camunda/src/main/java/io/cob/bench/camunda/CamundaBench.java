package io.cob.bench.camunda;

import com.zaxxer.hikari.HikariDataSource;
import io.cob.bench.BenchEngine;
import io.cob.bench.Pools;
import java.util.LinkedHashMap;
import java.util.Map;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.ProcessEngineConfiguration;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.cfg.StandaloneProcessEngineConfiguration;
import org.camunda.bpm.engine.impl.jobexecutor.DefaultJobExecutor;
import org.camunda.bpm.engine.impl.jobexecutor.JobExecutor;

/**
 * Camunda 7 embedded with its standalone configuration and its defaults, except: the schema is
 * created on the fresh database, the job executor runs (it executes the async continuations of P2),
 * the data source is the same HikariCP pool the other engines get, and a model without a history
 * time to live is accepted. The history level is not set, so it is Camunda's default.
 */
public final class CamundaBench implements BenchEngine {
  private final HikariDataSource pool;
  private final ProcessEngine engine;
  private final ProcessEngineConfigurationImpl config;

  public CamundaBench(String jdbcUrl, int poolSize) {
    this.pool = Pools.hikari(jdbcUrl, "camunda", poolSize);
    StandaloneProcessEngineConfiguration c = new StandaloneProcessEngineConfiguration();
    c.setProcessEngineName("bench");
    c.setDataSource(pool);
    c.setDatabaseSchemaUpdate(ProcessEngineConfiguration.DB_SCHEMA_UPDATE_TRUE);
    c.setJobExecutorActivate(true);
    // Camunda 7.20+ refuses a model without a history time to live unless this check is off. The
    // models of all engines are the same and keep their history forever (as cob's log is kept);
    // setting a TTL instead would also make Camunda write removal times at every process end.
    c.setEnforceHistoryTimeToLive(false);
    this.config = c;
    this.engine = c.buildProcessEngine();
  }

  @Override
  public String version() {
    return "Camunda 7 " + ProcessEngine.class.getPackage().getImplementationVersion();
  }

  @Override
  public Map<String, String> settings() {
    Map<String, String> s = new LinkedHashMap<>();
    s.put(
        "history",
        config.getHistoryLevel().getName()
            + " (default); no history time to live (enforceHistoryTimeToLive off)");
    s.put(
        "durable steps",
        "camunda:asyncBefore on each service task (JavaDelegate), exclusive jobs (default)");
    s.put("synchronous steps", "service task with a JavaDelegate");
    JobExecutor je = config.getJobExecutor();
    String threads =
        je instanceof DefaultJobExecutor d
            ? d.getCorePoolSize()
                + "-"
                + d.getMaxPoolSize()
                + " threads, queue "
                + d.getQueueSize()
                + ", "
            : "";
    s.put(
        "job executor",
        "on, defaults: " + threads + je.getMaxJobsPerAcquisition() + " jobs per acquisition");
    s.put("pool", Pools.describe(pool.getMaximumPoolSize()));
    return s;
  }

  @Override
  public void deploy(String processId, String bpmnXml) {
    engine
        .getRepositoryService()
        .createDeployment()
        .addString(processId + ".bpmn", bpmnXml)
        .deploy();
  }

  @Override
  public void start(String processId, String businessKey, Map<String, Object> variables) {
    engine.getRuntimeService().startProcessInstanceByKey(processId, businessKey, variables);
  }

  @Override
  public void correlate(String name, String businessKey) {
    engine
        .getRuntimeService()
        .createMessageCorrelation(name)
        .processInstanceBusinessKey(businessKey)
        .correlate();
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
