package io.cob.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An immutable, validated process: every flow node of every nesting level in one map (nodes know
 * their scope through {@link FlowNode#scopeId()}), the sequence flows, and lookup indexes the
 * engine needs on every step.
 */
public final class ProcessDefinition {
  private final String id;
  private final String name;
  private final boolean executable;
  private final Map<String, FlowNode> nodes;
  private final Map<String, SequenceFlow> flows;
  private final List<Lane> lanes;
  private final Map<String, String> extensions;
  private final SourceLocation location;

  private final Map<String, List<SequenceFlow>> outgoing = new HashMap<>();
  private final Map<String, List<SequenceFlow>> incoming = new HashMap<>();
  private final Map<String, List<BoundaryEvent>> boundaryEvents = new HashMap<>();
  private final Map<String, List<FlowNode>> children = new HashMap<>();
  private final Map<String, String> laneOfNode = new HashMap<>();
  private final Map<String, PlacementRule> placements =
      new java.util.concurrent.ConcurrentHashMap<>();

  public ProcessDefinition(
      String id,
      String name,
      boolean executable,
      List<FlowNode> nodes,
      List<SequenceFlow> flows,
      List<Lane> lanes,
      Map<String, String> extensions,
      SourceLocation location) {
    this.id = id;
    this.name = name;
    this.executable = executable;
    Map<String, FlowNode> byId = new LinkedHashMap<>();
    for (FlowNode n : nodes) {
      byId.put(n.id(), n);
      children.computeIfAbsent(n.scopeId(), k -> new ArrayList<>()).add(n);
      if (n instanceof BoundaryEvent b) {
        boundaryEvents.computeIfAbsent(b.attachedTo(), k -> new ArrayList<>()).add(b);
      }
    }
    this.nodes = Collections.unmodifiableMap(byId);
    Map<String, SequenceFlow> flowsById = new LinkedHashMap<>();
    for (SequenceFlow f : flows) {
      flowsById.put(f.id(), f);
      outgoing.computeIfAbsent(f.sourceId(), k -> new ArrayList<>()).add(f);
      incoming.computeIfAbsent(f.targetId(), k -> new ArrayList<>()).add(f);
    }
    this.flows = Collections.unmodifiableMap(flowsById);
    this.lanes = List.copyOf(lanes);
    for (Lane lane : lanes) {
      for (String nodeId : lane.flowNodeIds()) {
        laneOfNode.putIfAbsent(nodeId, lane.id());
      }
    }
    this.extensions = Map.copyOf(extensions);
    this.location = location;
    freeze(outgoing);
    freeze(incoming);
    freeze(boundaryEvents);
    freeze(children);
  }

  private static <T> void freeze(Map<String, List<T>> index) {
    index.replaceAll((k, v) -> List.copyOf(v));
  }

  public String id() {
    return id;
  }

  public String name() {
    return name;
  }

  /** A process without {@code isExecutable} counts as executable. */
  public boolean executable() {
    return executable;
  }

  /** Every flow node, of every nesting level, in document order. */
  public Map<String, FlowNode> nodes() {
    return nodes;
  }

  public FlowNode node(String nodeId) {
    FlowNode n = nodes.get(nodeId);
    if (n == null) {
      throw new IllegalArgumentException("process '" + id + "' has no element '" + nodeId + "'");
    }
    return n;
  }

  public Map<String, SequenceFlow> flows() {
    return flows;
  }

  public SequenceFlow flow(String flowId) {
    SequenceFlow f = flows.get(flowId);
    if (f == null) {
      throw new IllegalArgumentException(
          "process '" + id + "' has no sequence flow '" + flowId + "'");
    }
    return f;
  }

  public List<SequenceFlow> outgoing(String nodeId) {
    return outgoing.getOrDefault(nodeId, List.of());
  }

  public List<SequenceFlow> incoming(String nodeId) {
    return incoming.getOrDefault(nodeId, List.of());
  }

  public List<BoundaryEvent> boundaryEvents(String activityId) {
    return boundaryEvents.getOrDefault(activityId, List.of());
  }

  /** The nodes directly inside a scope (the process id or a subProcess id). */
  public List<FlowNode> children(String scopeId) {
    return children.getOrDefault(scopeId, List.of());
  }

  /** The start events directly inside a scope. */
  public List<StartEvent> startEvents(String scopeId) {
    return children(scopeId).stream()
        .filter(StartEvent.class::isInstance)
        .map(StartEvent.class::cast)
        .toList();
  }

  /** The plain (none) start event of a scope, if there is one. */
  public java.util.Optional<StartEvent> noneStartEvent(String scopeId) {
    return startEvents(scopeId).stream()
        .filter(s -> s.trigger() instanceof EventDefinition.None)
        .findFirst();
  }

  public List<Lane> lanes() {
    return lanes;
  }

  /** The lane a node is drawn in, if any (nodes inside a subProcess inherit nothing here). */
  public java.util.Optional<Lane> laneOf(String nodeId) {
    String laneId = laneOfNode.get(nodeId);
    return lanes.stream().filter(l -> l.id().equals(laneId)).findFirst();
  }

  public Map<String, String> extensions() {
    return extensions;
  }

  /**
   * Where the model says a node runs: its placement sources, most specific first (see {@link
   * PlacementRule} for the order). Computed once per node; thread-safe.
   *
   * @throws IllegalArgumentException when the node does not exist, or a {@code cob:placement} on
   *     the way is malformed (the parser reports those as problems, so a parsed definition never
   *     throws for that)
   */
  public PlacementRule placementOf(String nodeId) {
    FlowNode node = node(nodeId);
    return placements.computeIfAbsent(nodeId, k -> buildPlacement(node));
  }

  private PlacementRule buildPlacement(FlowNode node) {
    List<PlacementRule.Source> sources = new ArrayList<>();
    addPlacement(sources, node.header().extensions(), "'" + node.id() + "'", null);
    List<Lane> nodeLanes = lanesOf(node.id());
    String scope = node.scopeId();
    while (scope != null && !scope.equals(id) && nodes.get(scope) instanceof SubProcess sub) {
      addPlacement(sources, sub.header().extensions(), "subProcess '" + sub.id() + "'", null);
      if (nodeLanes.isEmpty()) {
        nodeLanes = lanesOf(sub.id());
      }
      scope = sub.scopeId();
    }
    for (Lane l : nodeLanes) {
      // A lane named after a cloud has that cloud as if by cob:cloud; its cob:placement follows.
      String laneName = l.name() == null || l.name().isBlank() ? null : l.name().strip();
      addPlacement(
          sources,
          l.extensions(),
          "lane '" + l.id() + "'",
          laneName == null
              ? null
              : new PlacementRule.LaneName(laneName, "lane '" + laneName + "'"));
    }
    addPlacement(sources, extensions, "process '" + id + "'", null);
    return sources.isEmpty() ? PlacementRule.NONE : new PlacementRule(sources);
  }

  /** Every lane listing a node, innermost first (a parent lane lists its child lanes' nodes). */
  private List<Lane> lanesOf(String nodeId) {
    return lanes.stream().filter(l -> l.flowNodeIds().contains(nodeId)).toList();
  }

  /**
   * Adds what one level says: its {@code cob:cloud} (else {@code named}, a lane's name), then its
   * {@code cob:placement}.
   */
  private static void addPlacement(
      List<PlacementRule.Source> into,
      Map<String, String> ext,
      String where,
      PlacementRule.LaneName named) {
    String cloud = ext.get("cloud");
    if (cloud != null && !cloud.isBlank()) {
      into.add(new PlacementRule.FixedCloud(cloud.strip(), "cob:cloud of " + where));
    } else if (named != null) {
      into.add(named);
    }
    String policy = ext.get("placement");
    if (policy != null) {
      try {
        into.add(
            new PlacementRule.Policy(PlacementPolicy.parse(policy), "cob:placement of " + where));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("cob:placement of " + where + ": " + e.getMessage(), e);
      }
    }
  }

  public SourceLocation location() {
    return location;
  }

  /**
   * Which variables must stay in which jurisdiction: {@code cob:residency="customer=eu, iban=eu"}
   * on the process. Such a value is never shipped to a cloud outside its jurisdiction (replication,
   * steps on other clouds), and an instance holding one fails over only to a cloud within it.
   *
   * @return variable name → jurisdiction tag; empty when the process has none
   */
  public Map<String, String> residency() {
    String value = extensions.get("residency");
    return value == null ? Map.of() : parseResidency(value);
  }

  /**
   * The clouds this process's instances are replicated to, first preferred: {@code
   * cob:standby="public-b, public-c"} on the process or its pool. When given it replaces the owner
   * cloud's configured standbys for these instances (a process that must keep a standby in one
   * jurisdiction, say).
   *
   * @return the cloud names; empty when the process names none (the cloud's configuration rules)
   */
  public List<String> standbys() {
    String value = extensions.get("standby");
    return value == null || isPolicy(value) ? List.of() : parseStandby(value);
  }

  /**
   * The standbys as a placement policy instead of names: {@code cob:standby="jurisdiction=eu;
   * prefer=most-available"} replicates to every other cloud that meets the requirements, the
   * preferred first (see {@link PlacementPolicy}).
   */
  public java.util.Optional<PlacementPolicy> standbyPolicy() {
    String value = extensions.get("standby");
    return value == null || !isPolicy(value)
        ? java.util.Optional.empty()
        : java.util.Optional.of(PlacementPolicy.parse(value));
  }

  /** Whether a {@code cob:standby} value is a policy (it compares) rather than cloud names. */
  public static boolean isPolicy(String standby) {
    return standby.contains("=") || standby.contains("<") || standby.contains(">");
  }

  /**
   * Whether the model asks for synchronous replication ({@code cob:replication="sync"}) or
   * asynchronous ({@code "async"}) of its instances; empty when it leaves it to the cloud's
   * configuration.
   */
  public java.util.Optional<Boolean> syncReplication() {
    String value = extensions.get("replication");
    return value == null
        ? java.util.Optional.empty()
        : java.util.Optional.of(parseReplication(value));
  }

  /**
   * Parses cloud names separated by commas.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  public static List<String> parseStandby(String value) {
    List<String> out = new ArrayList<>();
    for (String part : value.split(",", -1)) {
      String name = part.strip();
      if (name.isEmpty()) {
        throw new IllegalArgumentException(
            "'" + value + "' has an empty cloud name; name clouds separated by commas");
      }
      if (!name.matches("[A-Za-z0-9_.-]+")) {
        throw new IllegalArgumentException(
            "'" + name + "' is not a cloud name (letters, digits, '.', '_' and '-')");
      }
      if (out.contains(name)) {
        throw new IllegalArgumentException("cloud '" + name + "' is named twice");
      }
      out.add(name);
    }
    return List.copyOf(out);
  }

  /**
   * Parses {@code sync} or {@code async}.
   *
   * @return whether it is {@code sync}
   * @throws IllegalArgumentException for anything else
   */
  public static boolean parseReplication(String value) {
    return switch (value.strip()) {
      case "sync" -> true;
      case "async" -> false;
      default ->
          throw new IllegalArgumentException("'" + value + "' is neither 'sync' nor 'async'");
    };
  }

  /**
   * Parses {@code name=jurisdiction} pairs separated by commas.
   *
   * @throws IllegalArgumentException naming the malformed pair
   */
  public static Map<String, String> parseResidency(String value) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String pair : value.split(",")) {
      String p = pair.strip();
      int eq = p.indexOf('=');
      if (eq <= 0 || eq == p.length() - 1) {
        throw new IllegalArgumentException(
            "'" + p + "' is not variable=jurisdiction (e.g. customer=eu, iban=eu)");
      }
      String name = p.substring(0, eq).strip();
      String tag = p.substring(eq + 1).strip();
      if (!name.matches("[A-Za-z_][A-Za-z0-9_]*") || !tag.matches("[A-Za-z0-9_-]+")) {
        throw new IllegalArgumentException(
            "'" + p + "': a variable name and a jurisdiction tag (letters, digits, _ and -)");
      }
      if (out.put(name, tag) != null) {
        throw new IllegalArgumentException("variable '" + name + "' is named twice");
      }
    }
    return Map.copyOf(out);
  }

  @Override
  public String toString() {
    return "ProcessDefinition[" + id + "]";
  }
}
