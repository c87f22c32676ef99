package io.cob.connectors.http;

import io.cob.connectors.ConnectorContext;
import io.cob.connectors.ConnectorException;
import io.cob.connectors.JobConfig;
import io.cob.engine.port.ActivatedJob;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The settings of one http task, where some fall back to node-wide defaults: a setting the task
 * sets (header or variable) wins; else {@code connectors.http.NAME} from {@code cob.yaml}; else the
 * built-in default. Node defaults may refer to secrets as {@code {{secrets.NAME}}} too.
 *
 * <p>Settings with node defaults: {@link #NODE_DEFAULTS}. The others are per task only.
 */
final class HttpSettings {
  /** The settings {@code connectors.http.*} may give a default for. */
  static final java.util.Set<String> NODE_DEFAULTS =
      java.util.Set.of(
          "connectTimeout",
          "timeout",
          "trustStore",
          "trustStoreType",
          "trustStorePassword",
          "keyStore",
          "keyStoreType",
          "keyStorePassword",
          "maxResponseBytes");

  private final JobConfig task;
  private final JobConfig node;

  HttpSettings(JobConfig task, ConnectorContext context) {
    this.task = task;
    Map<String, Object> defaults = context.settings("http");
    ActivatedJob j = task.job();
    // The node's settings read through the same typed getters, as if they were the task's inputs.
    this.node =
        new JobConfig(
            new ActivatedJob(
                j.key(),
                j.type(),
                j.instanceId(),
                j.elementId(),
                j.elementInstanceKey(),
                j.retries(),
                defaults,
                Map.of(),
                j.idempotencyKey(),
                defaults,
                j.traceparent()),
            context);
  }

  JobConfig task() {
    return task;
  }

  Optional<String> optionalString(String name) {
    return byTask(name)
        ? task.optionalString(name)
        : fromNode(name, () -> node.optionalString(name));
  }

  String string(String name, String otherwise) {
    return optionalString(name).orElse(otherwise);
  }

  Duration duration(String name, Duration otherwise) {
    Duration d =
        byTask(name)
            ? task.duration(name, otherwise)
            : fromNode(name, () -> node.duration(name, otherwise));
    if (d.isNegative() || d.isZero()) {
      throw ConnectorException.misconfigured(
          "setting '" + name + "' must be a positive duration, not " + d);
    }
    return d;
  }

  long positive(String name, long otherwise) {
    long n =
        byTask(name)
            ? task.number(name, otherwise)
            : fromNode(name, () -> node.number(name, otherwise));
    if (n <= 0) {
      throw ConnectorException.misconfigured(
          "setting '" + name + "' must be a positive whole number, not " + n);
    }
    return n;
  }

  /** A setting only the node gives ({@code connectors.http.NAME}), never the task. */
  long nodePositive(String name, long otherwise) {
    long n = fromNode(name, () -> node.number(name, otherwise));
    if (n <= 0) {
      throw ConnectorException.misconfigured(
          "node setting connectors.http." + name + " must be a positive whole number, not " + n);
    }
    return n;
  }

  private boolean byTask(String name) {
    return task.has(name) || !NODE_DEFAULTS.contains(name);
  }

  private static <T> T fromNode(String name, Supplier<T> read) {
    try {
      return read.get();
    } catch (ConnectorException e) {
      throw ConnectorException.misconfigured(
          "node setting connectors.http." + name + " (cob.yaml): " + e.getMessage());
    }
  }
}
