package io.cob.model.parse;

import io.cob.model.BoundaryEvent;
import io.cob.model.ElementHeader;
import io.cob.model.EndEvent;
import io.cob.model.EventDefinition;
import io.cob.model.FlowNode;
import io.cob.model.IntermediateCatchEvent;
import io.cob.model.IntermediateThrowEvent;
import io.cob.model.IoMapping;
import io.cob.model.JobDefinition;
import io.cob.model.MessageRef;
import io.cob.model.StartEvent;
import io.cob.model.TimerSpec;
import java.util.List;
import java.util.Set;

/**
 * Builds start, end, intermediate and boundary events.
 *
 * <p>Supported definitions: start — none, message, timer; end — none, terminate, error, message;
 * intermediate catch — message, timer; intermediate throw — none, message; boundary — error, timer,
 * message. Every other definition (signal, escalation, compensation, conditional, link, cancel) and
 * every event with more than one definition is reported, naming the definition. A message end or
 * throw event is sent by a job when it has a job type, else published inside cob through its
 * message; with a job its {@link EventDefinition.Message#message()} may be {@code null}.
 */
final class EventBuilder {
  private static final Set<String> START = Set.of("messageEventDefinition", "timerEventDefinition");
  private static final Set<String> END =
      Set.of("messageEventDefinition", "errorEventDefinition", "terminateEventDefinition");
  private static final Set<String> CATCH = Set.of("messageEventDefinition", "timerEventDefinition");
  private static final Set<String> THROW = Set.of("messageEventDefinition");
  private static final Set<String> BOUNDARY =
      Set.of("messageEventDefinition", "timerEventDefinition", "errorEventDefinition");
  private static final Set<String> CHILDREN =
      BpmnVocabulary.union(BpmnVocabulary.NODE_IGNORED, BpmnVocabulary.EVENT_DEFINITIONS);

  private final ParseContext ctx;
  private final JobReader jobs;
  private final IoMappingReader io;
  private final TimerReader timers;

  EventBuilder(ParseContext ctx, JobReader jobs, IoMappingReader io, TimerReader timers) {
    this.ctx = ctx;
    this.jobs = jobs;
    this.io = io;
    this.timers = timers;
  }

  /** Builds the event written as {@code el}; {@code header} is already read. */
  FlowNode build(XmlElement el, ElementHeader header) {
    BpmnVocabulary.rejectUnknownChildren(ctx, el, el, CHILDREN);
    XmlElement def = definition(el);
    IoMapping mappings = io.read(el);
    return switch (el.localName()) {
      case "startEvent" -> new StartEvent(header, trigger(el, def, START), mappings);
      case "endEvent" -> endEvent(el, header, def, mappings);
      case "intermediateCatchEvent" -> {
        if (def == null) {
          ctx.problem(el, "an intermediateCatchEvent needs a message or timer event definition");
        }
        yield new IntermediateCatchEvent(header, trigger(el, def, CATCH), mappings);
      }
      case "intermediateThrowEvent" -> throwEvent(el, header, def, mappings);
      case "boundaryEvent" -> boundaryEvent(el, header, def, mappings);
      default -> throw new IllegalArgumentException("not an event: " + el);
    };
  }

  /** The one event definition, or {@code null} for none (also after reporting several). */
  private XmlElement definition(XmlElement el) {
    List<XmlElement> defs =
        el.children().stream()
            .filter(c -> c.isBpmn() && BpmnVocabulary.EVENT_DEFINITIONS.contains(c.localName()))
            .toList();
    if (defs.size() > 1) {
      ctx.problem(
          el,
          "events with several event definitions are not supported ("
              + String.join(", ", defs.stream().map(d -> "<" + d.localName() + ">").toList())
              + ")");
      return null;
    }
    return defs.isEmpty() ? null : defs.getFirst();
  }

  /** A trigger among {@code allowed}; an unsupported one is reported and read as none. */
  private EventDefinition trigger(XmlElement el, XmlElement def, Set<String> allowed) {
    if (def == null) {
      return new EventDefinition.None();
    }
    if (!allowed.contains(def.localName())) {
      unsupported(el, def);
      return new EventDefinition.None();
    }
    return switch (def.localName()) {
      case "messageEventDefinition" -> new EventDefinition.Message(ctx.message(el, def));
      case "timerEventDefinition" -> timer(el, def);
      case "terminateEventDefinition" -> new EventDefinition.Terminate();
      default -> throw new IllegalStateException(def.localName());
    };
  }

