package io.cob.engine.blob;

import io.cob.engine.port.BlobRef;
import io.cob.engine.port.BlobStore;
import io.cob.engine.port.BlobTooLargeException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** Blobs in the heap: for tests and for {@code cob run} without a store. */
public final class InMemoryBlobStore implements BlobStore {
  private record Stored(BlobRef ref, byte[] bytes) {}

  private final Map<String, Stored> blobs = new ConcurrentHashMap<>();

  @Override
  public BlobRef put(InputStream content, String contentType, long maxBytes) throws IOException {
    MessageDigest digest = BlobDigest.sha256();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[64 * 1024];
    long total = 0;
    for (int n; (n = content.read(buf)) >= 0; ) {
      total += n;
      if (total > maxBytes) {
        throw new BlobTooLargeException(maxBytes);
      }
      digest.update(buf, 0, n);
      out.write(buf, 0, n);
    }
    BlobRef ref =
        new BlobRef(
            UUID.randomUUID().toString(),
            HexFormat.of().formatHex(digest.digest()),
            total,
            contentType);
    blobs.put(ref.blobId(), new Stored(ref, out.toByteArray()));
    return ref;
  }

  @Override
  public Optional<BlobRef> describe(String blobId) {
    return Optional.ofNullable(blobs.get(blobId)).map(Stored::ref);
  }

  @Override
  public InputStream open(String blobId) {
    Stored s = blobs.get(blobId);
    if (s == null) {
      throw new NoSuchElementException("no blob " + blobId);
    }
    return new VerifyingInputStream(new ByteArrayInputStream(s.bytes()), s.ref());
  }

  /** How many bytes of content are kept, for tests. */
  long storedBytes() {
    return blobs.values().stream().mapToLong(s -> s.bytes().length).sum();
  }

  /**
   * The array that holds a blob's content itself (not a copy), so that tests in this package can
   * damage it as a failing memory or disk would.
   */
  byte[] storedContent(String blobId) {
    return blobs.get(blobId).bytes();
  }
}
