package io.cob.demo;

import io.cob.demo.broker.AmqpBrokerChoice;
import io.cob.demo.services.AppointmentScheduler;
import io.cob.demo.services.DiagnosticCentre;
import io.cob.demo.services.GovernmentFinanceService;
import io.cob.server.config.CloudConfig;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code cob demo claim}: {@code examples/disability-claim.bpmn} across {@code private}, {@code
 * public-a}, {@code dc-east} and {@code public-b}: a clinician and an auditor (played by the demo),
 * a diagnostic centre (REST), an appointment scheduler answering over AMQP on a broker the demo
 * starts in its own JVM, and the government and finance unit (SOAP).
 */
public final class ClaimScenario implements DemoScenario {

  @Override
  public String name() {
    return "claim";
  }

  @Override
  public String bpmnFile() {
    return "disability-claim.bpmn";
  }

  @Override
  public String processId() {
    return "disability-claim";
  }

  @Override
  public Map<String, CloudConfig> clouds() {
    Map<String, CloudConfig> c = new LinkedHashMap<>();
    c.put(
        "private", DemoScenario.cloud("onprem", "eu-west", List.of("eu", "gdpr"), "0.004", "99.9"));
    c.put("public-a", DemoScenario.cloud("aws", "eu-central-1", List.of("eu"), "0.002", "99.95"));
    c.put("dc-east", DemoScenario.cloud("onprem", "eu-east", List.of("eu"), "0.003", "99.5"));
    c.put(
        "public-b",
        DemoScenario.cloud("gov-cloud", "eu-west", List.of("eu", "gov"), "0.005", "99.99"));
    return c;
  }

  @Override
  public RunningServices startServices() throws Exception {
    RunningServices s = new RunningServices();
    try {
      AmqpBrokerChoice broker = s.started(AmqpBrokerChoice.choose(OrderScenario.secret()));
      String dxToken = OrderScenario.secret();
      String govPassword = OrderScenario.secret();
      String financePassword = OrderScenario.secret();
      DiagnosticCentre dx = s.started(new DiagnosticCentre(dxToken));
      GovernmentFinanceService gov =
          s.started(new GovernmentFinanceService(govPassword, financePassword));
      AppointmentScheduler scheduler = s.started(new AppointmentScheduler(broker.url()));
      s.secrets.put("DIAGNOSTICS_TOKEN", dxToken);
      s.secrets.put("GOV_PASSWORD", govPassword);
      s.secrets.put("FINANCE_PASSWORD", financePassword);
      s.secrets.put("AMQP_PASSWORD", broker.password());
      s.connectorSettings.put("amqp", Map.of("url", broker.nodeUrl()));
      s.endpoints.add("diagnostic centre  REST  " + dx.baseUri() + "/v1/referrals");
      s.endpoints.add(
          "scheduler          AMQP  queue "
              + AppointmentScheduler.QUEUE
              + " on the "
              + broker.description());
      s.endpoints.add("government         SOAP  " + gov.governmentEndpoint() + "  (WSDL: ?wsdl)");
      s.endpoints.add("finance unit       SOAP  " + gov.financeEndpoint() + "  (WSDL: ?wsdl)");
      s.ledgers.put("scheduler bookings", scheduler.bookings());
      s.ledgers.put("finance payout plans", gov.payouts());
      Map<String, Object> services = new LinkedHashMap<>();
      services.put("diagnostics", dx.baseUri().toString());
      services.put("government", gov.governmentEndpoint().toString());
      services.put("finance", gov.financeEndpoint().toString());
      s.variables.put("claimId", "CL-" + (40_000 + new SecureRandom().nextInt(50_000)));
      s.variables.put("claimant", Map.of("id", "P-88213", "name", "Jordan Reyes"));
      s.variables.put("condition", "chronic lower back pain after a workplace injury");
      s.variables.put("services", services);
      return s;
    } catch (Exception | Error e) {
      s.close();
      throw e;
    }
  }

  @Override
  public Map<String, HumanDecision> decisions() {
    return Map.of(
        "clinicianReview",
        new HumanDecision(
            "the clinician",
            "approves the claim for assessment and requests an MRI and a nerve conduction study",
            Map.of(
                "clinicalAssessment",
                "consistent with a lumbar disc injury; tests needed",
                "testsRequested",
                List.of("MRI lumbar spine", "nerve conduction study"))),
        "audit",
        new HumanDecision(
            "the auditor",
            "verifies the file (identity, medical evidence, appointment)",
            Map.of("auditVerified", true, "auditNote", "evidence complete; no conflicts")));
  }

  @Override
  public Optional<OutagePlan> outage() {
    return Optional.empty();
  }

  @Override
  public String reportPrefix() {
    return "claim-report";
  }
}
