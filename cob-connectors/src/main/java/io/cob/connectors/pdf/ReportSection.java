package io.cob.connectors.pdf;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** The parts of a completion report, which {@code template.sections} picks and orders. */
public enum ReportSection {
  /** Process, instance, business key, state, clouds and times. */
  SUMMARY,
  /** The element events with their times and clouds. */
  PATH,
  /** The process variables at the report task. */
  VARIABLES,
  /** Incidents, open and resolved. */
  INCIDENTS;

  /** Every section in the default order. */
  public static final List<ReportSection> ALL = List.of(values());

  /** The name used in settings: {@code summary}, {@code path} ... */
  public String settingName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The section of that setting name, case-insensitively.
   *
   * @throws IllegalArgumentException naming the unknown section and the known ones
   */
  public static ReportSection of(String name) {
    String wanted = name.strip();
    for (ReportSection s : values()) {
      if (s.settingName().equalsIgnoreCase(wanted)) {
        return s;
      }
    }
    throw new IllegalArgumentException(
        "unknown section '"
            + wanted
            + "'; the sections are "
            + Arrays.stream(values())
                .map(ReportSection::settingName)
                .collect(Collectors.joining(", ")));
  }
}
