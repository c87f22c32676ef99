package io.cob.server;

import io.cob.connectors.ConnectorContext;
import io.cob.connectors.EngineJobOutcomes;
import io.cob.connectors.JobOutcomes;
import io.cob.connectors.Secrets;
import io.cob.engine.Engine;
import io.cob.engine.blob.InMemoryBlobStore;
import io.cob.engine.port.BlobStore;
import io.cob.engine.port.Store;
import io.cob.model.expr.StandardExpressionEvaluator;
import io.cob.server.config.NodeConfig;
import io.cob.store.jdbc.JdbcStore;
import io.opentelemetry.api.OpenTelemetry;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.function.Supplier;

/** Makes the {@link ConnectorContext} of a node from its configuration and store. */
public final class NodeConnectors {
  /** The name under which the store keeps the key that signs callback tokens. */
  static final String CALLBACK_KEY = "callback-token-key";

  private NodeConnectors() {}

  /**
   * The context of a node's connectors. {@code address} may supply {@code null} where there is no
   * HTTP server ({@code cob run}): connectors that need callbacks then say so.
   */
  public static ConnectorContext context(
      NodeConfig config, Store store, Clock clock, Supplier<Engine> engine, Supplier<URI> address) {
    return context(config, store, clock, new EngineJobOutcomes(engine), address);
  }

  /**
   * The context of a node's connectors, whose late answers go to {@code outcomes} (a node on a bus
   * routes those of jobs it runs for other clouds back to them).
   */
  public static ConnectorContext context(
      NodeConfig config, Store store, Clock clock, JobOutcomes outcomes, Supplier<URI> address) {
    return context(config, store, clock, outcomes, address, OpenTelemetry.noop());
  }

  /** As above, the connectors recording the spans of their calls through {@code telemetry}. */
  public static ConnectorContext context(
      NodeConfig config,
      Store store,
      Clock clock,
      JobOutcomes outcomes,
      Supplier<URI> address,
      OpenTelemetry telemetry) {
    return new ConnectorContext(
        config.nodeId(),
        config.cloud(),
        Secrets.of(config.secrets()),
        blobs(store),
        new StandardExpressionEvaluator(),
        clock,
        store,
        outcomes,
        address,
        callbackKey(store),
        config.connectors(),
        telemetry);
  }

  /**
   * The blobs live in the store's database when there is one, so that every node of the store (and
   * every restart) sees the same blobs; in the heap otherwise (a store without a database).
   */
  static BlobStore blobs(Store store) {
    return store instanceof JdbcStore jdbc ? jdbc.blobs() : new InMemoryBlobStore();
  }

  /**
   * The key is made once per store and shared through it, so that a callback token issued by one
   * node is honoured by every node of the same store, also after restarts.
   */
  static byte[] callbackKey(Store store) {
    String encoded =
        store.sharedSecret(
            CALLBACK_KEY,
            () -> {
              byte[] key = new byte[32];
              new SecureRandom().nextBytes(key);
              return Base64.getEncoder().encodeToString(key);
            });
    return Base64.getDecoder().decode(encoded);
  }
}
