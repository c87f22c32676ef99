package io.cob.server.config;

import io.cob.server.http.RequestLimits;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The resolved configuration of one node: {@code cob.yaml}, then {@code COB_…} environment
 * variables, then command-line options, each overriding the one before. Immutable.
 *
 * @param cloud the cloud this node belongs to ({@code node.cloud})
 * @param nodeId the name this node locks work under; unique among the nodes of one store
 * @param httpPort the REST API's port; {@code 0} picks a free one
 * @param publicUrl how services reach this node ({@code node.http.publicUrl}), for callback URLs;
 *     {@code null} means {@code http://127.0.0.1:PORT}
 * @param storeUrl the JDBC URL of the store (H2 or PostgreSQL)
 * @param bus how this node joins the bus between clouds ({@code bus.*}); {@link #busUrl()} is its
 *     URL
 * @param clouds every known cloud by name, in file order
 * @param devClock whether the engine clock may be moved by {@code POST /clock/advance}
 * @param secrets the secrets models refer to as {@code {{secrets.NAME}}}, resolved ({@code
 *     secrets.NAME}: a value, {@code {env: VAR}} or {@code {file: PATH}}; {@code COB_SECRETS_NAME})
 * @param connectors the settings of each connector ({@code connectors.NAME.*}), e.g. the AMQP URL
 * @param blobMaxBytes the largest blob accepted ({@code blobs.maxBytes})
 * @param tracing where spans go and which are kept ({@code tracing.*}); off by default
 * @param requestLimits how much a JSON request may hold ({@code node.http.maxBodyBytes}, {@code
 *     node.http.maxJsonDepth}, {@code node.http.maxJsonStringLength})
 */
public record NodeConfig(
    String cloud,
    String nodeId,
    int httpPort,
    String publicUrl,
    String storeUrl,
    BusConfig bus,
    Map<String, CloudConfig> clouds,
    boolean devClock,
    Map<String, String> secrets,
    Map<String, Map<String, Object>> connectors,
    long blobMaxBytes,
    TracingConfig tracing,
    RequestLimits requestLimits) {

  public static final String DEFAULT_CLOUD = "local";
  public static final String DEFAULT_NODE_ID = "node-1";
  public static final int DEFAULT_PORT = 8080;
  public static final String DEFAULT_STORE_URL = "jdbc:h2:file:./.cob/data";
  public static final String DEFAULT_BUS_URL = "memory:";
  public static final long DEFAULT_BLOB_MAX_BYTES = 256L * 1024 * 1024;

  public NodeConfig {
    clouds = Collections.unmodifiableMap(new LinkedHashMap<>(clouds));
    secrets = Collections.unmodifiableMap(new LinkedHashMap<>(secrets));
    connectors = Collections.unmodifiableMap(new LinkedHashMap<>(connectors));
    tracing = tracing == null ? TracingConfig.off() : tracing;
  }

  /** The defaults: no file needed. */
  public static NodeConfig defaults() {
    return new NodeConfig(
        DEFAULT_CLOUD,
        DEFAULT_NODE_ID,
        DEFAULT_PORT,
        null,
        DEFAULT_STORE_URL,
        BusConfig.defaults(),
        Map.of(),
        false,
        Map.of(),
        Map.of(),
        DEFAULT_BLOB_MAX_BYTES,
        TracingConfig.off(),
        RequestLimits.DEFAULTS);
  }

  public NodeConfig withHttpPort(int port) {
    return new NodeConfig(
        cloud,
        nodeId,
        port,
        publicUrl,
        storeUrl,
        bus,
        clouds,
        devClock,
        secrets,
        connectors,
        blobMaxBytes,
        tracing,
        requestLimits);
  }

  public NodeConfig withPublicUrl(String url) {
    return new NodeConfig(
        cloud,
        nodeId,
        httpPort,
        url,
        storeUrl,
        bus,
        clouds,
        devClock,
        secrets,
        connectors,
        blobMaxBytes,
        tracing,
        requestLimits);
  }

  public NodeConfig withStoreUrl(String url) {
    return new NodeConfig(
        cloud,
        nodeId,
        httpPort,
        publicUrl,
        url,
        bus,
        clouds,
        devClock,
        secrets,
        connectors,
        blobMaxBytes,
        tracing,
        requestLimits);
  }

  /** {@code bus.url}: {@code memory:}, {@code memory:NAME} or an {@code amqp[s]://} URL. */
  public String busUrl() {
    return bus.url();
  }

  public NodeConfig withBusUrl(String url) {
    return withBus(bus.withUrl(url));
  }

  public NodeConfig withBus(BusConfig value) {
    return new NodeConfig(
        cloud,
        nodeId,
        httpPort,
        publicUrl,
        storeUrl,
        value,
        clouds,
        devClock,
        secrets,
        connectors,
        blobMaxBytes,
        tracing,
        requestLimits);
  }

  public NodeConfig withNodeId(String id) {
    return new NodeConfig(
        cloud,
        id,
        httpPort,
        publicUrl,
        storeUrl,
        bus,
        clouds,
        devClock,
        secrets,
        connectors,
        blobMaxBytes,
        tracing,
        requestLimits);
  }

  public NodeConfig withCloud(String name) {
    return new NodeConfig(
        name,
        nodeId,
        httpPort,
        publicUrl,
        storeUrl,
        bus,
        clouds,
        devClock,
        secrets,
        connectors,
        blobMaxBytes,
        tracing,
        requestLimits);
  }

  public NodeConfig withDevClock(boolean on) {
    return new NodeConfig(
        cloud,
        nodeId,
        httpPort,
        publicUrl,
        storeUrl,
        bus,
        clouds,
        on,
        secrets,
        connectors,
        blobMaxBytes,
        tracing,
        requestLimits);
  }

  public NodeConfig withClouds(Map<String, CloudConfig> map) {
    return new NodeConfig(
        cloud,
        nodeId,
        httpPort,
        publicUrl,
        storeUrl,
        bus,
        map,
        devClock,
        secrets,
        connectors,
        blobMaxBytes,
        tracing,
        requestLimits);
  }

  /** These secrets added, replacing any of the same name. */
  public NodeConfig withSecrets(Map<String, String> more) {
    Map<String, String> merged = new LinkedHashMap<>(secrets);
    merged.putAll(more);
    return new NodeConfig(
        cloud,
        nodeId,
        httpPort,
        publicUrl,
        storeUrl,
        bus,
        clouds,
        devClock,
        merged,
        connectors,
        blobMaxBytes,
        tracing,
        requestLimits);
  }

  /** These connector settings added, a connector's keys merged into those it has. */
  public NodeConfig withConnectors(Map<String, Map<String, Object>> more) {
    Map<String, Map<String, Object>> merged = new LinkedHashMap<>(connectors);
    more.forEach(
        (name, settings) -> {
          Map<String, Object> m = new LinkedHashMap<>(merged.getOrDefault(name, Map.of()));
          m.putAll(settings);
          merged.put(name, Collections.unmodifiableMap(m));
        });
    return new NodeConfig(
        cloud,
        nodeId,
        httpPort,
        publicUrl,
        storeUrl,
        bus,
        clouds,
        devClock,
        secrets,
        merged,
        blobMaxBytes,
        tracing,
        requestLimits);
  }

  public NodeConfig withBlobMaxBytes(long max) {
    return new NodeConfig(
        cloud,
        nodeId,
        httpPort,
        publicUrl,
        storeUrl,
        bus,
        clouds,
        devClock,
        secrets,
        connectors,
        max,
        tracing,
        requestLimits);
  }

  public NodeConfig withTracing(TracingConfig value) {
    return new NodeConfig(
        cloud,
        nodeId,
        httpPort,
        publicUrl,
        storeUrl,
        bus,
        clouds,
        devClock,
        secrets,
        connectors,
        blobMaxBytes,
        value,
        requestLimits);
  }

  public NodeConfig withRequestLimits(RequestLimits limits) {
    return new NodeConfig(
        cloud,
        nodeId,
        httpPort,
        publicUrl,
        storeUrl,
        bus,
        clouds,
        devClock,
        secrets,
        connectors,
        blobMaxBytes,
        tracing,
        limits);
  }

  /** The secret values are not shown. */
  @Override
  public String toString() {
    return "NodeConfig[cloud=%s, nodeId=%s, httpPort=%d, publicUrl=%s, storeUrl=%s, bus=%s, clouds=%s, devClock=%s, secrets=%s, connectors=%s, blobMaxBytes=%d, tracing=%s, requestLimits=%s]"
        .formatted(
            cloud,
            nodeId,
            httpPort,
            publicUrl,
            storeUrl,
            bus,
            clouds.keySet(),
            devClock,
            secrets.keySet(),
            connectors.keySet(),
            blobMaxBytes,
            tracing,
            requestLimits);
  }
}
