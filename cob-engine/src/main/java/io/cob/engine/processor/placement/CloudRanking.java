package io.cob.engine.processor.placement;

import io.cob.engine.port.CloudDirectory.CloudHealth;
import io.cob.engine.port.CloudDirectory.CloudInfo;
import io.cob.model.PlacementPolicy.Preference;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Comparator;

/**
 * Orders eligible clouds: UP before SUSPECT, then by the preference (a cloud whose figure is
 * unknown comes after those whose figure is known), then by name, so that equal clouds always rank
 * the same way.
 */
final class CloudRanking {
  private CloudRanking() {}

  static Comparator<CloudInfo> of(Preference preference) {
    Comparator<CloudInfo> byHealth =
        Comparator.comparing((CloudInfo c) -> c.health() == CloudHealth.UP ? 0 : 1);
    Comparator<CloudInfo> byPreference =
        preference == null
            ? (a, b) -> 0
            : switch (preference) {
              case CHEAPEST ->
                  Comparator.comparing(
                      CloudInfo::costPerStep, Comparator.nullsLast(Comparator.naturalOrder()));
              case MOST_AVAILABLE ->
                  Comparator.comparing(
                      CloudInfo::availability,
                      Comparator.nullsLast(Comparator.<BigDecimal>reverseOrder()));
              case NEAREST ->
                  Comparator.comparing(
                      CloudInfo::latency,
                      Comparator.nullsLast(Comparator.<Duration>naturalOrder()));
            };
    return byHealth.thenComparing(byPreference).thenComparing(CloudInfo::name);
  }

  /** How the preference is said in a reason: {@code cheapest of [...]}. */
  static String verb(Preference preference) {
    return preference == null ? "first by name of" : preference.text() + " of";
  }

  /** A cloud with the figure the preference compares, e.g. {@code public-b 0.002}. */
  static String label(CloudInfo c, Preference preference) {
    String figure =
        preference == null
            ? null
            : switch (preference) {
              case CHEAPEST -> known(CloudCheck.plain(c.costPerStep()), "cost");
              case MOST_AVAILABLE -> known(CloudCheck.plain(c.availability()), "availability");
              case NEAREST ->
                  c.latency() == null ? "latency unknown" : c.latency().toMillis() + "ms";
            };
    String text = figure == null ? c.name() : c.name() + " " + figure;
    return c.health() == CloudHealth.UP ? text : text + " " + c.health();
  }

  private static String known(String figure, String what) {
    return figure == null ? what + " unknown" : figure;
  }
}
