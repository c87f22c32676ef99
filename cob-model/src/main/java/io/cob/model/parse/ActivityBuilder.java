package io.cob.model.parse;

import io.cob.model.Activity;
import io.cob.model.CallActivity;
import io.cob.model.ElementHeader;
import io.cob.model.Expression;
import io.cob.model.IoMapping;
import io.cob.model.JobDefinition;
import io.cob.model.MultiInstance;
import io.cob.model.ReceiveTask;
import io.cob.model.ServiceTask;
import io.cob.model.SubProcess;
import io.cob.model.Task;
import io.cob.model.UserTask;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Builds tasks, subProcesses (the node only; {@link ProcessReader} reads their content) and call
 * activities.
 *
 * <p>{@code businessRuleTask} and {@code scriptTask} are only supported as jobs: cob runs no
 * decision tables or scripts itself, so without a job type they are reported as unsupported.
 */
final class ActivityBuilder {
  private static final Set<String> CHILDREN =
      BpmnVocabulary.union(BpmnVocabulary.NODE_IGNORED, BpmnVocabulary.LOOPS);
  private static final Set<String> SCRIPT_CHILDREN =
      BpmnVocabulary.union(CHILDREN, Set.of("script"));
  private static final Set<String> USER_TASK_CHILDREN =
      BpmnVocabulary.union(CHILDREN, Set.of("rendering"));
  static final String JOB_TYPE_SOURCES =
      "zeebe:taskDefinition type, camunda:type=\"external\" with camunda:topic, or cob:type";

  private final ParseContext ctx;
  private final JobReader jobs;
  private final IoMappingReader io;
  private final LoopReader loops;

  ActivityBuilder(ParseContext ctx, JobReader jobs, IoMappingReader io, LoopReader loops) {
    this.ctx = ctx;
    this.jobs = jobs;
    this.io = io;
    this.loops = loops;
  }

  /** Builds the activity written as {@code el}; {@code header} is already read. */
  Activity build(XmlElement el, ElementHeader header) {
    String tag = el.localName();
    if (!tag.equals("subProcess")) {
      BpmnVocabulary.rejectUnknownChildren(
          ctx,
          el,
          el,
          switch (tag) {
            case "scriptTask" -> SCRIPT_CHILDREN;
            case "userTask" -> USER_TASK_CHILDREN;
            default -> CHILDREN;
          });
    }
    IoMapping mappings = io.read(el);
    MultiInstance loop = loops.read(el);
    return switch (tag) {
      case "task", "manualTask" -> new Task(header, mappings, loop);
      case "serviceTask", "sendTask", "businessRuleTask", "scriptTask" -> {
        JobDefinition job = jobs.read(el);
        if (job == null && !JobReader.hasJavaDelegate(el)) {
          if (tag.equals("serviceTask") || tag.equals("sendTask")) {
            ctx.problem(el, "a <" + tag + "> needs a job type (" + JOB_TYPE_SOURCES + ")");
          } else {
            ctx.problem(
                el,
                "unsupported element <"
                    + tag
                    + ">: only supported with a job type ("
                    + JOB_TYPE_SOURCES
                    + ")");
          }
        }
        yield new ServiceTask(header, job, mappings, loop);
      }
      case "receiveTask" -> new ReceiveTask(header, ctx.message(el, el), mappings, loop);
      case "userTask" -> userTask(el, header, mappings, loop);
      case "subProcess" -> new SubProcess(header, mappings, loop);
      case "callActivity" -> callActivity(el, header, mappings, loop);
      default -> throw new IllegalArgumentException("not an activity: " + el);
    };
  }

  /**
   * Assignment from Camunda 7 attributes ({@code camunda:assignee}...), then Camunda 8 extension
   * elements ({@code zeebe:assignmentDefinition}, {@code zeebe:formDefinition}, {@code
   * zeebe:taskSchedule}), then cob attributes; a later source overrides an earlier one.
   */
  private UserTask userTask(
      XmlElement el, ElementHeader header, IoMapping mappings, MultiInstance loop) {
    String assignee = el.attrIn(Namespaces.CLASSIC, "assignee");
    String groups = el.attrIn(Namespaces.CLASSIC, "candidateGroups");
    String users = el.attrIn(Namespaces.CLASSIC, "candidateUsers");
    String formKey = el.attrIn(Namespaces.CLASSIC, "formKey");
    String dueDate = el.attrIn(Namespaces.CLASSIC, "dueDate");
    XmlElement assignment = el.extension(Namespaces.ZEEBE, "assignmentDefinition");
    if (assignment != null) {
      assignee = orElse(assignment.attr("assignee"), assignee);
      groups = orElse(assignment.attr("candidateGroups"), groups);
      users = orElse(assignment.attr("candidateUsers"), users);
    }
    XmlElement form = el.extension(Namespaces.ZEEBE, "formDefinition");
    if (form != null) {
      formKey =
          orElse(
              form.attr("formKey"),
              orElse(form.attr("formId"), orElse(form.attr("externalReference"), formKey)));
    }
    XmlElement schedule = el.extension(Namespaces.ZEEBE, "taskSchedule");
    if (schedule != null) {
      dueDate = orElse(schedule.attr("dueDate"), dueDate);
    }
    assignee = orElse(el.attr(Namespaces.COB, "assignee"), assignee);
    groups = orElse(el.attr(Namespaces.COB, "candidateGroups"), groups);
    users = orElse(el.attr(Namespaces.COB, "candidateUsers"), users);
    formKey = orElse(el.attr(Namespaces.COB, "formKey"), formKey);
    dueDate = orElse(el.attr(Namespaces.COB, "dueDate"), dueDate);
    return new UserTask(
        header,
        ctx.expression(el, "assignee", blankToNull(assignee)),
        ctx.expression(el, "candidateGroups", blankToNull(groups)),
        ctx.expression(el, "candidateUsers", blankToNull(users)),
        blankToNull(formKey),
        ctx.expression(el, "dueDate", blankToNull(dueDate)),
        mappings,
        loop);
  }

