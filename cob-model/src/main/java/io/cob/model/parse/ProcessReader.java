package io.cob.model.parse;

import io.cob.model.ElementHeader;
import io.cob.model.FlowNode;
import io.cob.model.Lane;
import io.cob.model.ProcessDefinition;
import io.cob.model.SequenceFlow;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads one {@code <process>}: every flow node of every nesting level into one flat list (children
 * of an embedded subProcess get the subProcess id as their scope), every sequence flow (those
 * inside subProcesses included), the lanes, and the process's placement extensions; then runs the
 * {@link StructureValidator}.
 */
final class ProcessReader {
  /** A sequence flow element and the scope it was written in. */
  record ScopedFlow(XmlElement element, String scopeId) {}

  private static final Set<String> SUBPROCESS_CHILDREN =
      BpmnVocabulary.union(BpmnVocabulary.NODE_IGNORED, BpmnVocabulary.LOOPS);

  private final ParseContext ctx;
  private final CobExtensions cob;
  private final EventBuilder events;
  private final ActivityBuilder activities;
  private final GatewayBuilder gateways;

  ProcessReader(
      ParseContext ctx,
      CobExtensions cob,
      EventBuilder events,
      ActivityBuilder activities,
      GatewayBuilder gateways) {
    this.ctx = ctx;
    this.cob = cob;
    this.events = events;
    this.activities = activities;
    this.gateways = gateways;
  }

  /**
   * @param poolExtensions placement extensions written on the participant (pool) showing this
   *     process, or {@code null} when no pool shows it; the process's own attributes win
   */
  ProcessDefinition read(XmlElement processEl, Map<String, String> poolExtensions) {
    String id = processEl.id();
    if (ParseContext.isBlank(id)) {
      ctx.problem(processEl, "a <process> needs an id");
      id = "";
    }
    boolean executable = ctx.bool(processEl, processEl, "", "isExecutable", true);
    Map<String, String> extensions = new LinkedHashMap<>();
    if (poolExtensions != null) {
      extensions.putAll(poolExtensions);
    }
    extensions.putAll(cob.read(processEl, CobExtensions.NONE));
    ListenerCheck.check(ctx, processEl);

    List<FlowNode> nodes = new ArrayList<>();
    List<ScopedFlow> flowElements = new ArrayList<>();
    Set<String> unsupported = new HashSet<>();
    readScope(processEl, id, true, nodes, flowElements, unsupported);

    Map<String, FlowNode> byId = new LinkedHashMap<>();
    nodes.forEach(n -> byId.putIfAbsent(n.id(), n));
    List<SequenceFlow> flows = new SequenceFlowReader(ctx).read(flowElements, byId, unsupported);
    List<Lane> lanes = new ArrayList<>();
    for (XmlElement laneSet : processEl.children(Namespaces.BPMN, "laneSet")) {
      readLanes(laneSet, id, byId, lanes);
    }
    ProcessDefinition definition =
        new ProcessDefinition(
            id,
            processEl.attr("name"),
            executable,
            nodes,
            flows,
            lanes,
            extensions,
            processEl.location());
    new StructureValidator(ctx)
        .validate(definition, processEl, poolExtensions != null, unsupported);
    return definition;
  }

