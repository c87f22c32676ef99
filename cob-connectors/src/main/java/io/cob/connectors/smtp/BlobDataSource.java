package io.cob.connectors.smtp;

import io.cob.engine.port.BlobRef;
import io.cob.engine.port.BlobStore;
import jakarta.activation.DataSource;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.ParseException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.NoSuchElementException;

/**
 * An attachment's content, read from the blob store each time the mail is written, so that it is
 * never held whole in memory. The store's stream checks the SHA-256 at its end: a damaged blob
 * fails the send with {@link io.cob.engine.port.BlobCorruptException} before the message is
 * finished, so the server never accepts it.
 */
final class BlobDataSource implements DataSource {
  private final BlobStore blobs;
  private final BlobRef ref;
  private final String name;

  BlobDataSource(BlobStore blobs, BlobRef ref, String name) {
    this.blobs = blobs;
    this.ref = ref;
    this.name = name;
  }

  @Override
  public InputStream getInputStream() throws IOException {
    try {
      return blobs.open(ref.blobId());
    } catch (NoSuchElementException e) {
      throw new FileNotFoundException("no blob " + ref.blobId());
    }
  }

  @Override
  public OutputStream getOutputStream() throws IOException {
    throw new IOException("a blob is read-only");
  }

  /** The blob's media type, or {@code application/octet-stream} when it is not a valid one. */
  @Override
  public String getContentType() {
    try {
      return new ContentType(ref.contentType()).toString();
    } catch (ParseException e) {
      return "application/octet-stream";
    }
  }

  @Override
  public String getName() {
    return name;
  }
}
