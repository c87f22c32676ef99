package io.cob.engine.replay;

import io.cob.engine.TestModels;
import io.cob.engine.replay.ProcessShape.Block;
import io.cob.engine.replay.ProcessShape.Boundaries;
import io.cob.engine.replay.ProcessShape.Choice;
import io.cob.engine.replay.ProcessShape.Escape;
import io.cob.engine.replay.ProcessShape.EventChoice;
import io.cob.engine.replay.ProcessShape.Fork;
import io.cob.engine.replay.ProcessShape.GuardedWork;
import io.cob.engine.replay.ProcessShape.MappedWork;
import io.cob.engine.replay.ProcessShape.MessageCatch;
import io.cob.engine.replay.ProcessShape.MultiWork;
import io.cob.engine.replay.ProcessShape.Noop;
import io.cob.engine.replay.ProcessShape.PlainTask;
import io.cob.engine.replay.ProcessShape.SubProcess;
import io.cob.engine.replay.ProcessShape.TimerCatch;
import io.cob.engine.replay.ProcessShape.UserTask;
import io.cob.engine.replay.ProcessShape.Work;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a {@link ProcessShape} as a BPMN document. Element ids are numbered in writing order and
 * name their kind ({@code work3}, {@code xor5_split} ...), so a failure report that names an
 * element can be matched with the XML printed beside it.
 */
final class ShapeXml {
  private int nextId = 1;
  private int nextFlow = 1;

  private ShapeXml() {}

  static String toXml(ProcessShape shape) {
    return new ShapeXml().document(shape);
  }

  private String document(ProcessShape shape) {
    Scope root = new Scope();
    root.node("<startEvent id=\"start\"/>");
    root.node("<endEvent id=\"end\"/>");
    Ends body = sequence(root, shape.body());
    connect(root, "start", body, "end");
    StringBuilder decls = new StringBuilder();
    for (String m : ProcessShape.MESSAGES) {
      decls
          .append("<message id=\"msg_")
          .append(m)
          .append("\" name=\"")
          .append(m)
          .append(
              "\"><extensionElements><zeebe:subscription correlationKey=\"=key\"/></extensionElements></message>\n");
    }
    for (String code : ProcessShape.ERROR_CODES) {
      decls
          .append("<error id=\"err_")
          .append(code)
          .append("\" errorCode=\"")
          .append(code)
          .append("\"/>\n");
    }
    return TestModels.definitions(
        decls
            + "<process id=\""
            + ProcessShape.PROCESS_ID
            + "\" isExecutable=\"true\">\n"
            + root.xml
            + "</process>\n");
  }

  /** The nodes and flows of one scope (the process or a subprocess). */
  private static final class Scope {
    final StringBuilder xml = new StringBuilder();

    void node(String text) {
      xml.append(text).append('\n');
    }
  }

  /** Where a written fragment is entered and left; {@code null} for an empty sequence. */
  private record Ends(String in, String out) {}

  private String id(String kind) {
    return kind + nextId++;
  }

  private String flow(Scope scope, String from, String to, String condition) {
    String id = "f" + nextFlow++;
    if (condition == null) {
      scope.node(
          "<sequenceFlow id=\"" + id + "\" sourceRef=\"" + from + "\" targetRef=\"" + to + "\"/>");
    } else {
      scope.node(
          "<sequenceFlow id=\""
              + id
              + "\" sourceRef=\""
              + from
              + "\" targetRef=\""
              + to
              + "\"><conditionExpression>"
              + TestModels.xmlEscape(condition)
              + "</conditionExpression></sequenceFlow>");
    }
    return id;
  }

  /** Connects {@code from} through a fragment (or directly, when it is empty) to {@code to}. */
  private List<String> connect(Scope scope, String from, Ends via, String to, String condition) {
    List<String> flows = new ArrayList<>();
    if (via == null) {
      flows.add(flow(scope, from, to, condition));
    } else {
      flows.add(flow(scope, from, via.in(), condition));
      flows.add(flow(scope, via.out(), to, null));
    }
    return flows;
  }

  private void connect(Scope scope, String from, Ends via, String to) {
    connect(scope, from, via, to, null);
  }

  private Ends sequence(Scope scope, List<Block> blocks) {
    String first = null;
    String last = null;
    for (Block b : blocks) {
      Ends e = block(scope, b);
      if (first == null) {
        first = e.in();
      } else {
        flow(scope, last, e.in(), null);
      }
      last = e.out();
    }
    return first == null ? null : new Ends(first, last);
  }

