package io.cob.connectors.http;

import io.cob.connectors.ConnectorException;
import java.net.URI;
import java.util.Locale;

/**
 * How a call proves who makes it ({@code authentication}): nothing, HTTP basic, a bearer token, or
 * an OAuth2 access token got with the client-credentials grant.
 */
sealed interface Authentication {

  record None() implements Authentication {}

  record Basic(String username, String password) implements Authentication {
    @Override
    public String toString() {
      return "Basic[username=" + username + "]";
    }
  }

  record Bearer(String token) implements Authentication {
    @Override
    public String toString() {
      return "Bearer[***]";
    }
  }

  /**
   * OAuth2 client credentials (RFC 6749 §4.4).
   *
   * @param secretInBody send {@code client_id}/{@code client_secret} as form fields instead of an
   *     HTTP basic header
   */
  record ClientCredentials(
      URI tokenUrl,
      String clientId,
      String clientSecret,
      String scope,
      String audience,
      boolean secretInBody)
      implements Authentication {
    @Override
    public String toString() {
      return "ClientCredentials[tokenUrl=" + tokenUrl + ", clientId=" + clientId + "]";
    }
  }

  static Authentication read(HttpSettings s) {
    String kind = s.string("authentication", "none").strip().toLowerCase(Locale.ROOT);
    return switch (kind) {
      case "none" -> new None();
      case "basic" -> new Basic(required(s, "username", kind), s.string("password", ""));
      case "bearer" -> new Bearer(required(s, "token", kind));
      case "oauth2-client-credentials" -> clientCredentials(s);
      default ->
          throw ConnectorException.misconfigured(
              "setting 'authentication' must be none, basic, bearer or oauth2-client-credentials,"
                  + " not '"
                  + kind
                  + "'");
    };
  }

  private static ClientCredentials clientCredentials(HttpSettings s) {
    String kind = "oauth2-client-credentials";
    URI tokenUrl = HttpCall.httpUri(required(s, "tokenUrl", kind), "tokenUrl");
    String clientAuth = s.string("clientAuthentication", "basic").strip().toLowerCase(Locale.ROOT);
    if (!clientAuth.equals("basic") && !clientAuth.equals("body")) {
      throw ConnectorException.misconfigured(
          "setting 'clientAuthentication' must be basic or body, not '" + clientAuth + "'");
    }
    return new ClientCredentials(
        tokenUrl,
        required(s, "clientId", kind),
        required(s, "clientSecret", kind),
        s.optionalString("scope").orElse(null),
        s.optionalString("audience").orElse(null),
        clientAuth.equals("body"));
  }

  private static String required(HttpSettings s, String name, String kind) {
    return s.optionalString(name)
        .filter(v -> !v.isBlank())
        .orElseThrow(
            () ->
                ConnectorException.misconfigured(
                    "setting '"
                        + name
                        + "' is missing: authentication "
                        + kind
                        + " needs it (a task header or input variable; put the value in a secret,"
                        + " {{secrets.NAME}})"));
  }
}
