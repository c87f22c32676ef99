package io.cob.bus;

import io.cob.engine.port.bus.BusException;
import io.cob.engine.port.bus.Envelope;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.SecretKey;

/**
 * Signs and verifies envelopes with HMAC-SHA256 over their {@linkplain CanonicalEnvelope canonical
 * encoding}, keyed by the {@linkplain BusKeys pair} of source and receiving cloud.
 *
 * <p><b>Signature format.</b> A signature is a list of entries, one per receiving cloud: {@code
 * u16(length of cloud name) cloud-name-utf8 mac[32]}. An envelope for one cloud carries one entry
 * (its target). A broadcast is received by many clouds, each holding a different pair key, so it
 * carries one entry per cloud that shares a key with the source ({@link BusKeys#peersOf}); a cloud
 * verifies the entry with its own name. All entries cover the same bytes.
 *
 * <p>Thread-safe: a {@link Mac} is made per call.
 */
public final class EnvelopeSigner {
  private static final String ALGORITHM = "HmacSHA256";
  private static final int MAC_BYTES = 32;

  private final BusKeys keys;

  public EnvelopeSigner(BusKeys keys) {
    this.keys = keys;
  }

  /**
   * The envelope with its signature (replacing any it had).
   *
   * @throws BusException when there is no key for the source and target pair, or for a broadcast no
   *     key of the source cloud at all (names the missing {@code bus.keys} entry)
   */
  public Envelope sign(Envelope envelope) {
    String source = envelope.sourceCloud();
    Set<String> receivers =
        envelope.isBroadcast() ? keys.peersOf(source) : Set.of(envelope.targetCloud());
    if (receivers.isEmpty()) {
      throw new BusException(
          "cannot sign broadcast "
              + envelope.messageId()
              + ": bus.keys has no pair with "
              + source);
    }
    byte[] head = CanonicalEnvelope.head(envelope);
    byte[] payload = envelope.payload();
    ByteBuffer out = ByteBuffer.allocate(receivers.stream().mapToInt(c -> entrySize(c)).sum());
    for (String receiver : receivers) {
      SecretKey key =
          keys.key(source, receiver)
              .orElseThrow(
                  () ->
                      new BusException(
                          "cannot sign %s: bus.keys has no key for the pair '%s'"
                              .formatted(
                                  envelope.messageId(), BusKeys.canonical(source, receiver))));
      byte[] name = receiver.getBytes(StandardCharsets.UTF_8);
      out.putShort((short) name.length).put(name).put(mac(key, head, payload));
    }
    return envelope.withSignature(out.array());
  }

  /**
   * Checks the signature an envelope carries for the cloud that received it.
   *
   * @return empty when valid, else why not
   */
  public Optional<Refusal> verify(Envelope envelope, String receiverCloud) {
    byte[] signature = envelope.signature();
    if (signature == null || signature.length == 0) {
      return Optional.of(new Refusal(RefusalReason.UNSIGNED, "no signature"));
    }
    if (!envelope.isBroadcast() && !envelope.targetCloud().equals(receiverCloud)) {
      return Optional.of(
          new Refusal(
              RefusalReason.WRONG_TARGET, "addressed to " + envelope.targetCloud() + " not here"));
    }
    Optional<SecretKey> key = keys.key(envelope.sourceCloud(), receiverCloud);
    if (key.isEmpty()) {
      return Optional.of(
          new Refusal(
              RefusalReason.UNKNOWN_PAIR,
              "no key for " + BusKeys.canonical(envelope.sourceCloud(), receiverCloud)));
    }
    List<Entry> entries = entries(signature);
    if (entries == null) {
      return Optional.of(new Refusal(RefusalReason.BAD_SIGNATURE, "malformed signature"));
    }
    Entry mine =
        entries.stream().filter(e -> e.cloud.equals(receiverCloud)).findFirst().orElse(null);
    if (mine == null) {
      return Optional.of(
          new Refusal(RefusalReason.UNKNOWN_PAIR, "not signed for " + receiverCloud));
    }
    byte[] expected = mac(key.get(), CanonicalEnvelope.head(envelope), envelope.payload());
    if (!MessageDigest.isEqual(expected, mine.mac)) {
      return Optional.of(new Refusal(RefusalReason.BAD_SIGNATURE, "signature does not match"));
    }
    return Optional.empty();
  }

  /** Why an envelope was refused, with a detail for the log. */
  public record Refusal(RefusalReason reason, String detail) {}

  private record Entry(String cloud, byte[] mac) {}

  private static int entrySize(String cloud) {
    return 2 + cloud.getBytes(StandardCharsets.UTF_8).length + MAC_BYTES;
  }

  /** The entries of a signature, or {@code null} when it is not well formed. */
  private static List<Entry> entries(byte[] signature) {
    ByteBuffer in = ByteBuffer.wrap(signature);
    List<Entry> entries = new ArrayList<>();
    while (in.hasRemaining()) {
      if (in.remaining() < 2) {
        return null;
      }
      int nameLength = Short.toUnsignedInt(in.getShort());
      if (in.remaining() < nameLength + MAC_BYTES) {
        return null;
      }
      byte[] name = new byte[nameLength];
      byte[] mac = new byte[MAC_BYTES];
      in.get(name).get(mac);
      entries.add(new Entry(new String(name, StandardCharsets.UTF_8), mac));
    }
    return entries;
  }

  private static byte[] mac(SecretKey key, byte[] head, byte[] payload) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(key);
      mac.update(head);
      mac.update(payload);
      return mac.doFinal();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
    }
  }
}
