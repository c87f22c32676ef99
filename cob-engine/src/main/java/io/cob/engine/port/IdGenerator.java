package io.cob.engine.port;

import java.security.SecureRandom;
import java.util.UUID;

/**
 * Creates globally unique ids for instances, messages and deployments. Injected so that tests can
 * make ids predictable.
 */
@FunctionalInterface
public interface IdGenerator {
  String newId();

  /**
   * Time-ordered UUIDs (version 7 layout): ids created later sort later, which keeps index inserts
   * local.
   */
  static IdGenerator timeOrderedUuids(java.time.Clock clock) {
    SecureRandom random = new SecureRandom();
    return () -> {
      long millis = clock.millis();
      long msb = (millis << 16) | 0x7000L | (random.nextInt() & 0x0FFF);
      long lsb = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
      return new UUID(msb, lsb).toString();
    };
  }
}
