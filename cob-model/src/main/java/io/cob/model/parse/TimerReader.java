package io.cob.model.parse;

import io.cob.model.Expression;
import io.cob.model.TimerSpec;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reads a {@code timerEventDefinition}: exactly one of {@code timeDuration}, {@code timeDate} or
 * {@code timeCycle}, whose text is classified with {@link Expression#of}. A literal (not an
 * expression) is checked here, because a typo in {@code PT10S} would otherwise only surface when the
 * timer is due to be scheduled: durations must be ISO-8601 durations, dates ISO-8601 date-times,
 * cycles ISO-8601 repeating intervals ({@code R3/PT10S}, {@code R/2025-01-01T00:00:00Z/P1D}).
 */
final class TimerReader {
  private static final Pattern DURATION =
      Pattern.compile("-?P(?=\\d|T\\d)(\\d+Y)?(\\d+M)?(\\d+W)?(\\d+D)?(T(?=\\d)(\\d+H)?(\\d+M)?(\\d+([.,]\\d+)?S)?)?");
  private static final Pattern REPEAT = Pattern.compile("R\\d*");

  private final ParseContext ctx;

  TimerReader(ParseContext ctx) {
    this.ctx = ctx;
  }

  /** The timer of a definition, or {@code null} after reporting at {@code subject}. */
  TimerSpec read(XmlElement subject, XmlElement definition) {
    List<TimerSpec> found = new ArrayList<>();
    add(subject, definition, "timeDuration", TimerSpec.Kind.DURATION, found);
    add(subject, definition, "timeDate", TimerSpec.Kind.DATE, found);
    add(subject, definition, "timeCycle", TimerSpec.Kind.CYCLE, found);
    if (found.size() != 1) {
      ctx.problem(subject, "timerEventDefinition needs exactly one of timeDuration, timeDate or timeCycle"
          + (found.isEmpty() ? "" : ", not " + found.size()));
      return null;
    }
    return found.getFirst();
  }

  private void add(XmlElement subject, XmlElement definition, String tag, TimerSpec.Kind kind, List<TimerSpec> found) {
    XmlElement el = definition.child(Namespaces.BPMN, tag);
    if (el == null) {
      return;
    }
    String text = el.text().strip();
    if (text.isEmpty()) {
      ctx.problem(subject, tag + " is empty");
      found.add(new TimerSpec(kind, Expression.literal("")));
      return;
    }
    Expression e = ctx.expression(subject, tag, text);
    if (e.isLiteral()) {
      String error = switch (kind) {
        case DURATION -> isDuration(text) ? null : "is not an ISO-8601 duration such as PT10S";
        case DATE -> isDateTime(text) ? null : "is not an ISO-8601 date-time such as 2025-01-31T12:00:00Z";
        case CYCLE -> isCycle(text) ? null : "is not an ISO-8601 repeating interval such as R3/PT10S";
      };
      if (error != null) {
        ctx.problem(subject, tag + ": '" + text + "' " + error);
      }
      e = Expression.literal(text);
    }
    found.add(new TimerSpec(kind, e));
  }

  static boolean isDuration(String s) {
    return DURATION.matcher(s).matches();
  }

  static boolean isDateTime(String s) {
    try {
      DateTimeFormatter.ISO_DATE_TIME.parse(s);
      return true;
    } catch (DateTimeParseException e) {
      return false;
    }
  }

  /** {@code R[n]/duration}, {@code R[n]/start/duration} or {@code R[n]/duration/end}. */
  static boolean isCycle(String s) {
    String[] parts = s.split("/", -1);
    if (parts.length < 2 || parts.length > 3 || !REPEAT.matcher(parts[0]).matches()) {
      return false;
    }
    if (parts.length == 2) {
      return isDuration(parts[1]);
    }
    return (isDateTime(parts[1]) && isDuration(parts[2])) || (isDuration(parts[1]) && isDateTime(parts[2]));
  }
}
