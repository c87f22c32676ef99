package io.cob.engine.processor.placement;

import io.cob.engine.port.CloudDirectory.CloudHealth;
import io.cob.engine.port.CloudDirectory.CloudInfo;
import io.cob.model.PlacementPolicy.Requirement;
import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * Whether a cloud meets placement requirements. A cloud whose attribute is unknown never meets a
 * requirement on it, whichever the operator: a step bound by {@code jurisdiction!=us} does not go
 * to a cloud whose jurisdiction nobody configured. Text compares ignoring case.
 */
public final class CloudCheck {
  private CloudCheck() {}

  /**
   * Why the cloud does not meet the requirements or is DOWN, e.g. {@code jurisdiction [us]}, or
   * {@code null} when it is eligible.
   */
  static String whyNot(CloudInfo cloud, List<Requirement> requirements) {
    if (cloud.health() == CloudHealth.DOWN) {
      return "DOWN";
    }
    for (Requirement r : requirements) {
      if (!meets(cloud, r)) {
        return actual(cloud, r);
      }
    }
    return null;
  }

  /** Why the cloud does not meet the requirements (health aside), or {@code null}. */
  public static String unmet(CloudInfo cloud, List<Requirement> requirements) {
    for (Requirement r : requirements) {
      if (!meets(cloud, r)) {
        return r + " (" + actual(cloud, r) + ")";
      }
    }
    return null;
  }

  static boolean meets(CloudInfo cloud, Requirement r) {
    return switch (r.attribute()) {
      case NAME -> text(cloud.name(), r);
      case PROVIDER -> text(cloud.provider(), r);
      case REGION -> text(cloud.region(), r);
      case JURISDICTION -> {
        if (cloud.jurisdiction().isEmpty()) {
          yield false;
        }
        boolean has = cloud.jurisdiction().stream().anyMatch(t -> t.equalsIgnoreCase(r.value()));
        yield switch (r.operator()) {
          case EQUAL -> has;
          case NOT_EQUAL -> !has;
          default -> false;
        };
      }
      case AVAILABILITY -> number(cloud.availability(), r);
      case COST_PER_STEP -> number(cloud.costPerStep(), r);
    };
  }

  private static boolean text(String actual, Requirement r) {
    if (actual == null) {
      return false;
    }
    boolean equal = actual.strip().equalsIgnoreCase(r.value());
    return switch (r.operator()) {
      case EQUAL -> equal;
      case NOT_EQUAL -> !equal;
      default -> false;
    };
  }

  private static boolean number(BigDecimal actual, Requirement r) {
    if (actual == null) {
      return false;
    }
    int c = actual.compareTo(r.number());
    return switch (r.operator()) {
      case EQUAL -> c == 0;
      case NOT_EQUAL -> c != 0;
      case AT_LEAST -> c >= 0;
      case AT_MOST -> c <= 0;
      case ABOVE -> c > 0;
      case BELOW -> c < 0;
    };
  }

  /** The cloud's value of the attribute a requirement tests, for messages. */
  private static String actual(CloudInfo cloud, Requirement r) {
    String name = r.attribute().text();
    Object value =
        switch (r.attribute()) {
          case NAME -> cloud.name();
          case PROVIDER -> cloud.provider();
          case REGION -> cloud.region();
          case JURISDICTION ->
              cloud.jurisdiction().isEmpty()
                  ? null
                  : new TreeSet<>(
                      cloud.jurisdiction().stream().map(t -> t.toLowerCase(Locale.ROOT)).toList());
          case AVAILABILITY -> plain(cloud.availability());
          case COST_PER_STEP -> plain(cloud.costPerStep());
        };
    return value == null ? name + " unknown" : name + " " + value;
  }

  static String plain(BigDecimal n) {
    return n == null ? null : n.stripTrailingZeros().toPlainString();
  }
}
