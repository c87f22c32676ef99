package io.cob.engine.port;

import java.io.IOException;

/** The bytes read back from a {@link BlobStore} do not match the checksum they were stored with. */
public final class BlobCorruptException extends IOException {
  public BlobCorruptException(String blobId, String expected, String actual) {
    super("blob " + blobId + " is corrupt: sha256 " + actual + " read, " + expected + " stored");
  }
}
