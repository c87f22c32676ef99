package io.cob.demo;

import io.cob.server.config.CloudConfig;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One showcase run: a process from {@code examples/}, the clouds it spans, the services it calls
 * (started by the demo itself on loopback), the decisions the demo takes at user tasks, and the
 * outage it stages.
 */
public sealed interface DemoScenario permits OrderScenario, ClaimScenario {

  /** The name on the command line: {@code order} or {@code claim}. */
  String name();

  /** The BPMN file in {@code examples/} (packed into the distribution). */
  String bpmnFile();

  String processId();

  /** The clouds, the owner's first, with the attributes placement policies read. */
  Map<String, CloudConfig> clouds();

  /**
   * Starts the services the process calls; the caller closes them.
   *
   * @throws Exception when a service cannot start
   */
  RunningServices startServices() throws Exception;

  /** What the demo does at each user task, by element id. */
  Map<String, HumanDecision> decisions();

  /** The outage staged mid-run, if any. */
  Optional<OutagePlan> outage();

  /** The file name prefix of the downloaded report, e.g. {@code order-report}. */
  String reportPrefix();

  /** The scenario of that name. */
  static DemoScenario named(String name) {
    return switch (name) {
      case "order", "orders" -> new OrderScenario();
      case "claim", "claims" -> new ClaimScenario();
      default ->
          throw new IllegalArgumentException(
              "unknown demo '" + name + "'; there are: " + List.of("order", "claim"));
    };
  }

  /** A cloud's attributes. */
  static CloudConfig cloud(
      String provider, String region, List<String> jurisdiction, String cost, String availability) {
    return new CloudConfig(
        provider, region, jurisdiction, new BigDecimal(cost), null, new BigDecimal(availability));
  }
}
