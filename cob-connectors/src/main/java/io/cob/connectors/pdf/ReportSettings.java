package io.cob.connectors.pdf;

import io.cob.connectors.ConnectorException;
import io.cob.connectors.JobConfig;
import io.cob.connectors.Secrets;
import io.cob.engine.port.BlobRef;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The settings of one {@code pdf} task, read and checked before anything is collected or drawn, so
 * that a wrong setting is an incident naming it.
 *
 * <p>What a report shows ({@code title}, {@code template}) must not refer to a secret: the report
 * is a blob anyone with the instance may read.
 *
 * @param title the title, or {@code null} for "Completion report: process name"
 * @param subtitle a line under the title, or {@code null}
 * @param logo a PNG or JPEG blob drawn above the title, or {@code null}
 * @param sections the sections, in the order drawn
 * @param variables the names of the variables to show, or {@code null} for all
 * @param resultVariable the variable that receives the report's blob reference; the file name goes
 *     to {@code resultVariable + "FileName"}
 * @param fileName the report's file name, or {@code null} for {@code processId-instance.pdf}
 */
public record ReportSettings(
    String title,
    String subtitle,
    BlobRef logo,
    List<ReportSection> sections,
    List<String> variables,
    String resultVariable,
    String fileName,
    ZoneId timeZone,
    int maxValueLength,
    int maxPathRows) {

  static final String DEFAULT_RESULT_VARIABLE = "report";
  static final int DEFAULT_MAX_VALUE_LENGTH = 500;
  static final int DEFAULT_MAX_PATH_ROWS = 2000;
  private static final Set<String> TEMPLATE_KEYS =
      Set.of("title", "subtitle", "logoBlob", "sections");
  private static final Set<String> IMAGE_TYPES = Set.of("image/png", "image/jpeg", "image/jpg");

  public ReportSettings {
    sections = List.copyOf(sections);
    variables = variables == null ? null : List.copyOf(variables);
  }

  /** Reads the task's settings; every mistake is a {@link ConnectorException#misconfigured}. */
  public static ReportSettings read(JobConfig config) {
    for (String shown : List.of("title", "template")) {
      if (config
          .rawValue(shown)
          .map(v -> Secrets.refersToSecret(String.valueOf(v)))
          .orElse(false)) {
        throw ConnectorException.misconfigured(
            "setting '" + shown + "' refers to a secret; a report shows it, so it must not");
      }
    }
    Map<String, Object> template = config.map("template");
    for (String key : template.keySet()) {
      if (!TEMPLATE_KEYS.contains(key)) {
        throw ConnectorException.misconfigured(
            "setting 'template' has an unknown key '"
                + key
                + "'; the keys are title, subtitle, logoBlob, sections");
      }
    }
    String title = config.optionalString("title").orElse(text(template, "title"));
    return new ReportSettings(
        blankToNull(title),
        blankToNull(text(template, "subtitle")),
        logo(template.get("logoBlob"), config),
        sections(template.get("sections")),
        variables(config),
        name(config.string("resultVariable", DEFAULT_RESULT_VARIABLE), "resultVariable"),
        blankToNull(config.string("fileName", null)),
        zone(config.string("timeZone", "UTC")),
        positive(config, "maxValueLength", DEFAULT_MAX_VALUE_LENGTH),
        positive(config, "maxPathRows", DEFAULT_MAX_PATH_ROWS));
  }

  private static String text(Map<String, Object> template, String key) {
    Object v = template.get(key);
    if (v == null || v instanceof String) {
      return (String) v;
    }
    throw ConnectorException.misconfigured(
        "setting 'template." + key + "' must be a text, not " + v.getClass().getSimpleName());
  }

  /** A blob reference, or the name of a variable that holds one. */
  private static BlobRef logo(Object value, JobConfig config) {
    if (value == null) {
      return null;
    }
    Object ref = value instanceof String name ? config.job().variables().get(name) : value;
    BlobRef logo =
        BlobRef.fromVariable(ref)
            .orElseThrow(
                () ->
                    ConnectorException.misconfigured(
                        "setting 'template.logoBlob' must be a blob reference {blobId, sha256,"
                            + " size, contentType} or the name of a variable that holds one, not "
                            + shortText(value)));
    if (!IMAGE_TYPES.contains(logo.contentType())) {
      throw ConnectorException.misconfigured(
          "setting 'template.logoBlob': blob "
              + logo.blobId()
              + " is "
              + logo.contentType()
              + "; the logo must be image/png or image/jpeg");
    }
    return logo;
  }

  private static List<ReportSection> sections(Object value) {
    if (value == null) {
      return ReportSection.ALL;
    }
    List<ReportSection> out = new ArrayList<>();
    for (String name : names(value, "template.sections")) {
      ReportSection s;
      try {
        s = ReportSection.of(name);
      } catch (IllegalArgumentException e) {
        throw ConnectorException.misconfigured("setting 'template.sections': " + e.getMessage());
      }
      if (out.contains(s)) {
        throw ConnectorException.misconfigured(
            "setting 'template.sections' names section '" + s.settingName() + "' twice");
      }
      out.add(s);
    }
    if (out.isEmpty()) {
      throw ConnectorException.misconfigured("setting 'template.sections' names no section");
    }
    return out;
  }

  private static List<String> variables(JobConfig config) {
    return config.value("variables").map(v -> names(v, "variables")).orElse(null);
  }

  /** A list of names, or one text of names separated by commas. */
  private static List<String> names(Object value, String setting) {
    List<?> items = value instanceof List<?> l ? l : List.of(value);
    List<String> out = new ArrayList<>();
    for (Object item : items) {
      if (!(item instanceof String s)) {
        throw ConnectorException.misconfigured(
            "setting '" + setting + "' must be a list of names, not one with " + shortText(item));
      }
      for (String part : s.split(",")) {
        if (!part.isBlank()) {
          out.add(part.strip());
        }
      }
    }
    return out;
  }

  private static String name(String value, String setting) {
    if (value.isBlank() || value.contains(".")) {
      throw ConnectorException.misconfigured(
          "setting '" + setting + "' must be a variable name, not '" + value + "'");
    }
    return value;
  }

  private static ZoneId zone(String value) {
    try {
      return ZoneId.of(value.strip());
    } catch (DateTimeException e) {
      throw ConnectorException.misconfigured(
          "setting 'timeZone' must be a time zone such as UTC or Europe/Zurich, not '"
              + value
              + "'");
    }
  }

  private static int positive(JobConfig config, String name, int otherwise) {
    long v = config.number(name, otherwise);
    if (v < 1 || v > 1_000_000) {
      throw ConnectorException.misconfigured(
          "setting '" + name + "' must be between 1 and 1000000, not " + v);
    }
    return (int) v;
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  private static String shortText(Object v) {
    String s = String.valueOf(v);
    return s.length() > 60 ? s.substring(0, 57) + "..." : s;
  }
}
