package io.cob.server.config;

import java.math.BigDecimal;
import java.util.List;

/**
 * The attributes of one cloud as {@code cob.yaml} states them under {@code clouds}. Every field may
 * be absent ({@code null}); {@code jurisdiction} is then empty.
 *
 * @param provider who runs it ({@code onprem}, {@code gcp} ...)
 * @param jurisdiction tags such as {@code eu} or {@code gdpr}
 * @param costPerStep what one executed step costs there
 * @param costPerGb what one transferred gigabyte costs there
 * @param availability the availability target in percent
 * @param standby the clouds that keep replicas of this cloud's instances and take them over when it
 *     fails ({@code standby: [public-b]}); empty: none
 */
public record CloudConfig(
    String provider,
    String region,
    List<String> jurisdiction,
    BigDecimal costPerStep,
    BigDecimal costPerGb,
    BigDecimal availability,
    List<String> standby,
    String replication) {
  public CloudConfig {
    jurisdiction = jurisdiction == null ? List.of() : List.copyOf(jurisdiction);
    standby = standby == null ? List.of() : List.copyOf(standby);
  }

  /** A cloud with standbys, replicated asynchronously. */
  public CloudConfig(
      String provider,
      String region,
      List<String> jurisdiction,
      BigDecimal costPerStep,
      BigDecimal costPerGb,
      BigDecimal availability,
      List<String> standby) {
    this(provider, region, jurisdiction, costPerStep, costPerGb, availability, standby, null);
  }

  /** Whether commands count as committed only once a standby stored them. */
  public boolean syncReplication() {
    return "sync".equals(replication);
  }

  /** A cloud without standbys. */
  public CloudConfig(
      String provider,
      String region,
      List<String> jurisdiction,
      BigDecimal costPerStep,
      BigDecimal costPerGb,
      BigDecimal availability) {
    this(provider, region, jurisdiction, costPerStep, costPerGb, availability, List.of(), null);
  }
}
