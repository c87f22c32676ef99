package io.cob.engine.blob;

import io.cob.engine.port.BlobCorruptException;
import io.cob.engine.port.BlobRef;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * Reads a blob's bytes and, at their end, checks that their size and SHA-256 are those of its
 * {@link BlobRef}: a reader never takes damaged content for good.
 */
public final class VerifyingInputStream extends FilterInputStream {
  private final BlobRef ref;
  private final MessageDigest digest = BlobDigest.sha256();
  private long read;
  private boolean checked;

  public VerifyingInputStream(InputStream in, BlobRef ref) {
    super(in);
    this.ref = ref;
  }

  @Override
  public int read() throws IOException {
    int b = super.read();
    if (b < 0) {
      verify();
    } else {
      digest.update((byte) b);
      read++;
    }
    return b;
  }

  @Override
  public int read(byte[] buf, int off, int len) throws IOException {
    int n = super.read(buf, off, len);
    if (n < 0) {
      verify();
    } else {
      digest.update(buf, off, n);
      read += n;
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    // Skipped bytes must still be hashed, or the check at the end would fail.
    byte[] buf = new byte[8192];
    long skipped = 0;
    while (skipped < n) {
      int r = read(buf, 0, (int) Math.min(buf.length, n - skipped));
      if (r < 0) {
        break;
      }
      skipped += r;
    }
    return skipped;
  }

  @Override
  public boolean markSupported() {
    return false;
  }

  private void verify() throws IOException {
    if (checked) {
      return;
    }
    checked = true;
    String actual = HexFormat.of().formatHex(digest.digest());
    if (read != ref.size() || !actual.equals(ref.sha256())) {
      throw new BlobCorruptException(ref.blobId(), ref.sha256(), actual + " (" + read + " bytes)");
    }
  }
}
