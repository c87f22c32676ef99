package io.cob.connectors.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Issues and checks the tokens in callback URLs ({@code /api/v1/callbacks/{token}}).
 *
 * <p>A token names the job to complete and when it stops being honoured, and is signed with
 * HMAC-SHA256 under the store's callback key, so that every node of one store accepts the tokens
 * any of them issued, and nobody without the key can make one. 128 random bits in each token make
 * it unguessable even for someone who knows the job key. The token is base64url without padding:
 * {@code version(1) | expiresAt epoch seconds(8) | random(16) | job key (UTF-8) | mac(32)}.
 *
 * <p>Tokens are single use by what they do, not by bookkeeping here: a job completes once, so a
 * second callback with the same token finds the job gone. Thread-safe.
 */
public final class CallbackTokens {
  private static final byte VERSION = 1;
  private static final int RANDOM_BYTES = 16;
  private static final int MAC_BYTES = 32;
  private static final int HEADER_BYTES = 1 + Long.BYTES + RANDOM_BYTES;
  private static final int MAX_TOKEN_CHARS = 1024;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final SecretKeySpec key;
  private final Clock clock;

  /**
   * @param key the shared callback key (at least 16 bytes)
   * @param clock the clock expiry is measured with
   */
  public CallbackTokens(byte[] key, Clock clock) {
    if (key == null || key.length < 16) {
      throw new IllegalArgumentException("the callback key must have at least 16 bytes");
    }
    this.key = new SecretKeySpec(key.clone(), "HmacSHA256");
    this.clock = clock;
  }

  /** What a token says, once checked. */
  public sealed interface Verification {
    /** A token this store issued that is still in time. */
    record Valid(String jobKey, Instant expiresAt) implements Verification {}

    /** A token this store issued whose time is up. */
    record Expired(String jobKey, Instant expiredAt) implements Verification {}

    /** Not a token this store issued (garbage, altered, or signed with another key). */
    record Unknown() implements Verification {}
  }

  /** A new token for {@code jobKey}, honoured for {@code validFor} from now. */
  public String issue(String jobKey, Duration validFor) {
    byte[] job = jobKey.getBytes(StandardCharsets.UTF_8);
    byte[] random = new byte[RANDOM_BYTES];
    RANDOM.nextBytes(random);
    Instant expiresAt = clock.instant().plus(validFor);
    ByteBuffer payload = ByteBuffer.allocate(HEADER_BYTES + job.length);
    payload.put(VERSION).putLong(expiresAt.getEpochSecond()).put(random).put(job);
    byte[] body = payload.array();
    byte[] token = Arrays.copyOf(body, body.length + MAC_BYTES);
    System.arraycopy(mac(body), 0, token, body.length, MAC_BYTES);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(token);
  }

  /** Checks a token: its signature first (in constant time), then its expiry. */
  public Verification verify(String token) {
    if (token == null || token.isEmpty() || token.length() > MAX_TOKEN_CHARS) {
      return new Verification.Unknown();
    }
    byte[] raw;
    try {
      raw = Base64.getUrlDecoder().decode(token);
    } catch (IllegalArgumentException notBase64) {
      return new Verification.Unknown();
    }
    // Only the one encoding issue() makes: base64 leaves spare bits in the last character, and a
    // token that differs in them must not count as the same token.
    if (raw.length <= HEADER_BYTES + MAC_BYTES
        || raw[0] != VERSION
        || !Base64.getUrlEncoder().withoutPadding().encodeToString(raw).equals(token)) {
      return new Verification.Unknown();
    }
    byte[] body = Arrays.copyOf(raw, raw.length - MAC_BYTES);
    byte[] given = Arrays.copyOfRange(raw, raw.length - MAC_BYTES, raw.length);
    if (!MessageDigest.isEqual(mac(body), given)) {
      return new Verification.Unknown();
    }
    ByteBuffer b = ByteBuffer.wrap(body);
    b.get();
    Instant expiresAt = Instant.ofEpochSecond(b.getLong());
    String jobKey =
        new String(body, HEADER_BYTES, body.length - HEADER_BYTES, StandardCharsets.UTF_8);
    return clock.instant().isBefore(expiresAt)
        ? new Verification.Valid(jobKey, expiresAt)
        : new Verification.Expired(jobKey, expiresAt);
  }

  private byte[] mac(byte[] data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return mac.doFinal(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }
}