  private EventDefinition timer(XmlElement el, XmlElement def) {
    TimerSpec spec = timers.read(el, def);
    return spec == null ? new EventDefinition.None() : new EventDefinition.Timer(spec);
  }

  private void unsupported(XmlElement el, XmlElement def) {
    String name = def.localName();
    if (!name.endsWith("EventDefinition")) {
      ctx.problem(
          el, "unsupported element <" + name + ">: write the event definition inside the event");
      return;
    }
    String kind = name.substring(0, name.length() - "EventDefinition".length());
    ctx.problem(
        el,
        "unsupported event definition <"
            + name
            + "> on <"
            + el.localName()
            + ">: "
            + kind
            + " events are not supported here");
  }

  private EndEvent endEvent(
      XmlElement el, ElementHeader header, XmlElement def, IoMapping mappings) {
    if (def != null && def.localName().equals("errorEventDefinition")) {
      String ref = def.attr("errorRef");
      if (ParseContext.isBlank(ref)) {
        ctx.problem(el, "an error end event needs an errorRef");
        return new EndEvent(header, new EventDefinition.Error(null, null), null, mappings);
      }
      ParseContext.ErrorDef error = ctx.error(el, ref);
      if (error != null && ParseContext.isBlank(error.errorCode())) {
        ctx.problem(el, "errorRef '" + error.id() + "' refers to an <error> without an errorCode");
      }
      return new EndEvent(
          header,
          new EventDefinition.Error(
              ParseContext.ref(ref), error == null ? null : error.errorCode()),
          null,
          mappings);
    }
    if (def != null && def.localName().equals("messageEventDefinition")) {
      JobDefinition job = jobs.read(el);
      return new EndEvent(header, sentMessage(el, def, job), job, mappings);
    }
    return new EndEvent(header, trigger(el, def, END), null, mappings);
  }

  private IntermediateThrowEvent throwEvent(
      XmlElement el, ElementHeader header, XmlElement def, IoMapping mappings) {
    if (def != null && def.localName().equals("messageEventDefinition")) {
      JobDefinition job = jobs.read(el);
      return new IntermediateThrowEvent(header, sentMessage(el, def, job), job, mappings);
    }
    return new IntermediateThrowEvent(header, trigger(el, def, THROW), null, mappings);
  }

  /**
   * A job sends the message when there is one; otherwise cob publishes it, so it needs a message.
   */
  private EventDefinition sentMessage(XmlElement el, XmlElement def, JobDefinition job) {
    if (ParseContext.isBlank(def.attr("messageRef"))) {
      if (job == null) {
        ctx.problem(
            el,
            "a message <"
                + el.localName()
                + "> needs a messageRef, or a job type to send it ("
                + ActivityBuilder.JOB_TYPE_SOURCES
                + ")");
      }
      return new EventDefinition.Message(null);
    }
    MessageRef ref = ctx.message(el, def);
    return new EventDefinition.Message(ref);
  }

  private BoundaryEvent boundaryEvent(
      XmlElement el, ElementHeader header, XmlElement def, IoMapping mappings) {
    String attachedTo = ParseContext.ref(el.attr("attachedToRef"));
    if (ParseContext.isBlank(attachedTo)) {
      ctx.problem(el, "a boundaryEvent needs an attachedToRef");
    }
    boolean cancel = ctx.bool(el, el, "", "cancelActivity", true);
    EventDefinition trigger;
    if (def == null) {
      ctx.problem(el, "a boundaryEvent needs an error, timer or message event definition");
      trigger = new EventDefinition.None();
    } else if (def.localName().equals("errorEventDefinition")) {
      trigger = caughtError(el, def);
      if (!cancel) {
        ctx.problem(el, "an error boundary event must be interrupting (cancelActivity=\"true\")");
      }
    } else {
      trigger = trigger(el, def, BOUNDARY);
    }
    return new BoundaryEvent(header, attachedTo, cancel, trigger, mappings);
  }

  /** Without errorRef an error boundary event catches every error. */
  private EventDefinition caughtError(XmlElement el, XmlElement def) {
    String ref = def.attr("errorRef");
    if (ParseContext.isBlank(ref)) {
      return new EventDefinition.Error(null, null);
    }
    ParseContext.ErrorDef error = ctx.error(el, ref);
    if (error != null && ParseContext.isBlank(error.errorCode())) {
      ctx.problem(el, "errorRef '" + error.id() + "' refers to an <error> without an errorCode");
    }
    return new EventDefinition.Error(
        ParseContext.ref(ref), error == null ? null : error.errorCode());
  }
}
