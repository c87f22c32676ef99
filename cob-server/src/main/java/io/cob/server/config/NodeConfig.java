package io.cob.server.config;

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
 * @param storeUrl the JDBC URL of the store (H2 or PostgreSQL)
 * @param busUrl {@code memory:} or an {@code amqp://} / {@code amqps://} URL (validated and shown;
 *     the bus itself comes later)
 * @param clouds every known cloud by name, in file order
 * @param devClock whether the engine clock may be moved by {@code POST /clock/advance}
 */
public record NodeConfig(
    String cloud,
    String nodeId,
    int httpPort,
    String storeUrl,
    String busUrl,
    Map<String, CloudConfig> clouds,
    boolean devClock) {

  public static final String DEFAULT_CLOUD = "local";
  public static final String DEFAULT_NODE_ID = "node-1";
  public static final int DEFAULT_PORT = 8080;
  public static final String DEFAULT_STORE_URL = "jdbc:h2:file:./.cob/data";
  public static final String DEFAULT_BUS_URL = "memory:";

  public NodeConfig {
    clouds = Collections.unmodifiableMap(new LinkedHashMap<>(clouds));
  }

  /** The defaults: no file needed. */
  public static NodeConfig defaults() {
    return new NodeConfig(
        DEFAULT_CLOUD,
        DEFAULT_NODE_ID,
        DEFAULT_PORT,
        DEFAULT_STORE_URL,
        DEFAULT_BUS_URL,
        Map.of(),
        false);
  }

  public NodeConfig withHttpPort(int port) {
    return new NodeConfig(cloud, nodeId, port, storeUrl, busUrl, clouds, devClock);
  }

  public NodeConfig withStoreUrl(String url) {
    return new NodeConfig(cloud, nodeId, httpPort, url, busUrl, clouds, devClock);
  }

  public NodeConfig withBusUrl(String url) {
    return new NodeConfig(cloud, nodeId, httpPort, storeUrl, url, clouds, devClock);
  }

  public NodeConfig withNodeId(String id) {
    return new NodeConfig(cloud, id, httpPort, storeUrl, busUrl, clouds, devClock);
  }

  public NodeConfig withCloud(String name) {
    return new NodeConfig(name, nodeId, httpPort, storeUrl, busUrl, clouds, devClock);
  }

  public NodeConfig withDevClock(boolean on) {
    return new NodeConfig(cloud, nodeId, httpPort, storeUrl, busUrl, clouds, on);
  }
}
