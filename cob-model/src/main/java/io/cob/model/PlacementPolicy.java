package io.cob.model;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A placement policy, written {@code cob:placement="..."} on a flow node, a subProcess, a lane, a
 * process or a pool: requirements every cloud the step runs on must meet, and which of the clouds
 * that meet them to prefer.
 *
 * <p>Syntax: clauses separated by {@code ;}, blanks ignored.
 *
 * <ul>
 *   <li>{@code ATTRIBUTE OP VALUE}: a requirement. Attributes: {@code name}, {@code provider},
 *       {@code region} (text: {@code =} equal, {@code !=} not equal, case ignored), {@code
 *       jurisdiction} (the cloud's tags: {@code =} contains the tag, {@code !=} does not), {@code
 *       availability}, {@code costPerStep} (numbers: {@code = != >= <= > <}).
 *   <li>{@code prefer=cheapest | most-available | nearest}: at most once; the lowest {@code
 *       costPerStep}, the highest {@code availability}, the lowest latency measured from
 *       heartbeats.
 * </ul>
 *
 * <p>Example: {@code jurisdiction=eu; availability>=99.9; prefer=cheapest}. The record is
 * immutable; {@link #toString()} gives the canonical text, which {@link #parse} reads back to an
 * equal policy.
 *
 * @param requirements all must hold, in the order written; may be empty
 * @param preference which eligible cloud to take, or {@code null} when the policy states none (then
 *     the engine takes the first by name)
 */
public record PlacementPolicy(List<Requirement> requirements, Preference preference) {

  public PlacementPolicy {
    requirements = List.copyOf(requirements);
  }

  /** A cloud attribute a requirement may test. */
  public enum Attribute {
    NAME("name", false),
    PROVIDER("provider", false),
    REGION("region", false),
    JURISDICTION("jurisdiction", false),
    AVAILABILITY("availability", true),
    COST_PER_STEP("costPerStep", true);

    private final String text;
    private final boolean numeric;

    Attribute(String text, boolean numeric) {
      this.text = text;
      this.numeric = numeric;
    }

    /** The name as written in a policy. */
    public String text() {
      return text;
    }

    /** Whether the attribute is a number (compared with all operators) or text (= and != only). */
    public boolean numeric() {
      return numeric;
    }
  }

  /** How a requirement compares; the order of the constants is the order they are matched in. */
  public enum Operator {
    NOT_EQUAL("!="),
    AT_LEAST(">="),
    AT_MOST("<="),
    EQUAL("="),
    ABOVE(">"),
    BELOW("<");

    private final String text;

    Operator(String text) {
      this.text = text;
    }

    public String text() {
      return text;
    }
  }

  /** Which eligible cloud to take. */
  public enum Preference {
    CHEAPEST("cheapest"),
    MOST_AVAILABLE("most-available"),
    NEAREST("nearest");

    private final String text;

    Preference(String text) {
      this.text = text;
    }

    public String text() {
      return text;
    }
  }

  /**
   * One requirement, e.g. {@code jurisdiction=eu}.
   *
   * @param value the text to compare with; for a numeric attribute a number ({@link #number()})
   */
  public record Requirement(Attribute attribute, Operator operator, String value) {
    /** The value as a number; only for numeric attributes. */
    public BigDecimal number() {
      return new BigDecimal(value);
    }

    @Override
    public String toString() {
      return attribute.text() + operator.text() + value;
    }
  }

  /** The requirements alone, canonically, e.g. {@code jurisdiction=eu; availability>=99.9}. */
  public String requirementsText() {
    return requirements.stream().map(Requirement::toString).collect(Collectors.joining("; "));
  }

  @Override
  public String toString() {
    List<String> clauses = new ArrayList<>();
    requirements.forEach(r -> clauses.add(r.toString()));
    if (preference != null) {
      clauses.add("prefer=" + preference.text());
    }
    return String.join("; ", clauses);
  }

  /**
   * Reads a policy.
   *
   * @throws IllegalArgumentException naming the first clause that is wrong and what would be right
   */
  public static PlacementPolicy parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException(
          "is empty; write requirements such as jurisdiction=eu and a preference such as"
              + " prefer=cheapest");
    }
    List<Requirement> requirements = new ArrayList<>();
    Preference preference = null;
    for (String raw : text.split(";", -1)) {
      String clause = raw.strip();
      if (clause.isEmpty()) {
        continue;
      }
      int at = operatorStart(clause);
      if (at <= 0) {
        throw new IllegalArgumentException(
            "'"
                + clause
                + "' is not a requirement (attribute=value, attribute>=number ...) nor"
                + " prefer=...");
      }
      String name = clause.substring(0, at).strip();
      Operator op = operatorAt(clause, at);
      String value = clause.substring(at + op.text().length()).strip();
      if (value.isEmpty()) {
        throw new IllegalArgumentException("'" + clause + "' has no value");
      }
      if (name.equalsIgnoreCase("prefer")) {
        if (op != Operator.EQUAL) {
          throw new IllegalArgumentException(
              "prefer takes '=', not '" + op.text() + "' (e.g. prefer=cheapest)");
        }
        if (preference != null) {
          throw new IllegalArgumentException("prefer is given more than once");
        }
        preference = preference(value);
      } else {
        requirements.add(requirement(attribute(name), op, value));
      }
    }
    if (requirements.isEmpty() && preference == null) {
      throw new IllegalArgumentException(
          "is empty; write requirements such as jurisdiction=eu and a preference such as"
              + " prefer=cheapest");
    }
    return new PlacementPolicy(requirements, preference);
  }

  private static int operatorStart(String clause) {
    for (int i = 0; i < clause.length(); i++) {
      char c = clause.charAt(i);
      if (c == '=' || c == '!' || c == '<' || c == '>') {
        return i;
      }
    }
    return -1;
  }

  private static Operator operatorAt(String clause, int at) {
    for (Operator op : Operator.values()) {
      if (clause.startsWith(op.text(), at)) {
        return op;
      }
    }
    throw new IllegalArgumentException(
        "'" + clause + "' has no comparison (use =, !=, >=, <=, > or <)");
  }

  private static Preference preference(String value) {
    for (Preference p : Preference.values()) {
      if (p.text().equalsIgnoreCase(value)) {
        return p;
      }
    }
    throw new IllegalArgumentException(
        "unknown preference '" + value + "' (use cheapest, most-available or nearest)");
  }

  private static Attribute attribute(String name) {
    for (Attribute a : Attribute.values()) {
      if (a.text().equalsIgnoreCase(name)) {
        return a;
      }
    }
    throw new IllegalArgumentException(
        "unknown attribute '"
            + name
            + "' (use name, provider, region, jurisdiction, availability or costPerStep)");
  }

  private static Requirement requirement(Attribute a, Operator op, String value) {
    if (!a.numeric()) {
      if (op != Operator.EQUAL && op != Operator.NOT_EQUAL) {
        throw new IllegalArgumentException(
            a.text() + " takes = or !=, not " + op.text() + " (it is not a number)");
      }
      return new Requirement(a, op, value.toLowerCase(Locale.ROOT));
    }
    try {
      return new Requirement(a, op, new BigDecimal(value).toPlainString());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(a.text() + " needs a number, not '" + value + "'");
    }
  }
}
