package io.cob.connectors.http;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Reads a {@code Retry-After} header (RFC 9110 §10.2.3): a number of seconds or an HTTP date. The
 * wait is capped, so that a service cannot park a job for days with one header.
 */
final class RetryAfter {
  /** The longest wait a service may ask for. */
  static final Duration MAX = Duration.ofHours(1);

  private RetryAfter() {}

  /**
   * The wait the header asks for, between zero and {@link #MAX}; empty when there is no header or
   * it is neither form.
   */
  static Optional<Duration> parse(String header, Instant now) {
    if (header == null || header.isBlank()) {
      return Optional.empty();
    }
    String v = header.strip();
    Duration wait;
    if (v.chars().allMatch(Character::isDigit)) {
      wait = v.length() > 9 ? MAX : Duration.ofSeconds(Long.parseLong(v));
    } else {
      try {
        Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        wait = Duration.between(now, at);
      } catch (DateTimeParseException e) {
        return Optional.empty();
      }
    }
    if (wait.isNegative()) {
      return Optional.of(Duration.ZERO);
    }
    return Optional.of(wait.compareTo(MAX) > 0 ? MAX : wait);
  }
}
