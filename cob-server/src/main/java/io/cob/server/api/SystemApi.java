package io.cob.server.api;

import io.cob.engine.port.Store;
import io.cob.server.config.NodeConfig;
import io.cob.server.http.Call;
import io.cob.server.http.Json;
import io.cob.server.http.Reply;
import io.cob.server.http.Router;
import io.cob.server.metrics.NodeMetrics;
import io.cob.server.problem.Problems;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The node's own endpoints: {@code GET /health}, {@code GET /metrics} (Prometheus text) and {@code
 * GET /api/v1/openapi.json} (the API description, a resource of this module).
 *
 * <p>Health is 200 {@code {"status":"UP","store":"UP","bus":"UP",…}} when a cheap store query
 * answers, else 503 with a problem document that also carries {@code health} and {@code store}
 * ({@code "DOWN"}). The bus is the in-memory one so far, hence always up.
 */
public final class SystemApi {
  /** The classpath resource of the OpenAPI document. */
  public static final String OPENAPI_RESOURCE = "/io/cob/server/openapi.json";

  private final Store store;
  private final NodeMetrics metrics;
  private final NodeConfig config;
  private final byte[] openApi;

  public SystemApi(Store store, NodeMetrics metrics, NodeConfig config) {
    this.store = store;
    this.metrics = metrics;
    this.config = config;
    this.openApi = loadOpenApi();
  }

  public void register(Router r) {
    r.get("/health", this::health);
    r.get("/metrics", this::metrics);
    r.get("/api/v1/openapi.json", this::openApi);
  }

  Reply health(Call call) {
    call.allowQuery();
    String storeError = null;
    try {
      store.instance("health-check");
    } catch (RuntimeException e) {
      storeError = e.getMessage();
    }
    Map<String, Object> body = new LinkedHashMap<>();
    if (storeError == null) {
      body.put("status", "UP");
      body.put("store", "UP");
      body.put("bus", "UP");
      body.put("node", config.nodeId());
      body.put("cloud", config.cloud());
      return Reply.ok(body);
    }
    body.put("type", Problems.TYPE_UNAVAILABLE);
    body.put("title", "Node unhealthy");
    body.put("status", 503);
    body.put("detail", "the store does not answer: " + storeError);
    body.put("instance", call.path());
    body.put("health", "DOWN");
    body.put("store", "DOWN");
    body.put("bus", "UP");
    return new Reply(503, Reply.PROBLEM_JSON, Json.write(body), Map.of());
  }

  Reply metrics(Call call) {
    return Reply.text(200, "text/plain; version=0.0.4; charset=utf-8", metrics.scrape());
  }

  Reply openApi(Call call) {
    call.allowQuery();
    return new Reply(200, Reply.JSON, openApi, Map.of());
  }

  private static byte[] loadOpenApi() {
    try (InputStream in = SystemApi.class.getResourceAsStream(OPENAPI_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(
            "the OpenAPI document " + OPENAPI_RESOURCE + " is missing from the build");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
