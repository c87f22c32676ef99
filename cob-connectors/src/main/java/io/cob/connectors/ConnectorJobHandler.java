package io.cob.connectors;

import io.cob.engine.port.ActivatedJob;
import io.cob.engine.port.JobHandler;
import io.cob.engine.port.JobResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs a {@link Connector} as the engine's handler of its job type. */
public final class ConnectorJobHandler implements JobHandler {
  private static final Logger LOG = LoggerFactory.getLogger(ConnectorJobHandler.class);
  private final Connector connector;
  private final ConnectorContext context;

  public ConnectorJobHandler(Connector connector, ConnectorContext context) {
    this.connector = connector;
    this.context = context;
  }

  @Override
  public JobResult handle(ActivatedJob job) throws Exception {
    try {
      return connector.execute(job, new JobConfig(job, context));
    } catch (ConnectorException e) {
      LOG.info(
          "event=connector_failed type={} instance={} element={} retryable={} error={}",
          connector.type(),
          job.instanceId(),
          job.elementId(),
          e.retryable(),
          e.getMessage());
      String message = connector.type() + " task '" + job.elementId() + "': " + e.getMessage();
      return e.retryable()
          ? new JobResult.Fail(message, null, e.backoff())
          : new JobResult.Fail(message, 0, null);
    }
  }
}
