package io.cob.connectors;

import io.cob.engine.port.ActivatedJob;
import io.cob.engine.port.JobResult;

/**
 * A job type a node runs itself: it talks to a service (HTTP, SOAP, a broker, a mail server) or
 * makes something (a PDF) and reports the outcome. Configured per task by its headers and input
 * variables, read through {@link JobConfig}.
 *
 * <p>Implementations are thread-safe and idempotent per {@link ActivatedJob#idempotencyKey()}, or
 * pass the key on to the service. They throw {@link ConnectorException} for failures they
 * understand; any other exception counts as a transient failure.
 */
public interface Connector extends AutoCloseable {

  /** The job type this connector does, e.g. {@code http}. */
  String type();

  JobResult execute(ActivatedJob job, JobConfig config) throws Exception;

  /** Releases connections and threads; the default holds none. */
  @Override
  default void close() {}
}
