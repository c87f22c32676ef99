package io.cob.demo.services;

import java.io.IOException;
import java.net.URI;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The government benefits service and the finance unit of the claim demo: two SOAP 1.1 endpoints
 * ({@code /government} and {@code /finance}, each with its WSDL at {@code ?wsdl}) authenticated by
 * WS-Security UsernameTokens.
 *
 * <ul>
 *   <li>{@code ApproveBenefit(claimId, claimantId, severity, auditVerified)} → {@code decision}
 *       ({@code APPROVED} when the audit verified the file), {@code approvalRef}, {@code
 *       monthlyAmount}.
 *   <li>{@code SchedulePayments(approvalRef, claimantId, monthlyAmount)} → {@code payoutPlanId},
 *       {@code firstPaymentDate}: one plan per approval reference, however often it is asked
 *       ({@link #payouts()} counts requests and plans per reference).
 * </ul>
 */
public final class GovernmentFinanceService implements AutoCloseable {
  private final LoopbackServer server;
  private final IdempotencyLedger payouts = new IdempotencyLedger();
  private final AtomicInteger approvals = new AtomicInteger();
  private final AtomicInteger plans = new AtomicInteger();

  public GovernmentFinanceService(String governmentPassword, String financePassword)
      throws IOException {
    SoapEndpoint government =
        new SoapEndpoint(
            "BenefitsApproval",
            "urn:example:gov:benefits",
            "cob",
            governmentPassword,
            List.of(
                new SoapEndpoint.Operation(
                    "ApproveBenefit",
                    List.of("claimId", "claimantId", "severity", "auditVerified"),
                    List.of("decision", "approvalRef", "monthlyAmount"),
                    this::approve)));
    SoapEndpoint finance =
        new SoapEndpoint(
            "FinanceUnit",
            "urn:example:finance",
            "cob",
            financePassword,
            List.of(
                new SoapEndpoint.Operation(
                    "SchedulePayments",
                    List.of("approvalRef", "claimantId", "monthlyAmount"),
                    List.of("payoutPlanId", "firstPaymentDate"),
                    this::schedule)));
    this.server =
        new LoopbackServer("government-finance")
            .route("/government", government)
            .route("/finance", finance)
            .start();
  }

  public URI governmentEndpoint() {
    return server.baseUri().resolve("/government");
  }

  public URI financeEndpoint() {
    return server.baseUri().resolve("/finance");
  }

  /** Payout plans per approval reference. */
  public IdempotencyLedger payouts() {
    return payouts;
  }

  private Map<String, String> approve(Map<String, String> request) {
    boolean verified = "true".equalsIgnoreCase(request.get("auditVerified"));
    Map<String, String> out = new LinkedHashMap<>();
    out.put("decision", verified ? "APPROVED" : "DECLINED");
    out.put("approvalRef", "GOV-" + (2026_000 + approvals.incrementAndGet()));
    out.put("monthlyAmount", "moderate".equals(request.get("severity")) ? "1240.00" : "860.00");
    return out;
  }

  private Map<String, String> schedule(Map<String, String> request) {
    String ref = request.getOrDefault("approvalRef", "none");
    return payouts
        .apply(
            ref,
            () -> {
              Map<String, String> out = new LinkedHashMap<>();
              out.put("payoutPlanId", "FIN-" + (880 + plans.incrementAndGet()));
              out.put("firstPaymentDate", LocalDate.now().plusDays(14).toString());
              return out;
            })
        .result();
  }

  @Override
  public void close() {
    server.close();
  }
}
