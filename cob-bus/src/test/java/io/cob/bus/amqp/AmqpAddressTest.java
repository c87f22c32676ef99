package io.cob.bus.amqp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AmqpAddressTest {

  @Test
  void shouldReadEveryPartOfTheUrl() {
    AmqpAddress a = AmqpAddress.parse("amqp://cob:s%40cret@broker.example:5673/prod?prefetch=64");

    assertThat(a.tls()).isFalse();
    assertThat(a.host()).isEqualTo("broker.example");
    assertThat(a.port()).isEqualTo(5673);
    assertThat(a.user()).isEqualTo("cob");
    assertThat(a.password()).isEqualTo("s@cret");
    assertThat(a.vhost()).isEqualTo("prod");
    assertThat(a.options()).containsExactly(Map.entry("prefetch", "64"));
  }

  @Test
  void shouldApplyTheSpecDefaults() {
    AmqpAddress plain = AmqpAddress.parse("amqp://127.0.0.1");
    AmqpAddress tls = AmqpAddress.parse("amqps://broker.example/");

    assertThat(plain.port()).isEqualTo(5672);
    assertThat(plain.user()).isEqualTo("guest");
    assertThat(plain.password()).isEqualTo("guest");
    assertThat(plain.vhost()).isEqualTo("/");
    assertThat(tls.tls()).isTrue();
    assertThat(tls.port()).isEqualTo(5671);
    assertThat(AmqpAddress.parse("amqp://h/%2F").vhost()).isEqualTo("/");
    assertThat(AmqpAddress.parse("amqp://h/a%2Fb").vhost()).isEqualTo("a/b");
  }

  @Test
  void shouldHideThePasswordWhenShown() {
    AmqpAddress a = AmqpAddress.parse("amqp://cob:topsecret@h:5672/a%2Fb");

    assertThat(a.toString()).isEqualTo("amqp://cob:***@h:5672/a%2Fb");
  }

  @Test
  void shouldSayWhatIsWrongWithABadUrl() {
    assertThatThrownBy(() -> AmqpAddress.parse("http://h:5672"))
        .hasMessage("bus.url 'http://h:5672': the scheme must be amqp:// or amqps://, not 'http:'");
    assertThatThrownBy(() -> AmqpAddress.parse("amqp://user:pw@:5672/"))
        .hasMessage(
            "bus.url 'amqp://user:***@:5672/': the host is missing or not a valid host name");
    assertThatThrownBy(() -> AmqpAddress.parse("amqp://h:99999"))
        .hasMessageContaining("the port must be between 1 and 65535");
    assertThatThrownBy(() -> AmqpAddress.parse("amqp://h/a/b"))
        .hasMessage(
            "bus.url 'amqp://h/a/b': the vhost must be one path segment (write '/' inside it as %2F)");
    assertThatThrownBy(() -> AmqpAddress.parse("amqp://u:p w@h"))
        .hasMessageStartingWith("bus.url 'amqp://u:***@h': not a valid URI");
    assertThatThrownBy(() -> AmqpAddress.parse("amqp://h?prefetch"))
        .hasMessage("bus.url 'amqp://h?prefetch': query option 'prefetch' is not name=value");
    assertThatThrownBy(() -> AmqpAddress.parse(" ")).hasMessage("bus.url is empty");
  }

  @Test
  void shouldReadSettingsOverTheDefaults() {
    AmqpSettings s =
        AmqpSettings.parse(
            Map.of(
                "queueType", "classic",
                "maxDeliveries", "7",
                "prefetch", "8",
                "confirmTimeout", "PT3S",
                "namespace", "staging."));

    assertThat(s.queueType()).isEqualTo(AmqpSettings.QueueType.CLASSIC);
    assertThat(s.maxDeliveries()).isEqualTo(7);
    assertThat(s.prefetch()).isEqualTo(8);
    assertThat(s.confirmTimeout()).isEqualTo(Duration.ofSeconds(3));
    assertThat(s.namespace()).isEqualTo("staging.");
    assertThat(s.heartbeat()).isEqualTo(AmqpSettings.DEFAULTS.heartbeat());
    assertThat(AmqpSettings.parse(Map.of())).isEqualTo(AmqpSettings.DEFAULTS);
  }

  @Test
  void shouldNameABadSetting() {
    assertThatThrownBy(() -> AmqpSettings.parse(Map.of("prefetsh", "8")))
        .hasMessageStartingWith("bus.amqp.prefetsh is not a setting; known: [");
    assertThatThrownBy(() -> AmqpSettings.parse(Map.of("queueType", "stream")))
        .hasMessage("bus.amqp.queueType must be 'quorum' or 'classic', not 'stream'");
    assertThatThrownBy(() -> AmqpSettings.parse(Map.of("prefetch", "many")))
        .hasMessage("bus.amqp.prefetch must be a whole number, not 'many'");
    assertThatThrownBy(() -> AmqpSettings.parse(Map.of("prefetch", "0")))
        .hasMessage("bus.amqp.prefetch must be between 1 and 65535, not 0");
    assertThatThrownBy(() -> AmqpSettings.parse(Map.of("confirmTimeout", "5s")))
        .hasMessage("bus.amqp.confirmTimeout must be an ISO-8601 duration such as PT5S, not '5s'");
    assertThatThrownBy(() -> AmqpSettings.parse(Map.of("namespace", "a b")))
        .hasMessageContaining("bus.amqp.namespace may hold only");
  }
}
