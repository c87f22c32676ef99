package io.cob.engine.port;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A claim check for binary content in a {@link BlobStore}: what processes carry in their variables
 * instead of the bytes, as the map {@code {blobId, sha256, size, contentType}}.
 */
public record BlobRef(String blobId, String sha256, long size, String contentType) {

  public BlobRef {
    if (blobId == null || blobId.isBlank()) {
      throw new IllegalArgumentException("blobId must not be empty");
    }
    if (sha256 == null || !sha256.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException("sha256 must be 64 lower-case hex digits, not " + sha256);
    }
    if (size < 0) {
      throw new IllegalArgumentException("size must not be negative");
    }
    contentType = contentType == null ? "application/octet-stream" : contentType;
  }

  /** The variable value that stands for the blob. */
  public Map<String, Object> toVariable() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("blobId", blobId);
    m.put("sha256", sha256);
    m.put("size", size);
    m.put("contentType", contentType);
    return m;
  }

  /**
   * Reads a reference from a variable value: a map with at least {@code blobId}, {@code sha256} and
   * {@code size}; empty for anything else.
   */
  public static Optional<BlobRef> fromVariable(Object value) {
    if (!(value instanceof Map<?, ?> m)
        || !(m.get("blobId") instanceof String id)
        || !(m.get("sha256") instanceof String sha)
        || !(m.get("size") instanceof Number size)) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          new BlobRef(
              id, sha, size.longValue(), m.get("contentType") instanceof String t ? t : null));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
