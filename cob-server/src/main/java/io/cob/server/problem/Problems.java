package io.cob.server.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import io.cob.engine.port.StaleInstanceException;
import io.cob.engine.port.StoreException;
import io.cob.engine.runtime.CommandRejectedException;
import io.cob.model.BpmnValidationException;
import io.cob.model.SourceLocation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns what a handler threw into the problem the client sees. The mapping is the API's error
 * contract:
 *
 * <ul>
 *   <li>JSON nested deeper, or with longer strings, numbers or names, than the node reads: 400
 *       {@code invalid-request} naming the limit and the setting that raises it;
 *   <li>malformed JSON, unknown fields, wrong types, numbers out of range, bad values: 400 {@code
 *       invalid-request} with one {@code errors} entry naming the field (as a JSON path such as
 *       {@code variables.x});
 *   <li>invalid BPMN: 400 {@code invalid-bpmn}, one entry per problem with file, line, column,
 *       element id and tag;
 *   <li>unknown instance, process, job, task or incident: 404 {@code not-found};
 *   <li>an engine refusal ({@link CommandRejectedException}: the instance ended, the job is no
 *       longer open ...): 409 {@code conflict};
 *   <li>another node kept changing the instance until the engine's retries ran out: 409 {@code
 *       concurrent-modification}; nothing was applied and the request may be retried;
 *   <li>a body over the route's limit: 413; an unsupported content type: 415;
 *   <li>a store failure: 503 {@code unavailable}; anything else: 500, logged with its stack.
 * </ul>
 */
public final class Problems {
  private static final Logger LOG = LoggerFactory.getLogger(Problems.class);
  public static final String TYPE_INVALID_REQUEST = "urn:cob:problem:invalid-request";
  public static final String TYPE_INVALID_BPMN = "urn:cob:problem:invalid-bpmn";
  public static final String TYPE_NOT_FOUND = "urn:cob:problem:not-found";
  public static final String TYPE_CONFLICT = "urn:cob:problem:conflict";
  public static final String TYPE_GONE = "urn:cob:problem:gone";
  public static final String TYPE_CONCURRENT = "urn:cob:problem:concurrent-modification";
  public static final String TYPE_TOO_LARGE = "urn:cob:problem:payload-too-large";
  public static final String TYPE_UNSUPPORTED_MEDIA = "urn:cob:problem:unsupported-media-type";
  public static final String TYPE_METHOD = "urn:cob:problem:method-not-allowed";
  public static final String TYPE_UNAVAILABLE = "urn:cob:problem:unavailable";
  public static final String TYPE_INTERNAL = "urn:cob:problem:internal";
  public static final String TYPE_URI_TOO_LONG = "urn:cob:problem:uri-too-long";
  public static final String TYPE_HEADERS_TOO_LARGE = "urn:cob:problem:headers-too-large";

  private Problems() {}

