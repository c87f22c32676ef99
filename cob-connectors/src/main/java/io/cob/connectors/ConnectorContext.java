package io.cob.connectors;

import io.cob.engine.port.BlobStore;
import io.cob.engine.port.Store;
import io.cob.model.expr.ExpressionEvaluator;
import io.opentelemetry.api.OpenTelemetry;
import java.net.URI;
import java.time.Clock;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What connectors of one node share: where they run, the secrets, the blob store, expressions, the
 * clock, the store (for reports over an instance's history), how to report late outcomes, the
 * per-connector settings from {@code cob.yaml} ({@code connectors.NAME.*}), and where spans go.
 *
 * @param publicBaseUri the node's address as services reach it, for callback URLs; a supplier
 *     because a node learns its port only once its HTTP server runs
 * @param callbackKey the key that signs callback tokens; the same on every node of one store
 * @param telemetry where connectors record the spans of their calls ({@link OpenTelemetry#noop()}
 *     when the node does not trace)
 */
public record ConnectorContext(
    String nodeId,
    String cloud,
    Secrets secrets,
    BlobStore blobs,
    ExpressionEvaluator expressions,
    Clock clock,
    Store store,
    JobOutcomes outcomes,
    Supplier<URI> publicBaseUri,
    byte[] callbackKey,
    Map<String, Map<String, Object>> settings,
    OpenTelemetry telemetry) {

  public ConnectorContext {
    settings = Map.copyOf(settings);
    telemetry = telemetry == null ? OpenTelemetry.noop() : telemetry;
  }

  /** The context of connectors that record no spans. */
  public ConnectorContext(
      String nodeId,
      String cloud,
      Secrets secrets,
      BlobStore blobs,
      ExpressionEvaluator expressions,
      Clock clock,
      Store store,
      JobOutcomes outcomes,
      Supplier<URI> publicBaseUri,
      byte[] callbackKey,
      Map<String, Map<String, Object>> settings) {
    this(
        nodeId,
        cloud,
        secrets,
        blobs,
        expressions,
        clock,
        store,
        outcomes,
        publicBaseUri,
        callbackKey,
        settings,
        OpenTelemetry.noop());
  }

  /** The settings of one connector ({@code connectors.NAME} in {@code cob.yaml}), maybe empty. */
  public Map<String, Object> settings(String connector) {
    return settings.getOrDefault(connector, Map.of());
  }
}