  private void readScope(
      XmlElement scopeEl,
      String scopeId,
      boolean isProcess,
      List<FlowNode> nodes,
      List<ScopedFlow> flows,
      Set<String> unsupported) {
    for (XmlElement child : scopeEl.children()) {
      if (!child.isBpmn()) {
        if (child.namespace().equals(Namespaces.COB)) {
          ctx.problem(
              scopeEl,
              "unknown element <cob:"
                  + child.localName()
                  + "> (cob extensions belong in <extensionElements>)");
        }
        continue;
      }
      String tag = child.localName();
      if (BpmnVocabulary.FLOW_NODES.contains(tag)) {
        if (tag.equals("subProcess") && ctx.bool(child, child, "", "triggeredByEvent", false)) {
          ctx.problem(child, "event subprocesses are not supported yet");
          unsupported.add(child.id());
          continue;
        }
        FlowNode node = node(child, scopeId);
        if (node == null) {
          continue;
        }
        nodes.add(node);
        if (tag.equals("subProcess")) {
          readScope(child, node.id(), false, nodes, flows, unsupported);
        }
      } else if (tag.equals("sequenceFlow")) {
        flows.add(new ScopedFlow(child, scopeId));
      } else if (BpmnVocabulary.SCOPE_IGNORED.contains(tag) || tag.equals("laneSet")) {
        // Lanes are read by read(); inside a subProcess they carry nothing cob uses.
      } else if (!isProcess && SUBPROCESS_CHILDREN.contains(tag)) {
        // The subProcess node's own children (loop, incoming...) were read with the node.
      } else {
        ctx.problem(child, "unsupported element <" + tag + ">");
        if (child.id() != null) {
          unsupported.add(child.id());
        }
      }
    }
  }

  private FlowNode node(XmlElement el, String scopeId) {
    String tag = el.localName();
    if (ParseContext.isBlank(el.id())) {
      ctx.problem(el, "a <" + tag + "> needs an id");
      return null;
    }
    ElementHeader header =
        new ElementHeader(
            el.id(), el.attr("name"), scopeId, tag, el.location(), cob.read(el, vocabulary(tag)));
    ListenerCheck.check(ctx, el);
    return switch (tag) {
      case "startEvent",
          "endEvent",
          "intermediateCatchEvent",
          "intermediateThrowEvent",
          "boundaryEvent" ->
          events.build(el, header);
      case "exclusiveGateway", "inclusiveGateway", "parallelGateway", "eventBasedGateway" ->
          gateways.build(el, header);
      default -> activities.build(el, header);
    };
  }

  /** The cob attributes and extension elements that mean something on a flow node of this kind. */
  private static CobExtensions.Vocabulary vocabulary(String tag) {
    return switch (tag) {
      case "serviceTask",
          "sendTask",
          "businessRuleTask",
          "scriptTask",
          "endEvent",
          "intermediateThrowEvent" ->
          CobExtensions.IO.plus(CobExtensions.JOB);
      case "userTask" -> CobExtensions.IO.plus(CobExtensions.USER_TASK);
      case "callActivity" -> CobExtensions.IO.plus(CobExtensions.CALL_ACTIVITY);
      case "exclusiveGateway", "inclusiveGateway", "parallelGateway", "eventBasedGateway" ->
          CobExtensions.NONE;
      default -> CobExtensions.IO;
    };
  }

  /**
   * Flattens nested lanes; a lane's child lanes come before it, so that {@link
   * ProcessDefinition#laneOf} (first lane listing a node wins) finds the innermost lane.
   */
  private void readLanes(
      XmlElement laneSet, String processId, Map<String, FlowNode> byId, List<Lane> into) {
    for (XmlElement lane : laneSet.children(Namespaces.BPMN, "lane")) {
      for (XmlElement childSet : lane.children(Namespaces.BPMN, "childLaneSet")) {
        readLanes(childSet, processId, byId, into);
      }
      if (ParseContext.isBlank(lane.id())) {
        ctx.problem(lane, "a <lane> needs an id");
        continue;
      }
      List<String> refs = new ArrayList<>();
      for (XmlElement ref : lane.children(Namespaces.BPMN, "flowNodeRef")) {
        String nodeId = ParseContext.ref(ref.text());
        if (!byId.containsKey(nodeId)) {
          ctx.problem(
              lane,
              "flowNodeRef '"
                  + nodeId
                  + "' does not resolve to a flow node of process '"
                  + processId
                  + "'");
        }
        refs.add(nodeId);
      }
      into.add(
          new Lane(
              lane.id(),
              lane.attr("name"),
              refs,
              cob.read(lane, CobExtensions.NONE),
              lane.location()));
    }
  }
}
