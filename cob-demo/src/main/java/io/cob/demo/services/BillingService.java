package io.cob.demo.services;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The billing system of the order demo (REST, JSON): {@code POST /v1/quotes} with {@code
 * {customerId, items: [{sku, quantity}]}} prices each item from its catalog and answers {@code
 * {quoteId, lines: [{sku, name, quantity, unitPrice, amount}], total, currency}}. Requires {@code
 * Authorization: Bearer <token>}; an unknown SKU is {@code 422}. Read-only, so naturally
 * idempotent.
 */
public final class BillingService implements AutoCloseable {
  private record Product(String name, BigDecimal unitPrice) {}

  private static final Map<String, Product> CATALOG =
      Map.of(
          "LAPTOP-14", new Product("Laptop 14\"", new BigDecimal("1149.00")),
          "DOCK-USB-C", new Product("USB-C docking station", new BigDecimal("189.00")),
          "MONITOR-27", new Product("27\" monitor", new BigDecimal("329.00")),
          "HEADSET", new Product("Headset", new BigDecimal("79.90")));

  private final String token;
  private final LoopbackServer server;
  private final AtomicInteger quotes = new AtomicInteger();

  public BillingService(String token) throws IOException {
    this.token = token;
    this.server = new LoopbackServer("billing").route("/v1/quotes", this::quote).start();
  }

  public URI baseUri() {
    return server.baseUri();
  }

  private void quote(HttpExchange exchange) throws IOException {
    if (!LoopbackServer.hasBearer(exchange, token)) {
      LoopbackServer.sendJson(exchange, 401, Map.of("error", "bearer token missing or wrong"));
      return;
    }
    Map<String, Object> request = LoopbackServer.jsonBody(exchange);
    List<Map<String, Object>> lines = new ArrayList<>();
    BigDecimal total = BigDecimal.ZERO;
    for (Object o : (List<?>) request.getOrDefault("items", List.of())) {
      Map<?, ?> item = (Map<?, ?>) o;
      String sku = String.valueOf(item.get("sku"));
      Product p = CATALOG.get(sku);
      if (p == null) {
        LoopbackServer.sendJson(
            exchange, 422, Map.of("error", "unknown SKU '" + sku + "'", "known", CATALOG.keySet()));
        return;
      }
      int quantity = ((Number) item.get("quantity")).intValue();
      BigDecimal amount = p.unitPrice().multiply(BigDecimal.valueOf(quantity));
      Map<String, Object> line = new LinkedHashMap<>();
      line.put("sku", sku);
      line.put("name", p.name());
      line.put("quantity", quantity);
      line.put("unitPrice", p.unitPrice());
      line.put("amount", amount);
      lines.add(line);
      total = total.add(amount);
    }
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("quoteId", "Q-" + (1000 + quotes.incrementAndGet()));
    answer.put("lines", lines);
    answer.put("total", total.setScale(2, RoundingMode.HALF_UP));
    answer.put("currency", "EUR");
    LoopbackServer.sendJson(exchange, 200, answer);
  }

  @Override
  public void close() {
    server.close();
  }
}
