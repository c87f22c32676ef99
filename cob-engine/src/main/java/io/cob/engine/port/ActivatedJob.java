package io.cob.engine.port;

import java.util.Map;

/**
 * A job handed to a handler or worker.
 *
 * @param key the job key ({@code instanceId:jobKey}), used to report the result
 * @param idempotencyKey stable across re-deliveries: {@code instanceId:elementInstanceKey}
 * @param variables the variables visible at the job's element when it was handed out
 * @param headers the static task headers of the element
 * @param inputs the element's own (local) variables, which its input mapping set: where a connector
 *     reads its settings, so that a variable of the process never configures a task by accident
 * @param traceparent the W3C trace context of the instance ({@code InstanceTraced}), which the
 *     spans of the job continue; {@code null} when the instance was started untraced
 */
public record ActivatedJob(
    String key,
    String type,
    String instanceId,
    String elementId,
    long elementInstanceKey,
    int retries,
    Map<String, Object> variables,
    Map<String, String> headers,
    String idempotencyKey,
    Map<String, Object> inputs,
    String traceparent) {

  /** A job of an instance started untraced. */
  public ActivatedJob(
      String key,
      String type,
      String instanceId,
      String elementId,
      long elementInstanceKey,
      int retries,
      Map<String, Object> variables,
      Map<String, String> headers,
      String idempotencyKey,
      Map<String, Object> inputs) {
    this(
        key,
        type,
        instanceId,
        elementId,
        elementInstanceKey,
        retries,
        variables,
        headers,
        idempotencyKey,
        inputs,
        null);
  }
}
