package io.cob.server.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code cob.yaml} files of fail-over tests: the three clouds of {@link ThreeClouds}, where
 * {@code private} owns the instances and {@code public-b} is its standby ({@code clouds.private:
 * {standby: [public-b], replication: MODE}}), one node each in a JVM of its own with an H2 file
 * store of its own, on the machine's RabbitMQ in a namespace of the test, with a signing key for
 * every pair of clouds ({@link #withStore} and {@link #withStandbys} change the store of a cloud
 * and the standbys of {@code private}). The ownership lease keeps its defaults ({@code
 * bus.ownership}: confirm every 0.5 s, fence after 2 s, take over after 3 s), which is what the
 * tests measure.
 */
public final class FailoverClouds {
  public static final List<String> NAMES = ThreeClouds.NAMES;
  public static final String OWNER = "private";
  public static final String STANDBY = "public-b";
  public static final Map<String, String> NODE_OF =
      Map.of("private", "node-p", "public-a", "node-a", "public-b", "node-b");

  private final Path dir;
  private final String namespace;
  private final String replication;
  private final Map<String, String> keys = pairKeys();
  private final Map<String, String> storeUrls = new HashMap<>();
  private List<String> standbys = List.of(STANDBY);

  /**
   * @param dir where the files and the stores go (a directory per cloud)
   * @param replication {@code sync} or {@code async}
   */
  public FailoverClouds(Path dir, String namespace, String replication) {
    this.dir = dir;
    this.namespace = namespace;
    this.replication = replication;
  }

  /** Gives {@code cloud} the store at {@code url} (a PostgreSQL schema, say) in place of H2. */
  public FailoverClouds withStore(String cloud, String url) {
    storeUrls.put(cloud, url);
    return this;
  }

  /** Makes {@code clouds} the standbys of {@code private}, in this order. */
  public FailoverClouds withStandbys(List<String> clouds) {
    standbys = List.copyOf(clouds);
    return this;
  }

  /** The file of the node of {@code cloud}, connecting to RabbitMQ at {@code busUrl}. */
  public Path config(String cloud, String busUrl) throws IOException {
    return config(cloud, busUrl, Map.of());
  }

  /** As above, with more {@code bus.amqp} settings ({@code heartbeat: PT2S}, say). */
  public Path config(String cloud, String busUrl, Map<String, String> amqp) throws IOException {
    StringBuilder y = new StringBuilder();
    y.append("node: { cloud: ").append(cloud).append(", id: ").append(NODE_OF.get(cloud));
    y.append(", http: { port: 0 } }\n");
    String store =
        storeUrls.getOrDefault(cloud, "jdbc:h2:file:" + dir.resolve(cloud).resolve("store"));
    y.append("store: { url: \"").append(store).append("\" }\n");
    y.append("bus:\n  url: \"").append(busUrl).append("\"\n");
    y.append("  amqp: { namespace: \"").append(namespace).append('"');
    amqp.forEach((k, v) -> y.append(", ").append(k).append(": ").append(v));
    y.append(" }\n");
    // Slow to call a cloud DOWN: three busy JVMs on two cores must not look dead to each other.
    y.append("  heartbeat: { interval: PT0.5S, suspectAfter: 6, downAfter: 60 }\n");
    y.append("  keys:\n");
    keys.forEach(
        (pair, key) -> y.append("    \"").append(pair).append("\": \"").append(key).append("\"\n"));
    y.append("clouds:\n");
    y.append("  private: { provider: onprem, region: eu-west, jurisdiction: [eu],")
        .append(" costPerStep: 0.004, standby: [")
        .append(String.join(", ", standbys))
        .append("], replication: ")
        .append(replication)
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

  /** A key for every pair of the three clouds (and each cloud with itself). */
  private static Map<String, String> pairKeys() {
    SecureRandom random = new SecureRandom();
    Map<String, String> keys = new LinkedHashMap<>();
    for (String a : NAMES) {
      for (String b : NAMES) {
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
