package io.cob.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class BusUrlTest {

  @Test
  void shouldTellTheTransportsApart() {
    assertThat(BusUrl.parse("memory:")).isEqualTo(new BusUrl.Memory());
    assertThat(BusUrl.parse("amqp://guest:guest@127.0.0.1:5672"))
        .isInstanceOfSatisfying(
            BusUrl.Amqp.class, amqp -> assertThat(amqp.address().port()).isEqualTo(5672));
    assertThat(BusUrl.parse("AMQPS://broker.example")).isInstanceOf(BusUrl.Amqp.class);
  }

  @Test
  void shouldNameSeparateMemoryBrokers() {
    assertThat(BusUrl.parse("memory")).isEqualTo(new BusUrl.Memory(""));
    assertThat(BusUrl.parse(" memory:demo-1 ")).isEqualTo(new BusUrl.Memory("demo-1"));
    assertThatThrownBy(() -> BusUrl.parse("memory:a/b"))
        .hasMessageContaining("bus.url 'memory:a/b'")
        .hasMessageContaining("letters, digits");
  }

  @Test
  void shouldNameAnUnknownScheme() {
    assertThatThrownBy(() -> BusUrl.parse("kafka://u:secret@h:9092"))
        .hasMessage(
            "bus.url 'kafka://u:***@h:9092': expected memory:, memory:NAME or amqp[s]://user:password@host:port/vhost");
    assertThatThrownBy(() -> BusUrl.parse(null))
        .hasMessage("bus.url is empty: use memory: or amqp://host:5672");
  }

  @Test
  void shouldMakeRandomKeysForEveryPairOfClouds() {
    BusKeys keys = BusKeys.random(List.of("b", "a", "c"));

    assertThat(keys.pairs()).containsExactly("a|a", "a|b", "a|c", "b|b", "b|c", "c|c");
    assertThat(keys.key("a", "b")).isNotEqualTo(keys.key("a", "c"));
  }
}
