package io.cob.server.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * How a node traces ({@code tracing.*} in {@code cob.yaml}): off unless an OTLP endpoint is given.
 *
 * <pre>{@code
 * tracing:
 *   otlp: { endpoint: http://127.0.0.1:4318, protocol: http/protobuf }
 *   sampler: always_on            # always_off, or ratio:0.1
 * }</pre>
 *
 * @param endpoint the OTLP/HTTP collector's base URL ({@code tracing.otlp.endpoint}); spans go to
 *     {@code ENDPOINT/v1/traces} (an endpoint that already ends in {@code /v1/traces} is taken as
 *     it is). {@code null}: tracing is off, and costs nothing
 * @param protocol {@value #HTTP_PROTOBUF}, the only protocol ({@code tracing.otlp.protocol})
 * @param sampler which new traces are recorded ({@code tracing.sampler}); a trace that comes with a
 *     caller's or another cloud's {@code traceparent} follows that one's decision
 */
public record TracingConfig(String endpoint, String protocol, Sampling sampler) {
  public static final String HTTP_PROTOBUF = "http/protobuf";
  static final String TRACES_PATH = "/v1/traces";

  public TracingConfig {
    protocol = protocol == null ? HTTP_PROTOBUF : protocol;
    sampler = sampler == null ? new Sampling.AlwaysOn() : sampler;
  }

  /** Off: no endpoint. */
  public static TracingConfig off() {
    return new TracingConfig(null, HTTP_PROTOBUF, new Sampling.AlwaysOn());
  }

  /** Whether spans are recorded and sent. */
  public boolean enabled() {
    return endpoint != null;
  }

  public TracingConfig withEndpoint(String value) {
    return new TracingConfig(value, protocol, sampler);
  }

  public TracingConfig withProtocol(String value) {
    return new TracingConfig(endpoint, value, sampler);
  }

  public TracingConfig withSampler(Sampling value) {
    return new TracingConfig(endpoint, protocol, value);
  }

  /** Where spans are posted: the endpoint with {@code /v1/traces}. */
  public String tracesUrl() {
    if (endpoint == null) {
      return null;
    }
    String base = endpoint.replaceAll("/+$", "");
    return base.endsWith(TRACES_PATH) ? base : base + TRACES_PATH;
  }

  /**
   * Checks the endpoint and the protocol.
   *
   * @throws ConfigException naming the key
   */
  void validate() {
    if (!HTTP_PROTOBUF.equals(protocol)) {
      throw new ConfigException(
          "tracing.otlp.protocol must be "
              + HTTP_PROTOBUF
              + ", not '"
              + protocol
              + "'"
              + (protocol.toLowerCase(Locale.ROOT).startsWith("grpc")
                  ? " (cob sends OTLP over HTTP: point it at the collector's HTTP port, usually"
                      + " 4318)"
                  : ""));
    }
    if (endpoint == null) {
      return;
    }
    try {
      URI u = new URI(endpoint);
      if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme()))
          || u.getHost() == null
          || u.getRawQuery() != null) {
        throw new URISyntaxException(endpoint, "not an http(s) URL with a host and no query");
      }
    } catch (URISyntaxException e) {
      throw new ConfigException(
          "tracing.otlp.endpoint must be an http:// or https:// URL such as"
              + " http://127.0.0.1:4318, not '"
              + endpoint
              + "'");
    }
  }

  /** Which new traces are recorded. */
  public sealed interface Sampling {
    /** Every trace ({@code always_on}). */
    record AlwaysOn() implements Sampling {
      @Override
      public String toString() {
        return "always_on";
      }
    }

    /** None ({@code always_off}): spans are made for propagation only, never sent. */
    record AlwaysOff() implements Sampling {
      @Override
      public String toString() {
        return "always_off";
      }
    }

    /**
     * That share of traces ({@code ratio:0.1}), chosen by trace id, so that every node and cloud
     * decides the same for one trace.
     */
    record Ratio(double ratio) implements Sampling {
      @Override
      public String toString() {
        return "ratio:" + ratio;
      }
    }

    /**
     * Reads {@code always_on}, {@code always_off} or {@code ratio:R} (R from 0 to 1).
     *
     * @param key the key or variable it came from, for the error
     * @throws ConfigException naming {@code key} when the text is none of these
     */
    static Sampling parse(String text, String key) {
      String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
      switch (t) {
        case "always_on":
          return new AlwaysOn();
        case "always_off":
          return new AlwaysOff();
        default:
          break;
      }
      if (t.startsWith("ratio:")) {
        try {
          double r = Double.parseDouble(t.substring("ratio:".length()).trim());
          if (r >= 0 && r <= 1) {
            return new Ratio(r);
          }
        } catch (NumberFormatException e) {
          // reported below
        }
      }
      throw new ConfigException(
          key
              + " must be always_on, always_off or ratio:R with R from 0 to 1 (e.g. ratio:0.1),"
              + " not '"
              + text
              + "'");
    }
  }
}
