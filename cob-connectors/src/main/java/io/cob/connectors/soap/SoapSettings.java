package io.cob.connectors.soap;

import io.cob.connectors.JobConfig;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The settings of one SOAP task that concern the call and the answer (the request body is read by
 * {@link SoapRequestBody}); see {@link SoapConnector} for the list.
 */
record SoapSettings(
    URI url,
    SoapVersion version,
    String action,
    Duration timeout,
    Map<String, String> headers,
    long maxResponseBytes,
    String resultVariable,
    Map<String, Object> responseXPath,
    Map<String, String> namespaces,
    String responseXslt,
    UsernameToken token) {

  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
  static final long DEFAULT_MAX_RESPONSE_BYTES = 10L * 1024 * 1024;

  static SoapSettings read(JobConfig config) {
    String v = config.string("soapVersion", "1.1");
    SoapVersion version =
        SoapVersion.of(v).orElseThrow(() -> config.wrongType("soapVersion", "1.1 or 1.2", v));
    String action = config.optionalString("soapAction").orElse(null);
    if (action != null && (action.contains("\"") || action.matches("(?s).*[\\r\\n].*"))) {
      throw config.wrongType("soapAction", "a URI without quotes or line breaks", action);
    }
    Duration timeout = config.duration("timeout", DEFAULT_TIMEOUT);
    if (timeout.isNegative() || timeout.isZero()) {
      throw config.wrongType("timeout", "a positive duration", timeout);
    }
    long max = config.number("maxResponseBytes", DEFAULT_MAX_RESPONSE_BYTES);
    if (max <= 0) {
      throw config.wrongType("maxResponseBytes", "a positive number of bytes", max);
    }
    return new SoapSettings(
        url(config),
        version,
        action,
        timeout,
        strings(config, "headers"),
        max,
        config.string("resultVariable", "response"),
        config.map("responseXPath"),
        strings(config, "namespaces"),
        config.optionalString("responseXslt").filter(s -> !s.isBlank()).orElse(null),
        token(config));
  }

  private static URI url(JobConfig config) {
    String text = config.string("url");
    try {
      URI uri = new URI(text.strip());
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
        return uri;
      }
    } catch (URISyntaxException e) {
      // reported below with the expected form
    }
    throw config.wrongType("url", "an http:// or https:// URL", text);
  }

  private static UsernameToken token(JobConfig config) {
    if (!config.has("username")) {
      return null;
    }
    String username = config.string("username");
    String password = config.string("password");
    String type = config.string("passwordType", "text").strip().toLowerCase(Locale.ROOT);
    return switch (type) {
      case "text" -> new UsernameToken(username, password, UsernameToken.Type.TEXT);
      case "digest" -> new UsernameToken(username, password, UsernameToken.Type.DIGEST);
      default -> throw config.wrongType("passwordType", "text or digest", type);
    };
  }

  private static Map<String, String> strings(JobConfig config, String name) {
    Map<String, String> out = new LinkedHashMap<>();
    config
        .map(name)
        .forEach(
            (k, val) -> {
              if (!(val instanceof String || val instanceof Number || val instanceof Boolean)) {
                throw config.wrongType(name, "a context of texts, e.g. {\"a\": \"b\"}", val);
              }
              out.put(k, String.valueOf(val));
            });
    return out;
  }
}
