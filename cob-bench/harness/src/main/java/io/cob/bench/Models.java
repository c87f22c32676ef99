package io.cob.bench;

/**
 * The BPMN models of the workloads, written for each engine from one outline so that the three
 * differ only in the vendor's extension attributes: same ids, same elements, same flows.
 *
 * <p>What differs, and why:
 *
 * <ul>
 *   <li>A no-op step: Camunda and Flowable run a {@code JavaDelegate} ({@code class} attribute); in
 *       a durable workload it carries {@code asyncBefore} (Camunda) or {@code async} (Flowable), so
 *       each step is a job in its own transaction. cob runs no code inside a transaction: a service
 *       task is always a job, committed and then handed to its handler. So a durable step in cob is
 *       a service task with the job type {@link #NOOP_JOB_TYPE}, and a synchronous step is a plain
 *       {@code task} (cob passes through it in memory, the nearest thing cob has to a synchronous
 *       service task with a no-op delegate).
 *   <li>Completion: the peers' models carry a process-level {@code end} execution listener that
 *       reports the end after the engine's commit; cob's end is observed at the store commit
 *       instead (see {@code ObservedStore}), so its model has no listener.
 *   <li>Expressions: JUEL {@code ${...}} for the peers, FEEL {@code =...} for cob.
 * </ul>
 */
public final class Models {
  /** The job type of cob's durable no-op steps; the harness registers a handler for it. */
  public static final String NOOP_JOB_TYPE = "bench-noop";

  /** The message P3 waits for; correlated by the instance's business key. */
  public static final String MESSAGE = "go";

  /** Steps in the P1/P2 chain. */
  public static final int CHAIN_LENGTH = 10;

  /** Service tasks one P3 instance runs: one branch of the exclusive gateway and three parallel. */
  public static final int P3_TASKS = 4;

  private static final String CAMUNDA_PKG = "io.cob.bench.camunda.";
  private static final String FLOWABLE_PKG = "io.cob.bench.flowable.";

  private Models() {}

  /** The model of a workload for an engine. */
  public static String bpmn(Workload w, Vendor v) {
    StringBuilder p = new StringBuilder();
    p.append("  <process id=\"").append(w.processId()).append("\" isExecutable=\"true\">\n");
    p.append(endListener(v));
    if (w == Workload.P3) {
      p3(p, v);
    } else if (w == Workload.HEAP) {
      waiting(p);
    } else {
      chain(p, v, w.durableSteps());
    }
    p.append("  </process>\n");
    String messages = w == Workload.P3 || w == Workload.HEAP ? message(v) : "";
    return """
        <?xml version="1.0" encoding="UTF-8"?>
        <definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"
            xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
            xmlns:camunda="http://camunda.org/schema/1.0/bpmn"
            xmlns:flowable="http://flowable.org/bpmn"
            xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"
            id="bench-%s" targetNamespace="urn:cob:bench">
        %s%s</definitions>
        """
        .formatted(w.processId(), messages, p);
  }

  /** How many no-op handler calls one instance makes on an engine (for the correctness check). */
  public static int handlerCallsPerInstance(Workload w, Vendor v) {
    boolean cobPlainTasks = v == Vendor.COB && !w.durableSteps();
    if (cobPlainTasks || w == Workload.HEAP) {
      return 0;
    }
    return w == Workload.P3 ? P3_TASKS : CHAIN_LENGTH;
  }

  private static void chain(StringBuilder p, Vendor v, boolean durable) {
    p.append("    <startEvent id=\"start\"/>\n");
    String previous = "start";
    for (int i = 1; i <= CHAIN_LENGTH; i++) {
      String id = "t" + i;
      p.append(step(v, id, durable));
      flow(p, previous, id);
      previous = id;
    }
    p.append("    <endEvent id=\"end\"/>\n");
    flow(p, previous, "end");
  }

