package io.cob.engine.port;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/**
 * Keeps binary content (files, PDFs, images) once, so that processes pass a {@link BlobRef} (claim
 * check) between steps and clouds instead of the bytes.
 *
 * <p>Blobs are immutable: written once, read many times. Thread-safe.
 */
public interface BlobStore {

  /**
   * Stores everything {@code content} holds, computing its size and SHA-256 as it streams.
   *
   * @param contentType the media type to serve it with; {@code application/octet-stream} if null
   * @param maxBytes the largest content accepted
   * @throws BlobTooLargeException when the content is longer than {@code maxBytes} (nothing kept)
   * @throws IOException when the content cannot be read
   */
  BlobRef put(InputStream content, String contentType, long maxBytes) throws IOException;

  /** The reference of a stored blob, or empty when there is none with that id. */
  Optional<BlobRef> describe(String blobId);

  /**
   * Opens a blob for reading. The stream verifies the SHA-256 when it reaches the end and throws
   * {@link BlobCorruptException} if the bytes read are not the bytes written.
   *
   * @throws java.util.NoSuchElementException when there is no blob with that id
   */
  InputStream open(String blobId) throws IOException;
}
