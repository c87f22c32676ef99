package io.cob.demo.services;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The diagnostic centre of the claim demo (REST, JSON): {@code POST /v1/referrals} with {@code
 * {claimId, patientId, tests: [...]}} runs the tests and answers {@code {referralId, findings,
 * severity}}. Requires {@code Authorization: Bearer <token>}. A repeated request with the same
 * {@code Idempotency-Key} gets the same referral.
 */
public final class DiagnosticCentre implements AutoCloseable {
  private final String token;
  private final LoopbackServer server;
  private final IdempotencyLedger ledger = new IdempotencyLedger();
  private final AtomicInteger referrals = new AtomicInteger();

  public DiagnosticCentre(String token) throws IOException {
    this.token = token;
    this.server = new LoopbackServer("diagnostics").route("/v1/referrals", this::refer).start();
  }

  public URI baseUri() {
    return server.baseUri();
  }

  private void refer(HttpExchange exchange) throws IOException {
    if (!LoopbackServer.hasBearer(exchange, token)) {
      LoopbackServer.sendJson(exchange, 401, Map.of("error", "bearer token missing or wrong"));
      return;
    }
    Map<String, Object> request = LoopbackServer.jsonBody(exchange);
    String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
    Map<String, Object> answer =
        ledger.apply(key == null ? "none" : key, () -> findings(request)).result();
    LoopbackServer.sendJson(exchange, 201, answer);
  }

  private Map<String, Object> findings(Map<String, Object> request) {
    List<?> tests = (List<?>) request.getOrDefault("tests", List.of());
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("referralId", "DX-" + (5000 + referrals.incrementAndGet()));
    out.put(
        "findings", tests.size() + " test(s): disc herniation L4-L5 with nerve root compression");
    out.put("severity", "moderate");
    return out;
  }

  @Override
  public void close() {
    server.close();
  }
}
