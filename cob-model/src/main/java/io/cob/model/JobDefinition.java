package io.cob.model;

import java.util.Map;

/**
 * The job a service-like element creates.
 *
 * @param type the job type (literal or expression): which connector or worker does it
 * @param retries how many attempts (literal or expression); default 3
 * @param headers static task headers passed to the worker
 */
public record JobDefinition(Expression type, Expression retries, Map<String, String> headers) {
  public JobDefinition {
    headers = Map.copyOf(headers);
  }
}
