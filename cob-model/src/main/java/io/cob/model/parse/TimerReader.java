package io.cob.model.parse;

import io.cob.model.Expression;
import io.cob.model.TimerSpec;
import io.cob.model.timer.TimerSchedule;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a {@code timerEventDefinition}: exactly one of {@code timeDuration}, {@code timeDate} or
 * {@code timeCycle}, whose text is classified with {@link Expression#of}.
 *
 * <p>A literal (not an expression) is checked here with {@link TimerSchedule#parse}, the same
 * grammar the engine schedules with, so that a typo in {@code PT10S} is reported when the model is
 * deployed rather than when the timer is due to start.
 */
final class TimerReader {
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
      ctx.problem(
          subject,
          "timerEventDefinition needs exactly one of timeDuration, timeDate or timeCycle"
              + (found.isEmpty() ? "" : ", not " + found.size()));
      return null;
    }
    return found.getFirst();
  }

  private void add(
      XmlElement subject,
      XmlElement definition,
      String tag,
      TimerSpec.Kind kind,
      List<TimerSpec> found) {
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
      try {
        TimerSchedule.parse(kind, text);
      } catch (IllegalArgumentException ex) {
        ctx.problem(subject, tag + ": " + ex.getMessage());
      }
      e = Expression.literal(text);
    }
    found.add(new TimerSpec(kind, e));
  }
}
