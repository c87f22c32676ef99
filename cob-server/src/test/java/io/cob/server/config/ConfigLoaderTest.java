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
                "{eu: {provider: onprem}, us: {provider: gcp}}"));

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
}
