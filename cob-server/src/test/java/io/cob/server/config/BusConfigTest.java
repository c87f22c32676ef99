package io.cob.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cob.bus.BusUrl;
import io.cob.bus.amqp.AmqpAddress;
import io.cob.bus.amqp.AmqpSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code bus} section of cob.yaml and its COB_BUS_… overrides. */
class BusConfigTest {
  static final String KEY_1 = "AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=";
  static final String KEY_2 = "AgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgI=";
  static final String KEY_3 = "AwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwM=";

  @TempDir Path dir;

  private Path yaml(String text) throws IOException {
    Path f = dir.resolve("cob.yaml");
    Files.writeString(f, text);
    return f;
  }

  private static final String TWO_CLOUDS =
      """
      node: { cloud: private, id: n1 }
      clouds: { private: {}, public-a: {} }
      """;

  @Test
  void shouldReadEveryBusSettingFromTheFile() throws IOException {
    Files.writeString(dir.resolve("pair.key"), KEY_3 + "\n");
    Path f =
        yaml(
            TWO_CLOUDS
                + """
            bus:
              url: amqp://guest:guest@127.0.0.1:5672/?prefetch=7
              amqp:
                namespace: prod.
                queueType: classic
                maxDeliveries: 9
                prefetch: 64
                confirmTimeout: PT3S
                recoveryInterval: PT1S
                heartbeat: PT20S
                connectTimeout: PT4S
              keys:
                "private|private": %s
                public-a|private: { env: PAIR_KEY }
                "public-a|public-a": { file: pair.key }
              signing: { maxAge: PT12H, clockSkew: PT30S, replayGuardSize: 500 }
              heartbeat: { interval: PT0.5S, suspectAfter: 2, downAfter: 6 }
              connect: { attempts: 3, interval: PT0.1S }
              healthGrace: PT5S
            """
                    .formatted(KEY_1));

    NodeConfig c = ConfigLoader.load(f, Map.of("PAIR_KEY", KEY_2));
    BusConfig b = c.bus();

    assertThat(b.transport()).isInstanceOf(BusUrl.Amqp.class);
    AmqpSettings amqp = b.amqpSettings(AmqpAddress.parse(b.url()));
    assertThat(amqp.namespace()).isEqualTo("prod.");
    assertThat(amqp.queueType()).isEqualTo(AmqpSettings.QueueType.CLASSIC);
    assertThat(amqp.maxDeliveries()).isEqualTo(9);
    assertThat(amqp.prefetch()).as("the URL's option wins").isEqualTo(7);
    assertThat(amqp.confirmTimeout()).isEqualTo(Duration.ofSeconds(3));
    assertThat(amqp.recoveryInterval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(amqp.heartbeat()).isEqualTo(Duration.ofSeconds(20));
    assertThat(amqp.connectTimeout()).isEqualTo(Duration.ofSeconds(4));
    assertThat(b.busKeys().pairs())
        .containsExactly("private|private", "private|public-a", "public-a|public-a");
    assertThat(b.keys())
        .containsEntry("public-a|private", KEY_2)
        .containsEntry("public-a|public-a", KEY_3);
    assertThat(b.signing().maxAge()).isEqualTo(Duration.ofHours(12));
    assertThat(b.signing().clockSkew()).isEqualTo(Duration.ofSeconds(30));
    assertThat(b.signing().replayGuardSize()).isEqualTo(500);
    assertThat(b.heartbeat().interval()).isEqualTo(Duration.ofMillis(500));
    assertThat(b.heartbeat().suspectAfter()).isEqualTo(2);
    assertThat(b.heartbeat().downAfter()).isEqualTo(6);
    assertThat(b.connectAttempts()).isEqualTo(3);
    assertThat(b.connectInterval()).isEqualTo(Duration.ofMillis(100));
    assertThat(b.healthGrace()).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.toString()).doesNotContain(KEY_1, KEY_2, KEY_3).contains("private|private");
  }

