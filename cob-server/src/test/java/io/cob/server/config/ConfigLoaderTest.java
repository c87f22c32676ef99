package io.cob.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  @TempDir Path dir;

  private Path yaml(String text) throws IOException {
    Path f = dir.resolve("cob.yaml");
    Files.writeString(f, text);
    return f;
  }

  @Test
  void withoutFileOrEnvironmentTheDefaultsApply() {
    NodeConfig c = ConfigLoader.load(null, Map.of());
    assertThat(c).isEqualTo(NodeConfig.defaults());
    assertThat(c.httpPort()).isEqualTo(8080);
    assertThat(c.storeUrl()).isEqualTo("jdbc:h2:file:./.cob/data");
    assertThat(c.busUrl()).isEqualTo("memory:");
  }

  @Test
  void readsTheFileOfTheApiContract() throws IOException {
    Path f =
        yaml(
            """
        node: { cloud: private, id: node-1, http: { port: 8080 } }
        store: { url: jdbc:h2:file:./.cob/data }
        bus:   { url: "memory:" }
        clouds:
          private:  { provider: onprem, region: eu-west, jurisdiction: [eu, gdpr], costPerStep: 0.004, availability: 99.9 }
          public-a: { provider: gcp,   region: us-east, jurisdiction: [us],       costPerStep: 0.001, availability: 99.95 }
        """);

    NodeConfig c = ConfigLoader.load(f, Map.of());

    assertThat(c.cloud()).isEqualTo("private");
    assertThat(c.nodeId()).isEqualTo("node-1");
    assertThat(c.clouds()).containsOnlyKeys("private", "public-a");
    CloudConfig p = c.clouds().get("private");
    assertThat(p.provider()).isEqualTo("onprem");
    assertThat(p.jurisdiction()).containsExactly("eu", "gdpr");
    assertThat(p.costPerStep()).isEqualByComparingTo(new BigDecimal("0.004"));
    assertThat(c.clouds().get("public-a").availability())
        .isEqualByComparingTo(new BigDecimal("99.95"));
  }

  @Test
  void environmentVariablesOverrideTheFile() throws IOException {
    Path f =
        yaml("node: { id: from-file, http: { port: 9000 } }\nstore: { url: 'jdbc:h2:mem:x' }\n");

    NodeConfig c =
        ConfigLoader.load(
            f,
            Map.of(
                "COB_NODE_ID",
                "from-env",
                "COB_NODE_HTTP_PORT",
                "9100",
                "COB_STORE_URL",
                "jdbc:postgresql://127.0.0.1:5432/cob",
                "COB_BUS_URL",
                "amqp://guest:guest@127.0.0.1:5672",
                "COB_NODE_CLOUD",
                "eu",
                "COB_CLOUDS",
                "{eu: {provider: onprem}, us: {provider: gcp}}",
                "COB_BUS_KEYS",
                "{'eu|eu': AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=,"
                    + " 'us|eu': AgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgI=}"));

    assertThat(c.nodeId()).isEqualTo("from-env");
    assertThat(c.httpPort()).isEqualTo(9100);
    assertThat(c.storeUrl()).startsWith("jdbc:postgresql:");
    assertThat(c.busUrl()).startsWith("amqp://");
    assertThat(c.cloud()).isEqualTo("eu");
    assertThat(c.clouds()).containsOnlyKeys("eu", "us");
  }

  @Test
  void anUnknownKeyNamesTheKeyLineAndColumn() throws IOException {
    Path f = yaml("node:\n  cloud: private\n  htp: { port: 1 }\n");
    assertThatThrownBy(() -> ConfigLoader.load(f, Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("cob.yaml:3:")
        .hasMessageContaining("unknown key 'node.htp'")
        .hasMessageContaining("http");
  }

  @Test
  void anUnknownCloudAttributeIsNamed() throws IOException {
    Path f =
        yaml("clouds:\n  private: { provider: onprem, colour: blue }\nnode: { cloud: private }\n");
    assertThatThrownBy(() -> ConfigLoader.load(f, Map.of()))
        .hasMessageContaining("cob.yaml:2:")
        .hasMessageContaining("'clouds.private.colour'");
  }

  @Test
  void aWrongTypeNamesTheKeyAndTheExpectedType() throws IOException {
    Path f = yaml("node:\n  http:\n    port: eighty\n");
    assertThatThrownBy(() -> ConfigLoader.load(f, Map.of()))
        .hasMessageContaining("cob.yaml:3:")
        .hasMessageContaining("'node.http.port'")
        .hasMessageContaining("whole number");
  }

  @Test
  void refusesValuesOutOfRange() throws IOException {
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("COB_NODE_HTTP_PORT", "70000")))
        .hasMessageContaining("node.http.port");
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("COB_NODE_HTTP_PORT", "x")))
        .hasMessageContaining("COB_NODE_HTTP_PORT");
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("COB_BUS_URL", "kafka://x")))
        .hasMessageContaining("bus.url");
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("COB_STORE_URL", "jdbc:mysql://x")))
        .hasMessageContaining("store.url");
    assertThatThrownBy(
            () ->
                ConfigLoader.load(yaml("node: { cloud: mars }\nclouds: { earth: {} }\n"), Map.of()))
        .hasMessageContaining("node.cloud 'mars'");
  }

  @Test
  void aMissingFileIsAnError() {
    assertThatThrownBy(() -> ConfigLoader.load(dir.resolve("absent.yaml"), Map.of()))
        .hasMessageContaining("does not exist");
  }

  @Test
  void shouldReadSecretsFromTheFileTheEnvironmentAndSecretFiles() throws IOException {
    java.nio.file.Files.writeString(dir.resolve("smtp.secret"), "p4ss\n");
    Path f =
        yaml(
            """
            secrets:
              CRM_TOKEN: abc
              SMTP_PASSWORD: { file: smtp.secret }
              FROM_ENV: { env: MY_TOKEN }
            """);
    NodeConfig c =
        ConfigLoader.load(f, Map.of("MY_TOKEN", "t0k", "COB_SECRETS_CRM_TOKEN", "override"));
    assertThat(c.secrets())
        .containsEntry("CRM_TOKEN", "override")
        .containsEntry("SMTP_PASSWORD", "p4ss")
        .containsEntry("FROM_ENV", "t0k");
    assertThat(c.toString()).doesNotContain("p4ss").doesNotContain("t0k");
  }

  @Test
  void shouldNameASecretWhoseSourceIsMissingWithoutShowingValues() throws IOException {
    Path f = yaml("secrets:\n  API: { env: NOT_SET_ANYWHERE }\n");
    assertThatThrownBy(() -> ConfigLoader.load(f, Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("secrets.API")
        .hasMessageContaining("NOT_SET_ANYWHERE");
    Path g = yaml("secrets:\n  API: { vault: x }\n");
    assertThatThrownBy(() -> ConfigLoader.load(g, Map.of()))
        .hasMessageContaining("secrets.API must be a value, {env: VARIABLE} or {file: PATH}");
  }

  @Test
  void shouldReadConnectorSettingsPublicUrlAndBlobLimit() throws IOException {
    Path f =
        yaml(
            """
            node: { http: { publicUrl: "https://cob.example.com" } }
            connectors:
              amqp: { url: "amqp://guest:guest@127.0.0.1:5672" }
              smtp: { host: 127.0.0.1, port: 2525 }
            blobs: { maxBytes: 1000 }
            """);
    NodeConfig c =
        ConfigLoader.load(
            f, Map.of("COB_CONNECTORS", "{smtp: {port: 25}, mqtt: {url: 'tcp://h:1883'}}"));
    assertThat(c.publicUrl()).isEqualTo("https://cob.example.com");
    assertThat(c.blobMaxBytes()).isEqualTo(1000);
    assertThat(c.connectors().get("amqp"))
        .containsEntry("url", "amqp://guest:guest@127.0.0.1:5672");
    assertThat(c.connectors().get("smtp"))
        .containsEntry("host", "127.0.0.1")
        .containsEntry("port", 25);
    assertThat(c.connectors().get("mqtt")).containsEntry("url", "tcp://h:1883");
  }

  @Test
  void shouldRefuseAPublicUrlThatIsNoHttpUrl() throws IOException {
    Path f = yaml("node: { http: { publicUrl: 'ftp://x' } }\n");
    assertThatThrownBy(() -> ConfigLoader.load(f, Map.of()))
        .hasMessageContaining("node.http.publicUrl must be an http:// or https:// URL");
  }

  @Test
  void shouldLeaveTracingOffUnlessAnEndpointIsGiven() {
    NodeConfig c = ConfigLoader.load(null, Map.of());
    assertThat(c.tracing().enabled()).isFalse();
    assertThat(c.tracing().tracesUrl()).isNull();
  }

  @Test
  void shouldReadTheTracingSection() throws IOException {
    Path f =
        yaml(
            """
        tracing:
          otlp: { endpoint: 'http://127.0.0.1:4318', protocol: http/protobuf }
          sampler: 'ratio:0.25'
        """);

    TracingConfig t = ConfigLoader.load(f, Map.of()).tracing();

    assertThat(t.enabled()).isTrue();
    assertThat(t.tracesUrl()).isEqualTo("http://127.0.0.1:4318/v1/traces");
    assertThat(t.protocol()).isEqualTo("http/protobuf");
    assertThat(t.sampler()).isEqualTo(new TracingConfig.Sampling.Ratio(0.25));
  }

  @Test
  void shouldTakeAnEndpointThatNamesTheTracesPathAsItIs() {
    NodeConfig c =
        ConfigLoader.load(
            null,
            Map.of(
                "COB_TRACING_OTLP_ENDPOINT",
                "https://collector.example:4318/v1/traces",
                "COB_TRACING_SAMPLER",
                "always_off"));
    assertThat(c.tracing().tracesUrl()).isEqualTo("https://collector.example:4318/v1/traces");
    assertThat(c.tracing().sampler()).isEqualTo(new TracingConfig.Sampling.AlwaysOff());
  }

  @Test
  void shouldLetTheEnvironmentOverrideTheTracingSection() throws IOException {
    Path f = yaml("tracing: { otlp: { endpoint: 'http://a:4318' }, sampler: always_off }\n");

    TracingConfig t =
        ConfigLoader.load(
                f,
                Map.of(
                    "COB_TRACING_OTLP_ENDPOINT",
                    "http://b:4318/",
                    "COB_TRACING_SAMPLER",
                    "ratio:1"))
            .tracing();

    assertThat(t.tracesUrl()).isEqualTo("http://b:4318/v1/traces");
    assertThat(t.sampler()).isEqualTo(new TracingConfig.Sampling.Ratio(1.0));
    assertThat(ConfigLoader.load(f, Map.of("COB_TRACING_OTLP_ENDPOINT", "")).tracing().enabled())
        .as("an empty variable turns tracing off")
        .isFalse();
  }

  @Test
  void shouldNameAnUnknownTracingKey() throws IOException {
    Path f = yaml("tracing:\n  otlp:\n    endpoint: 'http://a:4318'\n    compression: gzip\n");
    assertThatThrownBy(() -> ConfigLoader.load(f, Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("cob.yaml:4:")
        .hasMessageContaining("unknown key 'tracing.otlp.compression'")
        .hasMessageContaining("endpoint, protocol");
    Path g = yaml("tracing: { exporter: zipkin }\n");
    assertThatThrownBy(() -> ConfigLoader.load(g, Map.of()))
        .hasMessageContaining("unknown key 'tracing.exporter'")
        .hasMessageContaining("otlp, sampler");
  }

  @Test
  void shouldRefuseABadSamplerNamingTheKey() throws IOException {
    for (String bad : new String[] {"sometimes", "ratio:1.5", "ratio:x", "ratio:"}) {
      Path f = yaml("tracing: { sampler: '" + bad + "' }\n");
      assertThatThrownBy(() -> ConfigLoader.load(f, Map.of()))
          .as(bad)
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("tracing.sampler must be always_on, always_off or ratio:R")
          .hasMessageContaining("'" + bad + "'");
    }
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("COB_TRACING_SAMPLER", "half")))
        .hasMessageContaining("COB_TRACING_SAMPLER (tracing.sampler)");
  }

  @Test
  void shouldRefuseAnotherProtocolOrAnEndpointThatIsNoHttpUrl() throws IOException {
    Path grpc = yaml("tracing: { otlp: { endpoint: 'http://a:4317', protocol: grpc } }\n");
    assertThatThrownBy(() -> ConfigLoader.load(grpc, Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("tracing.otlp.protocol must be http/protobuf, not 'grpc'")
        .hasMessageContaining("4318");
    Path ftp = yaml("tracing: { otlp: { endpoint: 'ftp://a:4318' } }\n");
    assertThatThrownBy(() -> ConfigLoader.load(ftp, Map.of()))
        .hasMessageContaining("tracing.otlp.endpoint must be an http:// or https:// URL")
        .hasMessageContaining("'ftp://a:4318'");
    assertThatThrownBy(
            () -> ConfigLoader.load(null, Map.of("COB_TRACING_OTLP_ENDPOINT", "localhost:4318")))
        .hasMessageContaining("tracing.otlp.endpoint");
  }

  @Test
  void shouldReadRequestLimitsWithTheEnvironmentOverridingTheFile() throws IOException {
    Path f = yaml("node: { http: { maxBodyBytes: 2048, maxJsonDepth: 20 } }\n");

    NodeConfig c = ConfigLoader.load(f, Map.of("COB_NODE_HTTP_MAX_JSON_STRING_LENGTH", "300"));

    assertThat(c.requestLimits()).isEqualTo(new io.cob.server.http.RequestLimits(2048, 20, 300));
    assertThat(ConfigLoader.load(null, Map.of()).requestLimits())
        .isEqualTo(io.cob.server.http.RequestLimits.DEFAULTS);
  }

  @Test
  void shouldRefuseRequestLimitsThatMakeNoSense() throws IOException {
    Path f = yaml("node: { http: { maxJsonDepth: 1 } }\n");
    assertThatThrownBy(() -> ConfigLoader.load(f, Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessage("node.http.maxJsonDepth must be at least 2 (a body and a value in it), not 1");
    assertThatThrownBy(
            () -> ConfigLoader.load(null, Map.of("COB_NODE_HTTP_MAX_BODY_BYTES", "lots")))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "COB_NODE_HTTP_MAX_BODY_BYTES (node.http.maxBodyBytes) must be a whole number, not"
                + " 'lots'");
  }
}