  private Ends block(Scope scope, Block b) {
    return switch (b) {
      // Work is placed by a policy, mapped work on a named cloud: replay covers StepPlaced too.
      case Work w ->
          single(
              scope,
              serviceTask(
                  id("work"), ProcessShape.WORK, "", "", " cob:placement=\"prefer=cheapest\""));
      case MappedWork m ->
          single(
              scope,
              serviceTask(
                  id("mapped"),
                  ProcessShape.WORK,
                  "",
                  """
          <zeebe:ioMapping><zeebe:input source="=x" target="input.x"/><zeebe:input source="=items" target="input.items"/>\
          <zeebe:output source="=input" target="data.input"/><zeebe:output source="=x" target="result"/></zeebe:ioMapping>""",
                  " cob:cloud=\"elsewhere\""));
      case Noop n -> single(scope, serviceTask(id("noop"), "noop", ""));
      case UserTask u -> single(scope, "<userTask id=\"" + id("user") + "\"/>");
      case PlainTask p -> single(scope, "<task id=\"" + id("task") + "\"/>");
      case TimerCatch t ->
          single(
              scope,
              "<intermediateCatchEvent id=\""
                  + id("timer")
                  + "\"><timerEventDefinition>"
                  + "<timeDuration>"
                  + t.duration()
                  + "</timeDuration></timerEventDefinition></intermediateCatchEvent>");
      case MessageCatch m ->
          single(
              scope,
              "<intermediateCatchEvent id=\""
                  + id("msg")
                  + "\"><messageEventDefinition messageRef=\"msg_"
                  + m.message()
                  + "\"/></intermediateCatchEvent>");
      case Choice c -> choice(scope, c);
      case Fork f -> fork(scope, f);
      case Escape e -> escape(scope, e);
      case EventChoice c -> eventChoice(scope, c);
      case SubProcess s -> subProcess(scope, s);
      case GuardedWork g ->
          guarded(scope, id("guard"), serviceTask(null, ProcessShape.WORK, ""), g.boundaries());
      case MultiWork m ->
          guarded(
              scope,
              id("mi"),
              serviceTask(
                  null,
                  ProcessShape.WORK,
                  loop(m.sequential()),
                  "",
                  " cob:placement=\"prefer=nearest\""),
              m.boundaries());
    };
  }

  private static Ends single(Scope scope, String xml) {
    scope.node(xml);
    int start = xml.indexOf("id=\"") + 4;
    String id = xml.substring(start, xml.indexOf('"', start));
    return new Ends(id, id);
  }

  /**
   * A service task; with {@code id == null} the caller puts in the id (written as {@code %ID%}).
   */
  private static String serviceTask(String id, String type, String inner) {
    return serviceTask(id, type, inner, "", "");
  }

  private static String serviceTask(
      String id, String type, String inner, String extensions, String attributes) {
    return "<serviceTask id=\""
        + (id == null ? "%ID%" : id)
        + "\""
        + attributes
        + "><extensionElements><zeebe:taskDefinition type=\""
        + type
        + "\"/>"
        + extensions
        + "</extensionElements>"
        + inner
        + "</serviceTask>";
  }

  private static String loop(boolean sequential) {
    // The output collection is named after the element, so nested bodies never share one.
    return "<multiInstanceLoopCharacteristics isSequential=\""
        + sequential
        + "\"><extensionElements>"
        + "<zeebe:loopCharacteristics inputCollection=\"=items\" inputElement=\"item\" outputCollection=\"out_%ID%\""
        + " outputElement=\"=item\"/></extensionElements></multiInstanceLoopCharacteristics>";
  }

  private Ends choice(Scope scope, Choice c) {
    String kind = c.inclusive() ? "or" : "xor";
    String tag = c.inclusive() ? "inclusiveGateway" : "exclusiveGateway";
    String base = id(kind);
    String split = base + "_split";
    String merge = base + "_merge";
    String defaultFlow = null;
    for (int i = 0; i < c.branches().size(); i++) {
      boolean isDefault = i == c.branches().size() - 1;
      String condition = isDefault ? null : "=x > " + c.thresholds().get(i);
      Ends branch = sequence(scope, c.branches().get(i));
      List<String> flows = connect(scope, split, branch, merge, condition);
      if (isDefault) {
        defaultFlow = flows.get(0);
      }
    }
    scope.node("<" + tag + " id=\"" + split + "\" default=\"" + defaultFlow + "\"/>");
    scope.node("<" + tag + " id=\"" + merge + "\"/>");
    return new Ends(split, merge);
  }

  private Ends fork(Scope scope, Fork f) {
    String base = id("and");
    String fork = base + "_fork";
    String join = base + "_join";
    scope.node("<parallelGateway id=\"" + fork + "\"/>");
    scope.node("<parallelGateway id=\"" + join + "\"/>");
    for (List<Block> branch : f.branches()) {
      connect(scope, fork, sequence(scope, branch), join);
    }
    return new Ends(fork, join);
  }

  private Ends subProcess(Scope scope, SubProcess s) {
    String id = id("sub");
    Scope inner = new Scope();
    inner.node("<startEvent id=\"" + id + "_start\"/>");
    inner.node("<endEvent id=\"" + id + "_end\"/>");
    connect(inner, id + "_start", sequence(inner, s.body()), id + "_end");
    String mapping =
        s.localX()
            ? "<extensionElements><zeebe:ioMapping><zeebe:input source=\"=x\" target=\"x\"/>"
                + "<zeebe:output source=\"=x\" target=\"subX\"/></zeebe:ioMapping></extensionElements>\n"
            : "";
    String host = "<subProcess id=\"" + id + "\">\n" + mapping + inner.xml + "</subProcess>";
    return guarded(scope, id, host, s.boundaries());
  }

