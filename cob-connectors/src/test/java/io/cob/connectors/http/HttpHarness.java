package io.cob.connectors.http;

import io.cob.connectors.ConnectorContext;
import io.cob.connectors.ConnectorJobHandler;
import io.cob.connectors.EngineJobOutcomes;
import io.cob.connectors.Secrets;
import io.cob.engine.EngineHarness;
import io.cob.engine.blob.InMemoryBlobStore;
import io.cob.model.expr.StandardExpressionEvaluator;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * An engine with the http connector as the handler of {@code http} jobs, on the harness's test
 * clock, and BPMN snippets for http tasks.
 */
final class HttpHarness implements AutoCloseable {
  static final byte[] CALLBACK_KEY =
      "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);

  final EngineHarness engine = new EngineHarness();
  final InMemoryBlobStore blobs = new InMemoryBlobStore();
  final ConnectorContext context;
  final HttpConnector connector;

  HttpHarness(Map<String, String> secrets, Map<String, Object> nodeSettings) {
    context =
        new ConnectorContext(
            "node-1",
            "private",
            Secrets.of(secrets),
            blobs,
            new StandardExpressionEvaluator(),
            engine.clock(),
            null,
            new EngineJobOutcomes(engine::engine),
            () -> URI.create("http://127.0.0.1:9/"),
            CALLBACK_KEY,
            Map.of("http", nodeSettings));
    connector = new HttpConnector(context);
    engine.handler("http", new ConnectorJobHandler(connector, context));
  }

  HttpHarness() {
    this(Map.of(), Map.of());
  }

  @Override
  public void close() {
    engine.close();
    connector.close();
  }

  /** A service task of type http with these headers, retries and extra extension elements. */
  static String task(String id, int retries, Map<String, String> headers, String extra) {
    String hs =
        headers.entrySet().stream()
            .map(
                e ->
                    "<zeebe:header key=\""
                        + escape(e.getKey())
                        + "\" value=\""
                        + escape(e.getValue())
                        + "\"/>")
            .collect(Collectors.joining());
    return "<serviceTask id=\""
        + id
        + "\"><extensionElements><zeebe:taskDefinition type=\"http\" retries=\""
        + retries
        + "\"/><zeebe:taskHeaders>"
        + hs
        + "</zeebe:taskHeaders>"
        + extra
        + "</extensionElements></serviceTask>\n";
  }

  /** An output mapping. */
  static String outputs(String... sourceTargetPairs) {
    StringBuilder sb = new StringBuilder("<zeebe:ioMapping>");
    for (int i = 0; i < sourceTargetPairs.length; i += 2) {
      sb.append("<zeebe:output source=\"")
          .append(escape(sourceTargetPairs[i]))
          .append("\" target=\"")
          .append(sourceTargetPairs[i + 1])
          .append("\"/>");
    }
    return sb.append("</zeebe:ioMapping>").toString();
  }

  static String escape(String s) {
    return s.replace("&", "&amp;").replace("\"", "&quot;").replace("<", "&lt;");
  }
}
