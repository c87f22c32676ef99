package io.cob.demo.services;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The payment provider of the order demo, in its "outsourced environment" (REST, JSON): {@code POST
 * /v1/payments} with {@code {orderId, customerId, amount, currency}} charges the customer and
 * answers {@code {paymentId, status, amount, currency}}.
 *
 * <p>Every request must carry {@code Idempotency-Key} (else {@code 400}) and {@code Authorization:
 * Bearer <key>} (else {@code 401}). The charge is applied once per key ({@link IdempotencyLedger});
 * a repeated request gets the first answer again with {@code Idempotent-Replayed: true}, as the big
 * payment providers do.
 *
 * <p>With {@code loseFirstAnswer}, the provider charges on the first request of a key and then
 * fails to answer ({@code 503}, {@code Retry-After: 0}), the classic lost response: the caller
 * cannot know whether the charge happened and must retry with the same key.
 */
public final class PaymentProvider implements AutoCloseable {
  private final String apiKey;
  private final boolean loseFirstAnswer;
  private final LoopbackServer server;
  private final IdempotencyLedger ledger = new IdempotencyLedger();
  private final AtomicInteger payments = new AtomicInteger();

  public PaymentProvider(String apiKey, boolean loseFirstAnswer) throws IOException {
    this.apiKey = apiKey;
    this.loseFirstAnswer = loseFirstAnswer;
    this.server = new LoopbackServer("payment").route("/v1/payments", this::pay).start();
  }

  public URI baseUri() {
    return server.baseUri();
  }

  /** Requests and charges per idempotency key. */
  public IdempotencyLedger ledger() {
    return ledger;
  }

  private void pay(HttpExchange exchange) throws IOException {
    if (!LoopbackServer.hasBearer(exchange, apiKey)) {
      LoopbackServer.sendJson(exchange, 401, Map.of("error", "API key missing or wrong"));
      return;
    }
    String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
    if (key == null || key.isBlank()) {
      LoopbackServer.sendJson(exchange, 400, Map.of("error", "header Idempotency-Key is required"));
      return;
    }
    Map<String, Object> request = LoopbackServer.jsonBody(exchange);
    IdempotencyLedger.Outcome<Map<String, Object>> outcome =
        ledger.apply(key, () -> charge(request));
    if (!outcome.replayed() && loseFirstAnswer) {
      exchange.getResponseHeaders().set("Retry-After", "0");
      LoopbackServer.sendJson(
          exchange, 503, Map.of("error", "upstream timeout: the answer to this charge was lost"));
      return;
    }
    exchange.getResponseHeaders().set("Idempotent-Replayed", String.valueOf(outcome.replayed()));
    LoopbackServer.sendJson(exchange, 201, outcome.result());
  }

  private Map<String, Object> charge(Map<String, Object> request) {
    Map<String, Object> payment = new LinkedHashMap<>();
    payment.put("paymentId", "PAY-" + (70000 + payments.incrementAndGet()));
    payment.put("status", "CAPTURED");
    payment.put("orderId", request.get("orderId"));
    payment.put("amount", request.get("amount"));
    payment.put("currency", request.get("currency"));
    return payment;
  }

  @Override
  public void close() {
    server.close();
  }
}