  /**
   * The called process from {@code calledElement} (BPMN, Camunda 7), {@code zeebe:calledElement
   * processId} or {@code cob:calledElement}, later overriding earlier. Variable propagation
   * defaults to Camunda 8's (both directions); Camunda 7 {@code camunda:in}/{@code camunda:out}
   * elements, when present, decide it instead ({@code variables="all"}) and their source/target
   * pairs become input/output mappings.
   */
  private CallActivity callActivity(
      XmlElement el, ElementHeader header, IoMapping mappings, MultiInstance loop) {
    String called = el.attr("calledElement");
    boolean child = true;
    boolean parent = true;
    XmlElement zeebe = el.extension(Namespaces.ZEEBE, "calledElement");
    if (zeebe != null) {
      called = orElse(zeebe.attr("processId"), called);
      child = ctx.bool(el, zeebe, "", "propagateAllChildVariables", child);
      parent = ctx.bool(el, zeebe, "", "propagateAllParentVariables", parent);
    }
    called = orElse(el.attr(Namespaces.COB, "calledElement"), called);
    child = ctx.bool(el, el, Namespaces.COB, "propagateAllChildVariables", child);
    parent = ctx.bool(el, el, Namespaces.COB, "propagateAllParentVariables", parent);

    List<IoMapping.Mapping> inputs = new ArrayList<>(mappings.inputs());
    List<IoMapping.Mapping> outputs = new ArrayList<>(mappings.outputs());
    boolean classic = false;
    boolean classicParent = false;
    boolean classicChild = false;
    for (XmlElement ext : el.extensionElements()) {
      if (!Namespaces.CLASSIC.contains(ext.namespace())) {
        continue;
      }
      boolean in = ext.localName().equals("in");
      if (!in && !ext.localName().equals("out")) {
        continue;
      }
      classic = true;
      if ("all".equals(ext.attr("variables"))) {
        classicParent |= in;
        classicChild |= !in;
        continue;
      }
      IoMapping.Mapping m = classicMapping(el, ext);
      if (m != null) {
        (in ? inputs : outputs).add(m);
      }
    }
    if (classic) {
      parent = classicParent;
      child = classicChild;
    }
    if (ParseContext.isBlank(called)) {
      ctx.problem(
          el,
          "a callActivity needs a called element (calledElement, zeebe:calledElement processId or"
              + " cob:calledElement)");
      called = "";
    }
    return new CallActivity(
        header,
        ctx.expression(el, "calledElement", called),
        child,
        parent,
        inputs.isEmpty() && outputs.isEmpty() ? IoMapping.NONE : new IoMapping(inputs, outputs),
        loop);
  }

  /** {@code camunda:in source="a" target="b"}: a bare variable name is read as {@code ${a}}. */
  private IoMapping.Mapping classicMapping(XmlElement el, XmlElement ext) {
    String target = ext.attr("target");
    if (ext.attr("businessKey") != null) {
      return null; // The business key is Camunda 7 bookkeeping, not a variable.
    }
    if (ParseContext.isBlank(target)) {
      ctx.problem(el, ext.displayName() + " needs a target");
      return null;
    }
    String source = ext.attr("sourceExpression");
    if (source == null && ext.attr("source") != null) {
      source = "${" + ext.attr("source").strip() + "}";
    }
    if (source == null) {
      ctx.problem(el, ext.displayName() + " '" + target + "' needs a source or sourceExpression");
      return null;
    }
    Expression e = ctx.expression(el, ext.localName() + " '" + target + "'", source);
    return new IoMapping.Mapping(e, target.strip());
  }

  private static String orElse(String value, String fallback) {
    return value != null ? value : fallback;
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
