package io.cob.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BusKeysTest {
  private static final String KEY = Base64.getEncoder().encodeToString(new byte[32]);
  private static final String OTHER_KEY = Base64.getEncoder().encodeToString(bytes(32, 1));

  @Test
  void shouldFindAPairsKeyInEitherOrder() {
    BusKeys keys = BusKeys.parse(Map.of("public-a|private", KEY, "private|private", OTHER_KEY));

    assertThat(keys.key("private", "public-a")).isPresent();
    assertThat(keys.key("public-a", "private")).isEqualTo(keys.key("private", "public-a"));
    assertThat(keys.key("public-a", "public-b")).isEmpty();
    assertThat(keys.pairs()).containsExactly("private|private", "private|public-a");
    assertThat(keys.peersOf("private")).containsExactly("private", "public-a");
    assertThat(keys.peersOf("public-a")).containsExactly("private");
  }

  @Test
  void shouldAcceptUrlSafeBase64() {
    String urlSafe = Base64.getUrlEncoder().encodeToString(bytes(32, 0xfb));
    assertThat(urlSafe).containsAnyOf("-", "_");

    assertThat(BusKeys.parse(Map.of("a|b", urlSafe)).key("a", "b")).isPresent();
  }

  @Test
  void shouldNeverShowKeyMaterial() {
    BusKeys keys = BusKeys.parse(Map.of("a|b", KEY));

    assertThat(keys.toString()).isEqualTo("BusKeys[a|b]");
  }

  @Test
  void shouldNameAMalformedPair() {
    assertThatThrownBy(() -> BusKeys.parse(Map.of("private", KEY)))
        .hasMessage(
            "bus.keys 'private': expected two cloud names separated by '|', e.g. 'private|public-a'");
    assertThatThrownBy(() -> BusKeys.parse(Map.of("a||b", KEY)))
        .hasMessageContaining("bus.keys 'a||b': expected two cloud names");
    assertThatThrownBy(() -> BusKeys.parse(Map.of(" |b", KEY)))
        .hasMessageContaining("bus.keys ' |b'");
  }

  @Test
  void shouldRefuseAShortOrMalformedKey() {
    String short16 = Base64.getEncoder().encodeToString(new byte[16]);

    assertThatThrownBy(() -> BusKeys.parse(Map.of("a|b", short16)))
        .hasMessage(
            "bus.keys 'a|b': the key has 16 bytes, at least 32 are needed (openssl rand -base64 32)");
    assertThatThrownBy(() -> BusKeys.parse(Map.of("a|b", "not base64!")))
        .hasMessageStartingWith("bus.keys 'a|b': the key is not base64");
    assertThatThrownBy(() -> BusKeys.parse(Map.of("a|b", " ")))
        .hasMessage("bus.keys 'a|b': the key is empty");
  }

  @Test
  void shouldRefuseOnePairGivenTwice() {
    Map<String, String> twice = new LinkedHashMap<>();
    twice.put("a|b", KEY);
    twice.put("b|a", OTHER_KEY);

    assertThatThrownBy(() -> BusKeys.parse(twice))
        .hasMessage("bus.keys 'b|a': the pair a|b is given twice");
  }

  static byte[] bytes(int n, int value) {
    byte[] b = new byte[n];
    java.util.Arrays.fill(b, (byte) value);
    return b;
  }
}
