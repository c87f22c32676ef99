package io.cob.connectors;

import io.cob.engine.port.BlobStore;
import io.cob.engine.port.Store;
import io.cob.model.expr.ExpressionEvaluator;
import java.net.URI;
import java.time.Clock;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What connectors of one node share: where they run, the secrets, the blob store, expressions, the
 * clock, the store (for reports over an instance's history), how to report late outcomes, and the
 * per-connector settings from {@code cob.yaml} ({@code connectors.NAME.*}).
 *
 * @param publicBaseUri the node's address as services reach it, for callback URLs; a supplier
 *     because a node learns its port only once its HTTP server runs
 * @param callbackKey the key that signs callback tokens; the same on every node of one store
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
    Map<String, Map<String, Object>> settings) {

  public ConnectorContext {
    settings = Map.copyOf(settings);
  }

  /** The settings of one connector ({@code connectors.NAME} in {@code cob.yaml}), maybe empty. */
  public Map<String, Object> settings(String connector) {
    return settings.getOrDefault(connector, Map.of());
  }
}