  /** The problem for a failure while answering {@code path}. */
  public static Problem of(Throwable t, String path) {
    return switch (t) {
      case ProblemException p ->
          new Problem(p.type(), p.title(), p.status(), p.getMessage(), path, p.errors());
      case UnrecognizedPropertyException u ->
          invalid(path, fieldPath(u), "unknown field '" + fieldPath(u) + "'" + at(u) + known(u));
      case InvalidFormatException f ->
          invalid(
              path, fieldPath(f), "field '" + fieldPath(f) + "'" + at(f) + ": " + invalidValue(f));
      case ValueInstantiationException v ->
          invalid(
              path, fieldPath(v), "field '" + fieldPath(v) + "'" + at(v) + ": " + rootMessage(v));
      case MismatchedInputException m -> mismatched(path, m);
      case JsonMappingException j when j.getCause() instanceof InputCoercionException c ->
          invalid(
              path,
              fieldPath(j),
              "field '" + fieldPath(j) + "'" + at(c) + ": " + c.getOriginalMessage());
      case StreamConstraintsException c -> overLimit(path, c);
      case JsonMappingException j when j.getCause() instanceof StreamConstraintsException c ->
          overLimit(path, c);
      case JsonProcessingException j ->
          invalid(path, "", "the body is not valid JSON" + at(j) + ": " + j.getOriginalMessage());
      case BpmnValidationException b -> bpmn(path, b);
      case StaleInstanceException st ->
          new Problem(
              TYPE_CONCURRENT,
              "Concurrent modification",
              409,
              "instance "
                  + String.join(", ", st.instanceIds())
                  + " kept being changed by another node while this"
                  + " request was applied; nothing was applied, the request may be retried",
              path,
              List.of());
      case CommandRejectedException r ->
          new Problem(TYPE_CONFLICT, "Conflict", 409, r.getMessage(), path, List.of());
      case IllegalArgumentException i -> invalid(path, "", i.getMessage());
      case StoreException s -> {
        LOG.warn("event=store_unavailable path={} error={}", path, s.toString());
        yield new Problem(
            TYPE_UNAVAILABLE, "Store unavailable", 503, s.getMessage(), path, List.of());
      }
      default -> {
        LOG.error("event=internal_error path={} error={}", path, t.toString(), t);
        yield new Problem(
            TYPE_INTERNAL,
            "Internal error",
            500,
            "the node failed to answer: "
                + t.getClass().getSimpleName()
                + (t.getMessage() == null ? "" : ": " + t.getMessage()),
            path,
            List.of());
      }
    };
  }

  /**
   * The problem for a request the HTTP layer refused before routing it (Jetty's reason, such as an
   * ambiguous URI path separator or a URI too long).
   *
   * @param path the request path as sent, or {@code null} when the request line could not be read
   */
  public static Problem refused(int status, String reason, String path) {
    String why = reason == null || reason.isBlank() ? "status " + status : reason;
    return switch (status) {
      case 414 ->
          new Problem(
              TYPE_URI_TOO_LONG,
              "URI too long",
              414,
              "the request URI is longer than this node accepts: " + why,
              path,
              List.of());
      case 431 ->
          new Problem(
              TYPE_HEADERS_TOO_LARGE,
              "Request headers too large",
              431,
              "the request headers are larger than this node accepts: " + why,
              path,
              List.of());
      case 400 ->
          new Problem(
              TYPE_INVALID_REQUEST,
              "Invalid request",
              400,
              "the request was refused before it reached the API: " + why,
              path,
              List.of());
      default ->
          new Problem(
              status >= 500 ? TYPE_INTERNAL : TYPE_INVALID_REQUEST,
              status >= 500 ? "Internal error" : "Invalid request",
              status,
              why,
              path,
              List.of());
    };
  }

