package io.cob.connectors;

import io.cob.engine.blob.InMemoryBlobStore;
import io.cob.engine.port.ActivatedJob;
import io.cob.model.expr.StandardExpressionEvaluator;
import java.net.URI;
import java.time.Clock;
import java.util.Map;

/** Contexts and jobs for connector tests. */
public final class TestContexts {
  private TestContexts() {}

  public static ConnectorContext context(Map<String, String> secrets, JobOutcomes outcomes) {
    return context("node-1", secrets, outcomes, Map.of());
  }

  /** A context for node {@code nodeId} with connector settings ({@code connectors.NAME.*}). */
  public static ConnectorContext context(
      String nodeId,
      Map<String, String> secrets,
      JobOutcomes outcomes,
      Map<String, Map<String, Object>> settings) {
    return new ConnectorContext(
        nodeId,
        "private",
        Secrets.of(secrets),
        new InMemoryBlobStore(),
        new StandardExpressionEvaluator(),
        Clock.systemUTC(),
        null,
        outcomes,
        () -> URI.create("http://127.0.0.1:8080"),
        "0123456789abcdef0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.UTF_8),
        settings);
  }

  public static ActivatedJob job(
      String type, Map<String, String> headers, Map<String, Object> variables) {
    return new ActivatedJob(
        "0190c9a4-7b1e-7000-8000-000000000001:7",
        type,
        "0190c9a4-7b1e-7000-8000-000000000001",
        "task",
        5,
        3,
        variables,
        headers,
        "0190c9a4-7b1e-7000-8000-000000000001:5",
        variables);
  }
}
