package io.cob.connectors;

import io.cob.engine.port.ActivatedJob;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * W3C Trace Context {@code traceparent} header values for outgoing calls. The trace id is derived
 * from the instance id, so that every call an instance makes, in every cloud, belongs to one trace
 * that can be found from the instance; the span id is new for each call.
 */
public final class TraceParent {
  private static final SecureRandom RANDOM = new SecureRandom();

  private TraceParent() {}

  /** {@code 00-<trace id>-<span id>-01} for a call made by {@code job}. */
  public static String forJob(ActivatedJob job) {
    return "00-" + traceId(job.instanceId()) + "-" + spanId() + "-01";
  }

  /** 32 hex digits: the instance's UUID, or a hash of another id. */
  public static String traceId(String instanceId) {
    String hex = instanceId.replace("-", "").toLowerCase(java.util.Locale.ROOT);
    if (hex.matches("[0-9a-f]{32}") && !hex.equals("0".repeat(32))) {
      return hex;
    }
    byte[] digest =
        io.cob.engine.blob.BlobDigest.sha256().digest(instanceId.getBytes(StandardCharsets.UTF_8));
    return HexFormat.of().formatHex(digest, 0, 16);
  }

  private static String spanId() {
    byte[] b = new byte[8];
    do {
      RANDOM.nextBytes(b);
    } while (java.util.Arrays.equals(b, new byte[8]));
    return HexFormat.of().formatHex(b);
  }
}