  /**
   * start → exclusive gateway (amount > 100 ? a : b) → merge → parallel fork c1, c2, c3 → join →
   * message catch "go" → end. The tasks are synchronous, as in P1; the start and the message are
   * the two commits of an instance.
   */
  private static void p3(StringBuilder p, Vendor v) {
    p.append("    <startEvent id=\"start\"/>\n");
    p.append("    <exclusiveGateway id=\"route\" default=\"toB\"/>\n");
    p.append(step(v, "a", false)).append(step(v, "b", false));
    p.append("    <exclusiveGateway id=\"merge\"/>\n");
    p.append("    <parallelGateway id=\"fork\"/>\n");
    p.append(step(v, "c1", false)).append(step(v, "c2", false)).append(step(v, "c3", false));
    p.append("    <parallelGateway id=\"join\"/>\n");
    p.append("    <intermediateCatchEvent id=\"wait\"><messageEventDefinition messageRef=\"")
        .append(MESSAGE)
        .append("\"/></intermediateCatchEvent>\n");
    p.append("    <endEvent id=\"end\"/>\n");
    flow(p, "start", "route");
    p.append("    <sequenceFlow id=\"toA\" sourceRef=\"route\" targetRef=\"a\">")
        .append("<conditionExpression xsi:type=\"tFormalExpression\">")
        .append(v == Vendor.COB ? "=amount &gt; 100" : "${amount &gt; 100}")
        .append("</conditionExpression></sequenceFlow>\n");
    p.append("    <sequenceFlow id=\"toB\" sourceRef=\"route\" targetRef=\"b\"/>\n");
    flow(p, "a", "merge");
    flow(p, "b", "merge");
    flow(p, "merge", "fork");
    for (String c : new String[] {"c1", "c2", "c3"}) {
      flow(p, "fork", c);
      flow(p, c, "join");
    }
    flow(p, "join", "wait");
    flow(p, "wait", "end");
  }

  /** start → message catch "go" (by the business key) → end: an instance that waits. */
  private static void waiting(StringBuilder p) {
    p.append("    <startEvent id=\"start\"/>\n");
    p.append("    <intermediateCatchEvent id=\"wait\"><messageEventDefinition messageRef=\"")
        .append(MESSAGE)
        .append("\"/></intermediateCatchEvent>\n");
    p.append("    <endEvent id=\"end\"/>\n");
    flow(p, "start", "wait");
    flow(p, "wait", "end");
  }

  private static String step(Vendor v, String id, boolean durable) {
    return switch (v) {
      case COB ->
          durable
              ? "    <serviceTask id=\""
                  + id
                  + "\"><extensionElements><zeebe:taskDefinition type=\""
                  + NOOP_JOB_TYPE
                  + "\"/></extensionElements></serviceTask>\n"
              : "    <task id=\"" + id + "\"/>\n";
      case CAMUNDA ->
          "    <serviceTask id=\""
              + id
              + "\" camunda:class=\""
              + CAMUNDA_PKG
              + "NoopDelegate\""
              + (durable ? " camunda:asyncBefore=\"true\"" : "")
              + "/>\n";
      case FLOWABLE ->
          "    <serviceTask id=\""
              + id
              + "\" flowable:class=\""
              + FLOWABLE_PKG
              + "NoopDelegate\""
              + (durable ? " flowable:async=\"true\"" : "")
              + "/>\n";
    };
  }

  private static String endListener(Vendor v) {
    return switch (v) {
      case COB -> "";
      case CAMUNDA ->
          "    <extensionElements><camunda:executionListener event=\"end\" class=\""
              + CAMUNDA_PKG
              + "EndListener\"/></extensionElements>\n";
      case FLOWABLE ->
          "    <extensionElements><flowable:executionListener event=\"end\" class=\""
              + FLOWABLE_PKG
              + "EndListener\"/></extensionElements>\n";
    };
  }

  private static String message(Vendor v) {
    String subscription =
        v == Vendor.COB
            ? "<extensionElements><zeebe:subscription correlationKey=\"=key\"/></extensionElements>"
            : "";
    return "  <message id=\""
        + MESSAGE
        + "\" name=\""
        + MESSAGE
        + "\">"
        + subscription
        + "</message>\n";
  }

  private static void flow(StringBuilder p, String from, String to) {
    p.append("    <sequenceFlow id=\"")
        .append(from)
        .append("_")
        .append(to)
        .append("\" sourceRef=\"")
        .append(from)
        .append("\" targetRef=\"")
        .append(to)
        .append("\"/>\n");
  }
}
