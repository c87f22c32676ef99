package io.cob.demo;

import io.cob.demo.services.BillingService;
import io.cob.demo.services.CrmService;
import io.cob.demo.services.PaymentProvider;
import io.cob.server.config.CloudConfig;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code cob demo}: {@code examples/order-management.bpmn} across {@code private}, {@code public-a}
 * and {@code public-b}. A large order (above the approval threshold), so that a sales manager
 * approves it; the payment provider loses its first answer, so that the retry with the same {@code
 * Idempotency-Key} shows one charge; {@code public-b} fails before the payment.
 */
public final class OrderScenario implements DemoScenario {
  static final String CUSTOMER = "C-1042";

  @Override
  public String name() {
    return "order";
  }

  @Override
  public String bpmnFile() {
    return "order-management.bpmn";
  }

  @Override
  public String processId() {
    return "order-management";
  }

  @Override
  public Map<String, CloudConfig> clouds() {
    Map<String, CloudConfig> c = new LinkedHashMap<>();
    c.put(
        "private", DemoScenario.cloud("onprem", "eu-west", List.of("eu", "gdpr"), "0.004", "99.9"));
    c.put("public-a", DemoScenario.cloud("gcp", "us-east1", List.of("us"), "0.001", "99.95"));
    c.put("public-b", DemoScenario.cloud("azure", "westeurope", List.of("eu"), "0.002", "99.95"));
    return c;
  }

  @Override
  public RunningServices startServices() throws Exception {
    RunningServices s = new RunningServices();
    try {
      String billingToken = secret();
      String crmPassword = secret();
      String paymentKey = secret();
      BillingService billing = s.started(new BillingService(billingToken));
      CrmService crm = s.started(new CrmService("cob", crmPassword));
      PaymentProvider payment = s.started(new PaymentProvider(paymentKey, true));
      s.secrets.put("BILLING_TOKEN", billingToken);
      s.secrets.put("CRM_PASSWORD", crmPassword);
      s.secrets.put("PAYMENT_API_KEY", paymentKey);
      s.endpoints.add("billing system     REST  " + billing.baseUri() + "/v1/quotes");
      s.endpoints.add("CRM                SOAP  " + crm.endpoint() + "  (WSDL: ?wsdl)");
      s.endpoints.add(
          "payment provider   REST  " + payment.baseUri() + "/v1/payments  (Idempotency-Key)");
      s.ledgers.put("payment provider charges", payment.ledger());
      Map<String, Object> services = new LinkedHashMap<>();
      services.put("billing", billing.baseUri().toString());
      services.put("crm", crm.endpoint().toString());
      services.put("payment", payment.baseUri().toString());
      s.variables.put("orderId", "O-" + (20_000 + new SecureRandom().nextInt(80_000)));
      s.variables.put("customerId", CUSTOMER);
      s.variables.put(
          "items",
          List.of(
              Map.of("sku", "LAPTOP-14", "quantity", 2),
              Map.of("sku", "DOCK-USB-C", "quantity", 2),
              Map.of("sku", "HEADSET", "quantity", 1)));
      s.variables.put("approvalThreshold", 1000);
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
        "approve",
        new HumanDecision(
            "the sales manager",
            "approves the order (total above the approval threshold)",
            Map.of("approved", true, "approvedBy", "Maria Rossi, sales manager")));
  }

  @Override
  public Optional<OutagePlan> outage() {
    return Optional.of(new OutagePlan("public-b", "approve", "payment"));
  }

  @Override
  public String reportPrefix() {
    return "order-report";
  }

  /** A token or password made for this run only. */
  static String secret() {
    byte[] b = new byte[16];
    new SecureRandom().nextBytes(b);
    return HexFormat.of().formatHex(b);
  }
}