  @Test
  void shouldDefaultToTheMemoryBusWithGeneratedKeys() {
    BusConfig b = ConfigLoader.load(null, Map.of()).bus();

    assertThat(b.transport()).isEqualTo(new BusUrl.Memory());
    assertThat(b.keys()).isEmpty();
    assertThat(b.heartbeat().interval()).isEqualTo(Duration.ofSeconds(2));
    assertThat(b.heartbeat().suspectAfter()).isEqualTo(3);
    assertThat(b.heartbeat().downAfter()).isEqualTo(10);
    assertThat(b.signing().maxAge()).isEqualTo(Duration.ofHours(24));
    assertThat(b.signing().clockSkew()).isEqualTo(Duration.ofMinutes(1));
    assertThat(b.signing().replayGuardSize()).isEqualTo(100_000);
    assertThat(b.connectAttempts()).isEqualTo(5);
    assertThat(b.connectInterval()).isEqualTo(Duration.ofSeconds(2));
    assertThat(b.healthGrace()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void shouldLetEnvironmentVariablesOverrideTheBusSection() throws IOException {
    Path f =
        yaml(
            TWO_CLOUDS + "bus: { url: 'memory:', heartbeat: { interval: PT5S, downAfter: 20 } }\n");

    NodeConfig c =
        ConfigLoader.load(
            f,
            Map.ofEntries(
                Map.entry("COB_BUS_URL", "amqp://guest:guest@127.0.0.1:5672"),
                Map.entry("COB_BUS_AMQP_QUEUE_TYPE", "classic"),
                Map.entry("COB_BUS_AMQP_NAMESPACE", "env."),
                Map.entry(
                    "COB_BUS_KEYS",
                    "{\"private|private\": \""
                        + KEY_1
                        + "\", \"private|public-a\": {\"env\": \"K\"}}"),
                Map.entry("K", KEY_2),
                Map.entry("COB_BUS_HEARTBEAT_INTERVAL", "PT0.2S"),
                Map.entry("COB_BUS_HEARTBEAT_SUSPECT_AFTER", "4"),
                Map.entry("COB_BUS_SIGNING_MAX_AGE", "PT1H"),
                Map.entry("COB_BUS_SIGNING_CLOCK_SKEW", "PT10S"),
                Map.entry("COB_BUS_SIGNING_REPLAY_GUARD_SIZE", "0"),
                Map.entry("COB_BUS_CONNECT_ATTEMPTS", "1"),
                Map.entry("COB_BUS_CONNECT_INTERVAL", "PT0S"),
                Map.entry("COB_BUS_HEALTH_GRACE", "PT1S")));
    BusConfig b = c.bus();

    assertThat(c.busUrl()).startsWith("amqp://");
    AmqpSettings amqp = b.amqpSettings(AmqpAddress.parse(b.url()));
    assertThat(amqp.queueType()).isEqualTo(AmqpSettings.QueueType.CLASSIC);
    assertThat(amqp.namespace()).isEqualTo("env.");
    assertThat(b.keys()).containsEntry("private|public-a", KEY_2);
    assertThat(b.heartbeat().interval()).isEqualTo(Duration.ofMillis(200));
    assertThat(b.heartbeat().suspectAfter()).isEqualTo(4);
    assertThat(b.heartbeat().downAfter()).as("kept from the file").isEqualTo(20);
    assertThat(b.signing().maxAge()).isEqualTo(Duration.ofHours(1));
    assertThat(b.signing().clockSkew()).isEqualTo(Duration.ofSeconds(10));
    assertThat(b.signing().replayGuardSize()).isZero();
    assertThat(b.connectAttempts()).isEqualTo(1);
    assertThat(b.connectInterval()).isZero();
    assertThat(b.healthGrace()).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void shouldRefuseAnAmqpBusWithoutKeysForTheNodesCloudPairs() throws IOException {
    Path f =
        yaml(
            TWO_CLOUDS
                + "bus:\n  url: amqp://guest:guest@127.0.0.1:5672\n"
                + "  keys: { 'private|private': "
                + KEY_1
                + " }\n");

    assertThatThrownBy(() -> ConfigLoader.load(f, Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("bus.keys has no key for 'private|public-a'")
        .hasMessageContaining("amqp://")
        .hasMessageContaining("openssl rand -base64 32");
    assertThatThrownBy(
            () ->
                ConfigLoader.load(
                    null, Map.of("COB_BUS_URL", "amqp://h", "COB_NODE_CLOUD", "solo")))
        .hasMessageStartingWith("bus.keys has no key for 'solo|solo'");
  }

  @Test
  void shouldAcceptASeparateMemoryBrokerByName() {
    NodeConfig c = ConfigLoader.load(null, Map.of("COB_BUS_URL", "memory:demo"));
    assertThat(c.bus().transport()).isEqualTo(new BusUrl.Memory("demo"));
  }

  @Test
  void shouldNameTheKeyOfEveryBadValueInTheFile() throws IOException {
    assertFileError("bus: { heartbeat: { interval: often } }", "bus.heartbeat.interval", "PT2S");
    assertFileError(
        "bus: { heartbeat: { suspectAfter: 5, downAfter: 5 } }",
        "bus.heartbeat.downAfter (5) must be more than suspectAfter (5)");
    assertFileError("bus: { heartbeat: { interval: PT0S } }", "bus.heartbeat.interval must be");
    assertFileError("bus: { signing: { maxAge: PT0S } }", "bus.signing.maxAge must be positive");
    assertFileError(
        "bus: { signing: { replayGuardSize: -1 } }", "bus.signing.replayGuardSize must not");
    assertFileError("bus: { signing: { maxAg: PT1H } }", "cob.yaml:1:", "'bus.signing.maxAg'");
    assertFileError("bus: { amqp: { queueTyp: classic } }", "bus.amqp.queueTyp is not a setting");
    assertFileError("bus: { amqp: { queueType: stream } }", "bus.amqp.queueType must be");
    assertFileError("bus: { amqp: { prefetch: [1] } }", "bus.amqp.prefetch must be a single");
    assertFileError(
        "bus: { keys: { 'private|public-a': tooshort } }", "bus.keys 'private|public-a'");
    assertFileError("bus: { keys: { 'private': " + KEY_1 + " } }", "bus.keys 'private'", "'|'");
    assertFileError(
        "bus: { keys: { 'a|b': { env: NOT_SET } } }",
        "bus.keys 'a|b': environment variable NOT_SET is not set");
    assertFileError("bus: { keys: { 'a|b': " + KEY_1 + ", 'b|a': " + KEY_2 + " } }", "given twice");
    assertFileError("bus: { connect: { attempts: 0 } }", "bus.connect.attempts must be at least 1");
    assertFileError("bus: { healthGrace: -PT1S }", "bus.healthGrace must not be negative");
    assertFileError("bus: { url: 'memory:a/b' }", "bus.url 'memory:a/b'");
  }

  @Test
  void shouldNameTheVariableOfEveryBadValueInTheEnvironment() {
    assertEnvError(Map.of("COB_BUS_HEARTBEAT_INTERVAL", "2s"), "COB_BUS_HEARTBEAT_INTERVAL");
    assertEnvError(
        Map.of("COB_BUS_CONNECT_ATTEMPTS", "many"),
        "COB_BUS_CONNECT_ATTEMPTS (bus.connect.attempts) must be a whole number");
    assertEnvError(Map.of("COB_BUS_HEARTBEAT", "PT1S"), "COB_BUS_HEARTBEAT is not a bus setting");
    assertEnvError(Map.of("COB_BUS_KEYS", "[1, 2]"), "COB_BUS_KEYS (bus.keys) must be a mapping");
    assertEnvError(Map.of("COB_BUS_AMQP_PREFETCHES", "3"), "bus.amqp.prefetches is not a setting");
  }

  @Test
  void shouldNeverShowKeyMaterialInErrors() throws IOException {
    String secret = KEY_1.substring(0, 20);
    Path f = yaml("bus: { keys: { 'a|b': '" + secret + "' } }");

    assertThatThrownBy(() -> ConfigLoader.load(f, Map.of()))
        .hasMessageContaining("bus.keys 'a|b'")
        .hasMessageNotContaining(secret);
  }

  private void assertFileError(String text, String... parts) throws IOException {
    Path f = yaml(text + "\n");
    var thrown = assertThatThrownBy(() -> ConfigLoader.load(f, Map.of()));
    thrown.as(text).isInstanceOf(ConfigException.class);
    for (String part : parts) {
      thrown.as(text).hasMessageContaining(part);
    }
  }

  private static void assertEnvError(Map<String, String> env, String part) {
    assertThatThrownBy(() -> ConfigLoader.load(null, env))
        .as(env.toString())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(part);
  }
}