  /**
   * Writes an activity with its boundary events. Interrupting boundary paths and the normal path
   * meet at an exclusive merge, so the fragment still has one way out.
   */
  private Ends guarded(Scope scope, String id, String hostXml, Boundaries b) {
    scope.node(hostXml.replace("%ID%", id));
    if (!b.any()) {
      return new Ends(id, id);
    }
    String merge = id + "_merge";
    if (b.merges()) {
      scope.node("<exclusiveGateway id=\"" + merge + "\"/>");
      flow(scope, id, merge, null);
    }
    if (b.timer().isPresent()) {
      ProcessShape.Timer t = b.timer().get();
      String definition =
          t.cycle() && !t.interrupts()
              ? "<timeCycle>R2/" + t.duration() + "</timeCycle>"
              : "<timeDuration>" + t.duration() + "</timeDuration>";
      boundary(
          scope,
          id,
          id + "_timeout",
          t.interrupts(),
          "<timerEventDefinition>" + definition + "</timerEventDefinition>",
          b.onTimer(),
          b.leadsBack(b.timer().map(ProcessShape.Timer::interrupts)) ? merge : null);
    }
    if (b.errorCode().isPresent()) {
      String code = b.errorCode().get();
      boundary(
          scope,
          id,
          id + "_error",
          true,
          "<errorEventDefinition"
              + ("*".equals(code) ? "" : " errorRef=\"err_" + code + "\"")
              + "/>",
          b.onError(),
          merge);
    }
    if (b.message().isPresent()) {
      ProcessShape.Message m = b.message().get();
      boundary(
          scope,
          id,
          id + "_message",
          m.interrupts(),
          "<messageEventDefinition messageRef=\"msg_" + m.name() + "\"/>",
          b.onMessage(),
          b.leadsBack(b.message().map(ProcessShape.Message::interrupts)) ? merge : null);
    }
    return new Ends(id, b.merges() ? merge : id);
  }

  /**
   * One boundary event and its handler, which leads to {@code merge}, or when that is null to an
   * end of its own.
   */
  private void boundary(
      Scope scope,
      String host,
      String id,
      boolean interrupts,
      String definition,
      List<Block> handler,
      String merge) {
    scope.node(
        "<boundaryEvent id=\""
            + id
            + "\" attachedToRef=\""
            + host
            + "\" cancelActivity=\""
            + interrupts
            + "\">"
            + definition
            + "</boundaryEvent>");
    String target = merge;
    if (target == null) {
      target = id + "_end";
      scope.node("<endEvent id=\"" + target + "\"/>");
    }
    connect(scope, id, sequence(scope, handler), target);
  }

  /** An exclusive split whose conditional flow ends the scope (terminate or error end event). */
  private Ends escape(Scope scope, Escape e) {
    String base = id("esc");
    String split = base + "_split";
    String merge = base + "_merge";
    String end = base + "_end";
    String flowOn = flow(scope, split, merge, null);
    flow(scope, split, end, "=x > " + e.threshold());
    scope.node("<exclusiveGateway id=\"" + split + "\" default=\"" + flowOn + "\"/>");
    scope.node("<exclusiveGateway id=\"" + merge + "\"/>");
    scope.node(
        "<endEvent id=\""
            + end
            + "\">"
            + ("terminate".equals(e.end())
                ? "<terminateEventDefinition/>"
                : "<errorEventDefinition errorRef=\"err_" + e.end() + "\"/>")
            + "</endEvent>");
    return new Ends(split, merge);
  }

  /** An event-based gateway: whichever of the timer and the message comes first picks the path. */
  private Ends eventChoice(Scope scope, EventChoice c) {
    String base = id("evt");
    String gateway = base + "_gateway";
    String merge = base + "_merge";
    String timer = base + "_timer";
    String message = base + "_message";
    scope.node("<eventBasedGateway id=\"" + gateway + "\"/>");
    scope.node("<exclusiveGateway id=\"" + merge + "\"/>");
    scope.node(
        "<intermediateCatchEvent id=\""
            + timer
            + "\"><timerEventDefinition><timeDuration>"
            + c.timer()
            + "</timeDuration></timerEventDefinition></intermediateCatchEvent>");
    scope.node(
        "<intermediateCatchEvent id=\""
            + message
            + "\"><messageEventDefinition messageRef=\"msg_"
            + c.message()
            + "\"/></intermediateCatchEvent>");
    flow(scope, gateway, timer, null);
    flow(scope, gateway, message, null);
    connect(scope, timer, sequence(scope, c.afterTimer()), merge);
    connect(scope, message, sequence(scope, c.afterMessage()), merge);
    return new Ends(gateway, merge);
  }
}
