package io.cob.engine;

import io.cob.engine.port.CloudDirectory;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A cloud directory whose clouds and their health a test sets. Thread-safe: the engine reads it
 * while the test changes it.
 *
 * <pre>{@code
 * TestClouds clouds = new TestClouds()
 *     .add("private", "eu,gdpr", "0.004", "99.5", 5)
 *     .add("public-a", "us", "0.001", "99.99", 40);
 * clouds.health("private", CloudHealth.DOWN);
 * }</pre>
 */
public final class TestClouds implements CloudDirectory {
  private final List<CloudInfo> clouds = new ArrayList<>();

  /**
   * Adds a cloud, UP.
   *
   * @param jurisdiction comma-separated tags, {@code ""} for none
   * @param costPerStep a decimal, or {@code null} for unknown
   * @param availability a decimal, or {@code null} for unknown
   * @param latencyMillis the measured latency, or a negative number for not measured
   */
  public synchronized TestClouds add(
      String name,
      String jurisdiction,
      String costPerStep,
      String availability,
      long latencyMillis) {
    return add(name, null, null, jurisdiction, costPerStep, availability, latencyMillis);
  }

  /** Adds a cloud, UP, with a provider and a region. */
  public synchronized TestClouds add(
      String name,
      String provider,
      String region,
      String jurisdiction,
      String costPerStep,
      String availability,
      long latencyMillis) {
    Set<String> tags =
        Arrays.stream(jurisdiction.split(","))
            .map(String::strip)
            .filter(t -> !t.isEmpty())
            .collect(Collectors.toSet());
    clouds.add(
        new CloudInfo(
            name,
            provider,
            region,
            tags,
            costPerStep == null ? null : new BigDecimal(costPerStep),
            availability == null ? null : new BigDecimal(availability),
            CloudHealth.UP,
            latencyMillis < 0 ? null : Duration.ofMillis(latencyMillis)));
    return this;
  }

  /** Sets the health of a cloud. */
  public synchronized TestClouds health(String name, CloudHealth health) {
    for (int i = 0; i < clouds.size(); i++) {
      CloudInfo c = clouds.get(i);
      if (c.name().equals(name)) {
        clouds.set(
            i,
            new CloudInfo(
                c.name(),
                c.provider(),
                c.region(),
                c.jurisdiction(),
                c.costPerStep(),
                c.availability(),
                health,
                c.latency()));
        return this;
      }
    }
    throw new IllegalArgumentException("no test cloud '" + name + "'");
  }

  @Override
  public synchronized List<CloudInfo> clouds() {
    return List.copyOf(clouds);
  }

  /**
   * A directory that lists only {@code own} and takes any other cloud a model names as UP, with
   * nothing known about it: the default of {@link EngineHarness}, so that tests not about placement
   * may name clouds freely. A lane's name is not a cloud there (it is not listed).
   */
  public static CloudDirectory anyNamedUp(String own) {
    CloudDirectory listed = CloudDirectory.single(own);
    return new CloudDirectory() {
      @Override
      public List<CloudInfo> clouds() {
        return listed.clouds();
      }

      @Override
      public Optional<CloudInfo> find(String name) {
        return Optional.of(
            new CloudInfo(name, null, null, Set.of(), null, null, CloudHealth.UP, null));
      }
    };
  }
}
