package io.cob.demo.services;

import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The CRM of the order demo: a SOAP 1.1 service ({@code urn:example:crm}, WSDL at {@code
 * /crm?wsdl}) with one operation, {@code GetCustomerPreferences(customerId)} → {@code name,
 * loyaltyTier, preferredChannel}. Callers authenticate with a WS-Security UsernameToken. Read-only.
 */
public final class CrmService implements AutoCloseable {
  public static final String NAMESPACE = "urn:example:crm";
  private final LoopbackServer server;

  public CrmService(String username, String password) throws IOException {
    SoapEndpoint endpoint =
        new SoapEndpoint(
            "CustomerRelations",
            NAMESPACE,
            username,
            password,
            List.of(
                new SoapEndpoint.Operation(
                    "GetCustomerPreferences",
                    List.of("customerId"),
                    List.of("customerId", "name", "loyaltyTier", "preferredChannel"),
                    CrmService::preferences)));
    this.server = new LoopbackServer("crm").route("/crm", endpoint).start();
  }

  /** The endpoint; its WSDL is this with {@code ?wsdl}. */
  public URI endpoint() {
    return server.baseUri().resolve("/crm");
  }

  private static Map<String, String> preferences(Map<String, String> request) {
    String id = request.getOrDefault("customerId", "");
    Map<String, String> out = new LinkedHashMap<>();
    out.put("customerId", id);
    out.put("name", id.endsWith("2") ? "Ada Lovelace GmbH" : "Grace Hopper Ltd");
    out.put("loyaltyTier", "gold");
    out.put("preferredChannel", "email");
    return out;
  }

  @Override
  public void close() {
    server.close();
  }
}
