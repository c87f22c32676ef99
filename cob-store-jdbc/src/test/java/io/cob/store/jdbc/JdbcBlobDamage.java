package io.cob.store.jdbc;

import io.cob.engine.port.BlobRef;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/** What the blob contract tests do to the tables behind a {@link JdbcBlobStore}'s back. */
final class JdbcBlobDamage {
  private JdbcBlobDamage() {}

  /** The bytes in every chunk row, finished blobs or not. */
  static long storedBytes(DataSource db) throws SQLException {
    try (Connection c = db.getConnection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery("SELECT COALESCE(SUM(OCTET_LENGTH(bytes)), 0) FROM blob_chunks")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** Flips one byte of the chunk that holds the blob's byte 1024 (or its last byte). */
  static void damage(DataSource db, BlobRef ref) throws SQLException {
    long offset = Math.min(1024, ref.size() - 1);
    int seq = (int) (offset / JdbcBlobStore.CHUNK);
    int at = (int) (offset % JdbcBlobStore.CHUNK);
    try (Connection c = db.getConnection()) {
      byte[] bytes;
      try (PreparedStatement ps =
          c.prepareStatement("SELECT bytes FROM blob_chunks WHERE blob_id = ? AND seq = ?")) {
        ps.setString(1, ref.blobId());
        ps.setInt(2, seq);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          bytes = rs.getBytes(1);
        }
      }
      bytes[at] ^= 0x55;
      try (PreparedStatement ps =
          c.prepareStatement("UPDATE blob_chunks SET bytes = ? WHERE blob_id = ? AND seq = ?")) {
        ps.setBytes(1, bytes);
        ps.setString(2, ref.blobId());
        ps.setInt(3, seq);
        ps.executeUpdate();
      }
    }
  }
}
