package io.cob.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cob.engine.port.bus.BusException;
import io.cob.engine.port.bus.Envelope;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EnvelopeSignerTest {
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  private final EnvelopeSigner signer =
      new EnvelopeSigner(
          BusKeys.of(
              Map.of(
                  "a|b", BusKeysTest.bytes(32, 1),
                  "a|c", BusKeysTest.bytes(32, 2),
                  "a|a", BusKeysTest.bytes(32, 3))));

  private static Envelope.Builder envelope() {
    return Envelope.builder("m-1", "job.dispatch", "a")
        .targetCloud("b")
        .sentAt(NOW)
        .payload("{}".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void shouldKeepTheSignatureFormatStable() {
    // Pinned: a change of the canonical encoding must be a new version, never an accident.
    Envelope signed =
        signer.sign(
            envelope()
                .instanceId("i-1")
                .epoch(3)
                .traceparent("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")
                .headers(Map.of("k", "v"))
                .build());

    assertThat(HexFormat.of().formatHex(signed.signature()))
        .isEqualTo("0001" + HexFormat.of().formatHex("b".getBytes()) + PINNED_MAC);
    assertThat(signer.verify(signed, "b")).isEmpty();
  }

  /**
   * HMAC-SHA256 with key 32 x 0x01 over the encoding documented in {@link CanonicalEnvelope},
   * computed independently (Python hmac) from that description.
   */
  private static final String PINNED_MAC =
      "e197401f7b14f0935b5bdb944c7bab3bb9453cfba690ce675d970437e44dd3eb";

  @Test
  void shouldTellApartFieldsThatRunTogether() {
    Envelope one = envelope().headers(Map.of("a", "bc")).build();
    Envelope two = envelope().headers(Map.of("ab", "c")).build();
    Envelope three =
        Envelope.builder("m-1", "job.dispatchx", "a").targetCloud("b").sentAt(NOW).build();
    Envelope four =
        Envelope.builder("m-1x", "job.dispatch", "a").targetCloud("b").sentAt(NOW).build();
    Envelope nullTrace = envelope().build();
    Envelope emptyTrace = envelope().traceparent("").build();

    assertThat(signer.sign(one).signature()).isNotEqualTo(signer.sign(two).signature());
    assertThat(signer.sign(three).signature()).isNotEqualTo(signer.sign(four).signature());
    assertThat(signer.sign(nullTrace).signature())
        .isNotEqualTo(signer.sign(emptyTrace).signature());
  }

  @Test
  void shouldNotDependOnTheOrderHeadersWereGivenIn() {
    Map<String, String> forward = new LinkedHashMap<>();
    forward.put("x", "1");
    forward.put("y", "2");
    Map<String, String> backward = new LinkedHashMap<>();
    backward.put("y", "2");
    backward.put("x", "1");

    assertThat(signer.sign(envelope().headers(forward).build()).signature())
        .isEqualTo(signer.sign(envelope().headers(backward).build()).signature());
  }

  @Test
  void shouldRefuseAnyChangedField() {
    Envelope signed = signer.sign(envelope().epoch(1).build());
    byte[] sig = signed.signature();

    for (Envelope changed :
        new Envelope[] {
          signed.toBuilder().epoch(2).build(),
          signed.toBuilder().payload("{ }".getBytes(StandardCharsets.UTF_8)).build(),
          signed.toBuilder().sentAt(NOW.plusMillis(1)).build(),
          signed.toBuilder().tenant("other").build(),
          signed.toBuilder().instanceId("i").build(),
          signed.toBuilder().headers(Map.of("h", "v")).build(),
        }) {
      assertThat(changed.signature()).isEqualTo(sig);
      assertThat(signer.verify(changed, "b"))
          .map(EnvelopeSigner.Refusal::reason)
          .contains(RefusalReason.BAD_SIGNATURE);
    }
  }

  @Test
  void shouldSignABroadcastForEveryPeerOfTheSource() {
    Envelope broadcast = signer.sign(envelope().targetCloud(null).build());

    assertThat(signer.verify(broadcast, "a")).isEmpty();
    assertThat(signer.verify(broadcast, "b")).isEmpty();
    assertThat(signer.verify(broadcast, "c")).isEmpty();
    assertThat(signer.verify(broadcast, "d"))
        .map(EnvelopeSigner.Refusal::reason)
        .contains(RefusalReason.UNKNOWN_PAIR);
  }

  @Test
  void shouldRefuseAnEnvelopeForAnotherCloud() {
    Envelope forC = signer.sign(envelope().targetCloud("c").build());

    assertThat(signer.verify(forC, "b"))
        .map(EnvelopeSigner.Refusal::reason)
        .contains(RefusalReason.WRONG_TARGET);
  }

  @Test
  void shouldRefuseUnsignedAndMalformedSignatures() {
    Envelope signed = signer.sign(envelope().build());
    byte[] truncated = Arrays.copyOf(signed.signature(), signed.signature().length - 1);

    assertThat(signer.verify(envelope().build(), "b"))
        .map(EnvelopeSigner.Refusal::reason)
        .contains(RefusalReason.UNSIGNED);
    assertThat(signer.verify(signed.withSignature(truncated), "b"))
        .map(EnvelopeSigner.Refusal::reason)
        .contains(RefusalReason.BAD_SIGNATURE);
    assertThat(signer.verify(signed.withSignature(new byte[0]), "b"))
        .map(EnvelopeSigner.Refusal::reason)
        .contains(RefusalReason.UNSIGNED);
  }

  @Test
  void shouldNotVerifyWithAnotherPairsKey() {
    EnvelopeSigner other = new EnvelopeSigner(BusKeys.of(Map.of("a|b", BusKeysTest.bytes(32, 9))));
    Envelope signedByOther = other.sign(envelope().build());

    Optional<EnvelopeSigner.Refusal> refusal = signer.verify(signedByOther, "b");

    assertThat(refusal).map(EnvelopeSigner.Refusal::reason).contains(RefusalReason.BAD_SIGNATURE);
  }

  @Test
  void shouldNameTheMissingPairWhenItCannotSign() {
    assertThatThrownBy(() -> signer.sign(envelope().targetCloud("z").build()))
        .isInstanceOf(BusException.class)
        .hasMessage("cannot sign m-1: bus.keys has no key for the pair 'a|z'");
    assertThatThrownBy(() -> signer.sign(Envelope.builder("m-2", "t", "z").sentAt(NOW).build()))
        .isInstanceOf(BusException.class)
        .hasMessage("cannot sign broadcast m-2: bus.keys has no pair with z");
  }
}