  /** One entry of {@code errors} for a request field. */
  public static Map<String, Object> fieldError(String field, String message) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("field", field);
    m.put("message", message);
    return m;
  }

  private static Problem invalid(String path, String field, String detail) {
    return new Problem(
        TYPE_INVALID_REQUEST,
        "Invalid request",
        400,
        detail,
        path,
        List.of(fieldError(field, detail)));
  }

  /**
   * Jackson's words for a limit, which name its own getter ({@code from
   * `StreamReadConstraints.getMaxNestingDepth()`}), with the setting that raises it instead.
   */
  private static Problem overLimit(String path, StreamConstraintsException c) {
    String m = c.getOriginalMessage();
    Matcher getter = CONSTRAINT_GETTER.matcher(m);
    if (getter.find()) {
      String setting = LIMIT_SETTINGS.get(getter.group(1));
      m =
          m.substring(0, getter.start())
              + (setting == null ? "" : ", set by " + setting)
              + m.substring(getter.end());
    }
    return invalid(path, "", "the body exceeds a limit" + at(c) + ": " + m);
  }

  private static final Pattern CONSTRAINT_GETTER =
      Pattern.compile(",\\s*from `StreamReadConstraints\\.(get\\w+)\\(\\)`");

  private static final Map<String, String> LIMIT_SETTINGS =
      Map.of(
          "getMaxNestingDepth", "node.http.maxJsonDepth",
          "getMaxStringLength", "node.http.maxJsonStringLength",
          "getMaxDocumentLength", "node.http.maxBodyBytes");

  private static Problem mismatched(String path, MismatchedInputException m) {
    String field = fieldPath(m);
    String detail;
    if (field.isEmpty()) {
      detail = "the body must be a JSON object" + at(m);
    } else if (m.getTargetType() != null) {
      detail = "field '" + field + "'" + at(m) + " must be " + describe(m.getTargetType());
    } else {
      detail = "field '" + field + "'" + at(m) + ": " + m.getOriginalMessage();
    }
    return invalid(path, field, detail);
  }

  private static Problem bpmn(String path, BpmnValidationException b) {
    List<Map<String, Object>> errors = new ArrayList<>();
    for (io.cob.model.Problem p : b.problems()) {
      Map<String, Object> m = new LinkedHashMap<>();
      SourceLocation loc = p.location();
      m.put("file", loc == null ? null : loc.file());
      m.put("line", loc == null ? null : loc.line());
      m.put("column", loc == null ? null : loc.column());
      m.put("elementId", p.elementId());
      m.put("tag", p.tag());
      m.put("message", p.message());
      errors.add(m);
    }
    String detail =
        b.problems().size() == 1
            ? "the BPMN is invalid: " + b.problems().getFirst()
            : "the BPMN is invalid ("
                + b.problems().size()
                + " problems; nothing was deployed): "
                + b.problems().getFirst()
                + " ...";
    return new Problem(TYPE_INVALID_BPMN, "Invalid BPMN", 400, detail, path, errors);
  }

  /** The field as a dotted JSON path ({@code variables.amount}, {@code items[2]}). */
  static String fieldPath(JsonMappingException e) {
    return e.getPath().stream()
        .map(r -> r.getFieldName() != null ? "." + r.getFieldName() : "[" + r.getIndex() + "]")
        .collect(Collectors.joining())
        .replaceFirst("^\\.", "");
  }

  private static String at(JsonProcessingException e) {
    var loc = e.getLocation();
    return loc == null || loc.getLineNr() < 1
        ? ""
        : " (line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ")";
  }

  private static String known(UnrecognizedPropertyException u) {
    if (u.getKnownPropertyIds() == null || u.getKnownPropertyIds().isEmpty()) {
      return "";
    }
    return "; known fields: "
        + u.getKnownPropertyIds().stream()
            .map(String::valueOf)
            .sorted()
            .collect(Collectors.joining(", "));
  }

  private static String invalidValue(InvalidFormatException f) {
    String msg = f.getOriginalMessage();
    int why = msg.indexOf(": ");
    return "'"
        + f.getValue()
        + "' is not "
        + describe(f.getTargetType())
        + (msg.contains("ISO-8601") && why > 0
            ? " (" + msg.substring(msg.lastIndexOf(": ") + 2) + ")"
            : "");
  }

  private static String rootMessage(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null && c.getCause() != c) {
      c = c.getCause();
    }
    return c.getMessage();
  }

  private static String describe(Class<?> type) {
    if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
      return "a whole number";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "true or false";
    }
    if (Number.class.isAssignableFrom(type)) {
      return "a number";
    }
    if (type == String.class) {
      return "a string";
    }
    if (type == java.time.Duration.class) {
      return "an ISO-8601 duration (\"PT30S\") or a whole number of milliseconds";
    }
    if (Map.class.isAssignableFrom(type)) {
      return "a JSON object";
    }
    if (java.util.Collection.class.isAssignableFrom(type)) {
      return "a JSON array";
    }
    if (type.isRecord()) {
      return "a JSON object";
    }
    return "a " + type.getSimpleName();
  }
}
