package io.cob.server.api;

import io.cob.server.problem.ProblemException;
import java.time.Duration;

/** Checks of request fields that JSON binding cannot express; each failure names the field. */
final class Fields {
  private Fields() {}

  static String text(String value, String field) {
    if (value == null || value.isBlank()) {
      throw ProblemException.invalid(
          field, "field '" + field + "' is required and must not be empty");
    }
    return value;
  }

  static <T> T present(T value, String field) {
    if (value == null) {
      throw ProblemException.invalid(field, "field '" + field + "' is required");
    }
    return value;
  }

  static int range(Integer value, String field, int min, int max) {
    present(value, field);
    if (value < min || value > max) {
      throw ProblemException.invalid(
          field, "field '" + field + "' must be between " + min + " and " + max + ", not " + value);
    }
    return value;
  }

  /** A duration within {@code [min, max]}. */
  static Duration duration(Duration value, String field, Duration min, Duration max) {
    present(value, field);
    if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
      throw ProblemException.invalid(
          field, "field '" + field + "' must be between " + min + " and " + max + ", not " + value);
    }
    return value;
  }
}
