package io.cob.connectors;

import io.cob.engine.port.ActivatedJob;
import io.cob.model.Expression;
import io.cob.model.expr.ExpressionException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The settings of one task for its connector, read by name.
 *
 * <p>A setting comes from the task's header of that name ({@code zeebe:taskHeaders} or {@code
 * cob:header}) if there is one, else from the task's input mapping ({@code zeebe:input} with that
 * target: a local variable of the task, so it may be computed per instance). A variable of the
 * process with the same name is not a setting: otherwise the {@code body} a previous http task
 * returned would become the next one's request body. A header value that starts with {@code =} is a
 * FEEL expression evaluated against the job's variables; any other header value is the literal
 * text. In every string, however it was obtained, {@code {{secrets.NAME}}} is replaced by the
 * secret.
 *
 * <p>A setting that is missing or of the wrong type is a {@link ConnectorException#misconfigured}
 * naming the setting and the task, so the incident says what to fix.
 */
public final class JobConfig {
  private final ActivatedJob job;
  private final ConnectorContext context;

  public JobConfig(ActivatedJob job, ConnectorContext context) {
    this.job = job;
    this.context = context;
  }

  public ActivatedJob job() {
    return job;
  }

  public ConnectorContext context() {
    return context;
  }

  /** Whether the task sets {@code name} (as a header or a variable). */
  public boolean has(String name) {
    return job.headers().containsKey(name) || job.inputs().get(name) != null;
  }

  /** The setting's value with secrets resolved, or empty when the task does not set it. */
  public Optional<Object> value(String name) {
    String header = job.headers().get(name);
    if (header != null) {
      Object v;
      if (header.startsWith("=")) {
        try {
          v = context.expressions().evaluate(Expression.of(header), job.variables());
        } catch (ExpressionException e) {
          throw ConnectorException.misconfigured(
              "header '" + name + "' (" + header + "): " + e.getMessage());
        }
      } else {
        v = header;
      }
      return Optional.ofNullable(resolveSecrets(v, "header '" + name + "'"));
    }
    Object v = job.inputs().get(name);
    return Optional.ofNullable(resolveSecrets(v, "input '" + name + "'"));
  }

  /** The value without secrets resolved: for what is shown or stored, never sent. */
  public Optional<Object> rawValue(String name) {
    String header = job.headers().get(name);
    if (header != null) {
      return Optional.of(header);
    }
    return Optional.ofNullable(job.inputs().get(name));
  }

  public String string(String name) {
    return optionalString(name).orElseThrow(() -> missing(name));
  }

  public String string(String name, String otherwise) {
    return optionalString(name).orElse(otherwise);
  }

  public Optional<String> optionalString(String name) {
    return value(name)
        .map(
            v ->
                switch (v) {
                  case String s -> s;
                  case Number n -> n.toString();
                  case Boolean b -> b.toString();
                  default -> throw wrongType(name, "a text", v);
                });
  }

  public boolean flag(String name, boolean otherwise) {
    return value(name)
        .map(
            v ->
                switch (v) {
                  case Boolean b -> b;
                  case String s when s.equalsIgnoreCase("true") -> true;
                  case String s when s.equalsIgnoreCase("false") -> false;
                  default -> throw wrongType(name, "true or false", v);
                })
        .orElse(otherwise);
  }

  public long number(String name, long otherwise) {
    return value(name)
        .map(
            v -> {
              if (v instanceof Number n) {
                return n.longValue();
              }
              if (v instanceof String s) {
                try {
                  return Long.parseLong(s.strip());
                } catch (NumberFormatException e) {
                  throw wrongType(name, "a whole number", v);
                }
              }
              throw wrongType(name, "a whole number", v);
            })
        .orElse(otherwise);
  }

  /** An ISO-8601 duration ({@code PT30S}) or a number of milliseconds. */
  public Duration duration(String name, Duration otherwise) {
    return value(name)
        .map(
            v -> {
              if (v instanceof Number n) {
                return Duration.ofMillis(n.longValue());
              }
              if (v instanceof String s) {
                try {
                  return Duration.parse(s.strip());
                } catch (DateTimeParseException e) {
                  throw wrongType(name, "an ISO-8601 duration such as PT30S", v);
                }
              }
              throw wrongType(name, "an ISO-8601 duration such as PT30S", v);
            })
        .orElse(otherwise);
  }

  /** A map: a FEEL context, a JSON object in a variable, or empty when not set. */
  @SuppressWarnings("unchecked")
  public Map<String, Object> map(String name) {
    return value(name)
        .map(
            v -> {
              if (v instanceof Map<?, ?> m) {
                return (Map<String, Object>) m;
              }
              throw wrongType(name, "a context (map), e.g. ={\"a\": 1}", v);
            })
        .orElse(Map.of());
  }

  /** A list: a FEEL list or a JSON array; a single value becomes a list of one. */
  public List<Object> list(String name) {
    return value(name)
        .map(v -> v instanceof List<?> l ? new ArrayList<Object>(l) : List.of(v))
        .orElse(List.of());
  }

  public ConnectorException missing(String name) {
    return ConnectorException.misconfigured(
        "setting '"
            + name
            + "' is missing: set it as a task header (zeebe:header or cob:header key=\""
            + name
            + "\") or as an input mapping (zeebe:input target=\""
            + name
            + "\")");
  }

  public ConnectorException wrongType(String name, String expected, Object actual) {
    return ConnectorException.misconfigured(
        "setting '" + name + "' must be " + expected + ", not " + describe(actual));
  }

  private static String describe(Object v) {
    String text = String.valueOf(v);
    if (text.length() > 60) {
      text = text.substring(0, 57) + "...";
    }
    return v == null ? "null" : v.getClass().getSimpleName() + " " + text;
  }

  private Object resolveSecrets(Object v, String where) {
    return switch (v) {
      case String s -> context.secrets().resolve(s, where);
      case Map<?, ?> m -> {
        Map<String, Object> out = new LinkedHashMap<>();
        m.forEach((k, x) -> out.put(String.valueOf(k), resolveSecrets(x, where)));
        yield out;
      }
      case List<?> l -> {
        List<Object> out = new ArrayList<>(l.size());
        l.forEach(x -> out.add(resolveSecrets(x, where)));
        yield out;
      }
      case null -> null;
      default -> v;
    };
  }
}
