package io.cob.store.jdbc;

import io.cob.engine.blob.BlobDigest;
import io.cob.engine.blob.VerifyingInputStream;
import io.cob.engine.port.BlobRef;
import io.cob.engine.port.BlobStore;
import io.cob.engine.port.BlobTooLargeException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.UUID;

/**
 * Blobs in the store's database: the content in rows of {@code blob_chunks} of {@value #CHUNK}
 * bytes each ({@code seq} 0, 1, ...), the reference in a row of {@code blobs}.
 *
 * <p><b>Writing.</b> {@link #put} is one transaction: it reads the content one chunk at a time,
 * hashing as it goes, inserts each chunk, and inserts the {@code blobs} row last. Content over the
 * limit, a failing source or a database error roll everything back, so no partial blob is ever
 * visible. At most one chunk is in memory. The transaction holds one pooled connection while the
 * content arrives, so a slow source (an upload over a slow network) holds it that long.
 *
 * <p><b>Reading.</b> {@link #open} reads one chunk per query, each on a connection borrowed only
 * for that query, so a slow reader holds no connection and a large blob is never whole in memory.
 * The stream verifies size and SHA-256 at its end ({@link VerifyingInputStream}).
 *
 * <p>Thread-safe. Blob ids are random UUIDs.
 */
public final class JdbcBlobStore implements BlobStore {
  /** The size of one chunk row: 1 MiB. */
  static final int CHUNK = 1 << 20;

  private final Database db;

  JdbcBlobStore(Database db) {
    this.db = db;
  }

  @Override
  public BlobRef put(InputStream content, String contentType, long maxBytes) throws IOException {
    String id = UUID.randomUUID().toString();
    try {
      return db.transaction("store blob " + id, c -> write(c, id, content, contentType, maxBytes));
    } catch (UncheckedIOException e) {
      // The source failed or was too long; the transaction has been rolled back.
      throw e.getCause();
    }
  }

  private static BlobRef write(
      Connection c, String id, InputStream content, String contentType, long maxBytes)
      throws SQLException {
    MessageDigest digest = BlobDigest.sha256();
    // Never read more than one byte past the limit.
    byte[] chunk = new byte[maxBytes >= CHUNK ? CHUNK : (int) Math.max(1, maxBytes + 1)];
    long total = 0;
    try (PreparedStatement insert =
        c.prepareStatement("INSERT INTO blob_chunks (blob_id, seq, bytes) VALUES (?, ?, ?)")) {
      for (int seq = 0; ; seq++) {
        int n = fill(content, chunk);
        if (n == 0) {
          break;
        }
        total += n;
        if (total > maxBytes) {
          throw new UncheckedIOException(new BlobTooLargeException(maxBytes));
        }
        digest.update(chunk, 0, n);
        insert.setString(1, id);
        insert.setInt(2, seq);
        insert.setBytes(3, n == chunk.length ? chunk : java.util.Arrays.copyOf(chunk, n));
        insert.executeUpdate();
        if (n < chunk.length) {
          break;
        }
      }
    }
    BlobRef ref = new BlobRef(id, HexFormat.of().formatHex(digest.digest()), total, contentType);
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO blobs (id, sha256, size, content_type, created_at) VALUES (?, ?, ?, ?, ?)")) {
      ps.setString(1, id);
      ps.setString(2, ref.sha256());
      ps.setLong(3, ref.size());
      ps.setString(4, ref.contentType());
      ps.setObject(5, OffsetDateTime.now(ZoneOffset.UTC));
      ps.executeUpdate();
    }
    return ref;
  }

  /** Reads until {@code buf} is full or the content ends; how many bytes were read. */
  private static int fill(InputStream content, byte[] buf) {
    try {
      int filled = 0;
      // A source may give fewer bytes per read than asked for; only -1 ends the content.
      while (filled < buf.length) {
        int n = content.read(buf, filled, buf.length - filled);
        if (n < 0) {
          break;
        }
        filled += n;
      }
      return filled;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public Optional<BlobRef> describe(String blobId) {
    return db.read(
        "read blob " + blobId,
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("SELECT sha256, size, content_type FROM blobs WHERE id = ?")) {
            ps.setString(1, blobId);
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next()
                  ? Optional.of(
                      new BlobRef(blobId, rs.getString(1).trim(), rs.getLong(2), rs.getString(3)))
                  : Optional.empty();
            }
          }
        });
  }

  @Override
  public InputStream open(String blobId) {
    BlobRef ref =
        describe(blobId).orElseThrow(() -> new NoSuchElementException("no blob " + blobId));
    return new VerifyingInputStream(new ChunkStream(blobId), ref);
  }

  /** The chunks of one blob in order, fetched one query at a time as the reader needs them. */
  private final class ChunkStream extends InputStream {
    private final String blobId;
    private byte[] chunk = new byte[0];
    private int pos;
    private int nextSeq;
    private boolean ended;

    ChunkStream(String blobId) {
      this.blobId = blobId;
    }

    @Override
    public int read() throws IOException {
      if (!ensure()) {
        return -1;
      }
      return chunk[pos++] & 0xff;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
      java.util.Objects.checkFromIndexSize(off, len, buf.length);
      if (len == 0) {
        return 0;
      }
      if (!ensure()) {
        return -1;
      }
      int n = Math.min(len, chunk.length - pos);
      System.arraycopy(chunk, pos, buf, off, n);
      pos += n;
      return n;
    }

    @Override
    public int available() {
      return chunk.length - pos;
    }

    /** Whether unread bytes are at hand, fetching the next chunk when the current one is spent. */
    private boolean ensure() throws IOException {
      while (pos == chunk.length) {
        if (ended) {
          return false;
        }
        Optional<byte[]> next = fetch(nextSeq);
        if (next.isEmpty()) {
          ended = true;
          chunk = new byte[0];
          pos = 0;
          return false;
        }
        chunk = next.get();
        pos = 0;
        nextSeq++;
      }
      return true;
    }

    private Optional<byte[]> fetch(int seq) throws IOException {
      try {
        return query(seq);
      } catch (io.cob.engine.port.StoreException e) {
        // Readers of a stream expect an IOException when the source fails.
        throw new IOException(e.getMessage(), e);
      }
    }

    private Optional<byte[]> query(int seq) {
      return db.read(
          "read chunk " + seq + " of blob " + blobId,
          c -> {
            try (PreparedStatement ps =
                c.prepareStatement("SELECT bytes FROM blob_chunks WHERE blob_id = ? AND seq = ?")) {
              ps.setString(1, blobId);
              ps.setInt(2, seq);
              try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getBytes(1)) : Optional.empty();
              }
            }
          });
    }
  }
}
