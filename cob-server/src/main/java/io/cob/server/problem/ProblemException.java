package io.cob.server.problem;

import java.util.List;
import java.util.Map;

/**
 * Thrown by handlers to answer with a problem. The request changed nothing.
 *
 * @see Problems for the kinds the API uses
 */
public final class ProblemException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int status;
  private final String type;
  private final String title;
  private final transient List<Map<String, Object>> errors;

  public ProblemException(
      int status, String type, String title, String detail, List<Map<String, Object>> errors) {
    super(detail);
    this.status = status;
    this.type = type;
    this.title = title;
    this.errors = errors == null ? List.of() : List.copyOf(errors);
  }

  public int status() {
    return status;
  }

  public String type() {
    return type;
  }

  public String title() {
    return title;
  }

  public List<Map<String, Object>> errors() {
    return errors;
  }

  /** 400: a request field is missing or wrong. */
  public static ProblemException invalid(String field, String detail) {
    return new ProblemException(
        400,
        Problems.TYPE_INVALID_REQUEST,
        "Invalid request",
        detail,
        List.of(Problems.fieldError(field, detail)));
  }

  /** 404: the addressed thing does not exist. */
  public static ProblemException notFound(String detail) {
    return new ProblemException(404, Problems.TYPE_NOT_FOUND, "Not found", detail, List.of());
  }

  /** 410: the thing existed but is used up or expired, and will not come back. */
  public static ProblemException gone(String detail) {
    return new ProblemException(410, Problems.TYPE_GONE, "Gone", detail, List.of());
  }

  /** 409: the thing exists but its state does not allow the request. */
  public static ProblemException conflict(String detail) {
    return new ProblemException(409, Problems.TYPE_CONFLICT, "Conflict", detail, List.of());
  }
}
