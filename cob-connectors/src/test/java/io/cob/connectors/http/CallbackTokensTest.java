package io.cob.connectors.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cob.connectors.http.CallbackTokens.Verification;
import io.cob.engine.TestClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CallbackTokensTest {
  private static final byte[] KEY =
      "an example key of 32 bytes......".getBytes(StandardCharsets.UTF_8);
  private final TestClock clock = new TestClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final CallbackTokens tokens = new CallbackTokens(KEY, clock);

  @Test
  void shouldVerifyATokenItIssuedUntilItExpires() {
    String token = tokens.issue("i-1:7", Duration.ofMinutes(10));

    assertThat(token).matches("[A-Za-z0-9_-]+");
    assertThat(tokens.verify(token))
        .isEqualTo(new Verification.Valid("i-1:7", Instant.parse("2026-01-01T00:10:00Z")));

    clock.advance(Duration.ofMinutes(10));
    assertThat(tokens.verify(token))
        .isEqualTo(new Verification.Expired("i-1:7", Instant.parse("2026-01-01T00:10:00Z")));
  }

  @Test
  void shouldMakeADifferentTokenEachTime() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 100; i++) {
      assertThat(seen.add(tokens.issue("i-1:7", Duration.ofMinutes(1)))).isTrue();
    }
  }

  @Test
  void shouldRefuseEveryAlteredCharacterAndGarbage() {
    String token = tokens.issue("i-1:7", Duration.ofMinutes(10));
    for (int i = 0; i < token.length(); i++) {
      char c = token.charAt(i);
      String forged = token.substring(0, i) + (c == 'A' ? 'B' : 'A') + token.substring(i + 1);
      assertThat(tokens.verify(forged))
          .as("altered at " + i)
          .isInstanceOf(Verification.Unknown.class);
    }
    assertThat(tokens.verify("")).isInstanceOf(Verification.Unknown.class);
    assertThat(tokens.verify("not a token!")).isInstanceOf(Verification.Unknown.class);
    assertThat(tokens.verify(token.substring(0, 40))).isInstanceOf(Verification.Unknown.class);
    assertThat(tokens.verify(token + "A")).isInstanceOf(Verification.Unknown.class);
    assertThat(tokens.verify("x".repeat(5000))).isInstanceOf(Verification.Unknown.class);
  }

  @Test
  void shouldRefuseATokenSignedWithAnotherKey() {
    CallbackTokens other =
        new CallbackTokens(
            "another key of at least 16 bytes".getBytes(StandardCharsets.UTF_8), clock);
    assertThat(tokens.verify(other.issue("i-1:7", Duration.ofMinutes(1))))
        .isInstanceOf(Verification.Unknown.class);
  }

  @Test
  void shouldRefuseAShortKey() {
    assertThatThrownBy(() -> new CallbackTokens(new byte[8], clock))
        .hasMessageContaining("at least 16 bytes");
  }
}
