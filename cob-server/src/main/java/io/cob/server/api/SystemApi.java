package io.cob.server.api;

import io.cob.engine.port.Store;
import io.cob.server.bus.BusHealth;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The node's own endpoints: {@code GET /health}, {@code GET /metrics} (Prometheus text) and {@code
 * GET /api/v1/openapi.json} (the API description, a resource of this module).
 *
 * <p>Health is 200 {@code {"status":"UP","store":"UP","bus":"UP",…}} when a cheap store query
 * answers and the bus connection is usable; {@code "bus":"RECONNECTING"} (still 200, with {@code
 * busLostSince}) while the connection has been lost for less than {@code bus.healthGrace}. Else 503
 * with a problem document that also carries {@code health} ({@code "DOWN"}), {@code store} and
 * {@code bus}, and says in {@code detail} what is wrong.
 */
public final class SystemApi {
  /** The classpath resource of the OpenAPI document. */
  public static final String OPENAPI_RESOURCE = "/io/cob/server/openapi.json";

  private final Store store;
  private final NodeMetrics metrics;
  private final NodeConfig config;
  private final BusHealth bus;
  private final byte[] openApi;

  public SystemApi(Store store, NodeMetrics metrics, NodeConfig config, BusHealth bus) {
    this.store = store;
    this.metrics = metrics;
    this.config = config;
    this.bus = bus;
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
    BusHealth.State busState = bus.check();
    boolean busDown = busState.status() == BusHealth.Status.DOWN;
    Map<String, Object> body = new LinkedHashMap<>();
    if (storeError == null && !busDown) {
      body.put("status", "UP");
      body.put("store", "UP");
      body.put("bus", busState.status().name());
      body.put("node", config.nodeId());
      body.put("cloud", config.cloud());
      if (busState.lostSince() != null) {
        body.put("busLostSince", busState.lostSince());
      }
      return Reply.ok(body);
    }
    List<String> problems = new ArrayList<>();
    if (storeError != null) {
      problems.add("the store does not answer: " + storeError);
    }
    if (busDown) {
      problems.add(
          "the bus connection is lost since "
              + busState.lostSince()
              + ", longer than bus.healthGrace ("
              + config.bus().healthGrace()
              + ")");
    }
    body.put("type", Problems.TYPE_UNAVAILABLE);
    body.put("title", "Node unhealthy");
    body.put("status", 503);
    body.put("detail", String.join("; ", problems));
    body.put("instance", call.path());
    body.put("health", "DOWN");
    body.put("store", storeError == null ? "UP" : "DOWN");
    body.put("bus", busState.status().name());
    if (busState.lostSince() != null) {
      body.put("busLostSince", busState.lostSince());
    }
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
