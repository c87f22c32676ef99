package io.cob.bus;

import io.cob.engine.port.bus.Envelope;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

/** Envelopes for tests. */
public final class TestEnvelopes {
  private TestEnvelopes() {}

  public static Envelope to(String source, String target, Instant sentAt) {
    return Envelope.builder(UUID.randomUUID().toString(), "job.dispatch", source)
        .targetCloud(target)
        .sentAt(sentAt)
        .payload("{\"n\":1}".getBytes(StandardCharsets.UTF_8))
        .build();
  }

  public static Envelope to(String source, String target) {
    return to(source, target, Instant.now());
  }

  public static Envelope broadcast(String source, Instant sentAt) {
    return to(source, null, sentAt);
  }
}
