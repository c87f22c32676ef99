package io.cob.bench.failover;

import io.cob.bench.ReplicationMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code cob.yaml} of each node of one repetition: three clouds, {@code private} owning the
 * instances with {@code public-b} as its standby in one replication mode, one node each with an H2
 * file store of its own, on RabbitMQ in a namespace of the repetition, with a signing key for every
 * pair of clouds. The ownership lease keeps its defaults ({@code bus.ownership}: confirm every 0.5
 * s, fence after 2 s, take over after 3 s): they are part of what the recovery time measures.
 */
final class CloudsConfig {
  static final List<String> CLOUDS = List.of("private", "public-a", "public-b");
  static final String OWNER = "private";
  static final String STANDBY = "public-b";

  /** What the report says about the clouds besides the mode. */
  static final String DESCRIPTION =
      "clouds private (owner, standby public-b), public-a, public-b: one node JVM each, H2 file store"
          + " each, default ownership lease (confirm 0.5 s, fence 2 s, take over 3 s), heartbeat"
          + " every 0.5 s (SUSPECT after 6 missed, DOWN after 60)";

  private final Path dir;
  private final String amqpUrl;
  private final String namespace;
  private final ReplicationMode mode;
  private final Map<String, String> keys = pairKeys();

  CloudsConfig(Path dir, String amqpUrl, String namespace, ReplicationMode mode) {
    this.dir = dir;
    this.amqpUrl = amqpUrl;
    this.namespace = namespace;
    this.mode = mode;
  }

  static String nodeId(String cloud) {
    return "node-" + cloud;
  }

  /** Writes the file of the node of {@code cloud} and answers its path. */
  Path write(String cloud) throws IOException {
    StringBuilder y = new StringBuilder();
    y.append("node: { cloud: ").append(cloud).append(", id: ").append(nodeId(cloud));
    y.append(", http: { port: 0 } }\n");
    y.append("store: { url: \"jdbc:h2:file:")
        .append(dir.resolve(cloud).resolve("store").toAbsolutePath())
        .append("\" }\n");
    y.append("bus:\n  url: \"").append(amqpUrl).append("\"\n");
    y.append("  amqp: { namespace: \"").append(namespace).append("\" }\n");
    // Slow to call a cloud DOWN: three busy JVMs on a small machine must not look dead to each
    // other. The owner's death is found by the ownership lease, not by heartbeats.
    y.append("  heartbeat: { interval: PT0.5S, suspectAfter: 6, downAfter: 60 }\n");
    y.append("  keys:\n");
    keys.forEach(
        (pair, key) -> y.append("    \"").append(pair).append("\": \"").append(key).append("\"\n"));
    y.append("clouds:\n");
    y.append("  private: { provider: onprem, region: eu-west, jurisdiction: [eu],")
        .append(" costPerStep: 0.004, standby: [")
        .append(STANDBY)
        .append("], replication: ")
        .append(mode.id())
        .append(" }\n");
    y.append(
        "  public-a: { provider: gcp, region: us-east, jurisdiction: [us], costPerStep: 0.001 }\n");
    y.append(
        "  public-b: { provider: aws, region: eu-central, jurisdiction: [eu], costPerStep: 0.002 }\n");
    Files.createDirectories(dir.resolve(cloud));
    Path file = dir.resolve(cloud + ".yaml");
    Files.writeString(file, y);
    return file;
  }

  /** A fresh key for every pair of the clouds (and each cloud with itself). */
  private static Map<String, String> pairKeys() {
    SecureRandom random = new SecureRandom();
    Map<String, String> keys = new LinkedHashMap<>();
    for (String a : CLOUDS) {
      for (String b : CLOUDS) {
        if (a.compareTo(b) <= 0) {
          byte[] key = new byte[32];
          random.nextBytes(key);
          keys.put(a + "|" + b, Base64.getEncoder().encodeToString(key));
        }
      }
    }
    return keys;
  }
}
