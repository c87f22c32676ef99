package io.cob.engine.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cob.engine.port.BlobCorruptException;
import io.cob.engine.port.BlobRef;
import io.cob.engine.port.BlobStore;
import io.cob.engine.port.BlobTooLargeException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The behaviour every {@link BlobStore} must have, as its Javadoc states it. An adapter's test
 * extends this class and says how to make a store, how much content it keeps and how to damage a
 * stored blob behind the store's back (as a failing disk or a careless administrator would).
 *
 * <p>Where the port leaves a detail open, this suite pins it down: content of exactly {@code
 * maxBytes} is accepted; a missing content type is {@code application/octet-stream}; the id of a
 * blob is new for every {@code put}, even of equal content.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract class BlobStoreContract {
  /** Larger than any chunk size an adapter is likely to use, and not a multiple of one. */
  protected static final int SEVERAL_CHUNKS = 3 * 1024 * 1024 + 512 * 1024;

  /** The store under test. */
  protected BlobStore blobs;

  /** A new, empty store; each test gets its own. */
  protected abstract BlobStore newBlobStore();

  /** Closes what {@link #newBlobStore()} opened; nothing by default. */
  protected void closeBlobStore() {}

  /** How many bytes of content the store keeps now, including parts of blobs it never finished. */
  protected abstract long storedBytes() throws Exception;

  /**
   * Changes one byte of the stored content of {@code ref}, after its first kilobyte if it has one.
   */
  protected abstract void damage(BlobRef ref) throws Exception;

  @BeforeEach
  void openBlobStore() {
    blobs = newBlobStore();
  }

  @AfterEach
  void close() {
    closeBlobStore();
  }

  @Test
  void shouldKeepEmptyContent() throws Exception {
    BlobRef ref = blobs.put(new ByteArrayInputStream(new byte[0]), "text/plain", 10);

    assertThat(ref.size()).isZero();
    assertThat(ref.sha256()).isEqualTo(sha256(new byte[0]));
    assertThat(readAll(ref.blobId())).isEmpty();
  }

  @Test
  void shouldKeepSmallContentWithItsChecksumAndType() throws Exception {
    byte[] content = "hello blobs".getBytes(StandardCharsets.UTF_8);
    BlobRef ref = blobs.put(new ByteArrayInputStream(content), "text/plain", 100);

    assertThat(ref.size()).isEqualTo(content.length);
    assertThat(ref.sha256()).isEqualTo(sha256(content));
    assertThat(ref.contentType()).isEqualTo("text/plain");
    assertThat(blobs.describe(ref.blobId())).contains(ref);
    assertThat(readAll(ref.blobId())).isEqualTo(content);
    assertThat(BlobRef.fromVariable(ref.toVariable())).contains(ref);
    assertThat(BlobRef.fromVariable(Map.of("blobId", "x"))).isEmpty();
  }

  @Test
  void shouldKeepContentOfSeveralChunks() throws Exception {
    byte[] content = random(SEVERAL_CHUNKS, 1);
    BlobRef ref = blobs.put(new ByteArrayInputStream(content), "application/pdf", SEVERAL_CHUNKS);

    assertThat(ref.size()).isEqualTo(SEVERAL_CHUNKS);
    assertThat(ref.sha256()).isEqualTo(sha256(content));
    assertThat(readAll(ref.blobId())).isEqualTo(content);
    assertThat(readInOddPieces(ref.blobId())).isEqualTo(content);
  }

  @Test
  void shouldReadContentWrittenInSmallPieces() throws Exception {
    byte[] content = random(1024 * 1024 + 3, 2);
    // A slow source: each read gives at most 1000 bytes, as a network stream may.
    InputStream trickle =
        new java.io.FilterInputStream(new ByteArrayInputStream(content)) {
          @Override
          public int read(byte[] b, int off, int len) throws IOException {
            return super.read(b, off, Math.min(len, 1000));
          }
        };
    BlobRef ref = blobs.put(trickle, null, content.length);

    assertThat(ref.contentType()).isEqualTo("application/octet-stream");
    assertThat(readAll(ref.blobId())).isEqualTo(content);
  }

  @Test
  void shouldGiveEveryPutItsOwnId() throws Exception {
    byte[] content = "same".getBytes(StandardCharsets.UTF_8);
    BlobRef a = blobs.put(new ByteArrayInputStream(content), "text/plain", 100);
    BlobRef b = blobs.put(new ByteArrayInputStream(content), "text/plain", 100);

    assertThat(a.blobId()).isNotEqualTo(b.blobId());
    assertThat(a.sha256()).isEqualTo(b.sha256());
  }

  @Test
  void shouldAcceptContentOfExactlyTheLimit() throws Exception {
    BlobRef ref = blobs.put(new ByteArrayInputStream(new byte[100]), null, 100);

    assertThat(ref.size()).isEqualTo(100);
  }

  @Test
  void shouldRefuseContentOverTheLimitAndKeepNothing() throws Exception {
    long before = storedBytes();

    assertThatThrownBy(
            () -> blobs.put(new ByteArrayInputStream(random(SEVERAL_CHUNKS, 3)), null, 2_000_000))
        .isInstanceOf(BlobTooLargeException.class)
        .hasMessageContaining("2000000 bytes")
        .satisfies(e -> assertThat(((BlobTooLargeException) e).limit()).isEqualTo(2_000_000));
    assertThatThrownBy(() -> blobs.put(new ByteArrayInputStream(new byte[101]), null, 100))
        .isInstanceOf(BlobTooLargeException.class);
    assertThat(storedBytes()).isEqualTo(before);
  }

  @Test
  void shouldPassOnAFailureToReadTheContentAndKeepNothing() throws Exception {
    long before = storedBytes();
    InputStream broken =
        new InputStream() {
          private int left = 1_500_000;

          @Override
          public int read() throws IOException {
            if (left <= 0) {
              throw new IOException("connection reset");
            }
            left--;
            return 7;
          }
        };

    assertThatThrownBy(() -> blobs.put(broken, null, SEVERAL_CHUNKS))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("connection reset");
    assertThat(storedBytes()).isEqualTo(before);
  }

  @Test
  void shouldDescribeAnUnknownBlobAsEmpty() {
    assertThat(blobs.describe("no-such-blob")).isEmpty();
  }

  @Test
  void shouldRefuseToOpenAnUnknownBlob() {
    assertThatThrownBy(() -> blobs.open("no-such-blob"))
        .isInstanceOf(NoSuchElementException.class)
        .hasMessageContaining("no-such-blob");
  }

  @Test
  void shouldKeepBlobsPutConcurrently() throws Exception {
    int writers = 6;
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<BlobRef>> refs = new ArrayList<>();
      for (int i = 0; i < writers; i++) {
        int n = i;
        byte[] content = random(300_000 + n, 10 + n);
        Callable<BlobRef> put =
            () -> {
              start.await();
              return blobs.put(new ByteArrayInputStream(content), "application/x-" + n, 1 << 20);
            };
        refs.add(pool.submit(put));
      }
      start.countDown();
      Set<String> ids = new HashSet<>();
      for (int i = 0; i < writers; i++) {
        BlobRef ref = refs.get(i).get(30, TimeUnit.SECONDS);
        ids.add(ref.blobId());
        assertThat(readAll(ref.blobId())).isEqualTo(random(300_000 + i, 10 + i));
        assertThat(ref.contentType()).isEqualTo("application/x-" + i);
      }
      assertThat(ids).hasSize(writers);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void shouldDetectDamagedContentWhenReadingItToTheEnd() throws Exception {
    byte[] content = random(SEVERAL_CHUNKS, 4);
    BlobRef ref = blobs.put(new ByteArrayInputStream(content), "application/pdf", SEVERAL_CHUNKS);

    damage(ref);

    assertThatThrownBy(() -> readAll(ref.blobId()))
        .isInstanceOf(BlobCorruptException.class)
        .hasMessageContaining("blob " + ref.blobId() + " is corrupt");
    assertThat(blobs.describe(ref.blobId())).contains(ref);
  }

  @Test
  void shouldDetectDamageToSmallContent() throws Exception {
    byte[] content = "abc".getBytes(StandardCharsets.UTF_8);
    BlobRef ref = blobs.put(new ByteArrayInputStream(content), "text/plain", 100);

    damage(ref);

    assertThatThrownBy(() -> readAll(ref.blobId())).isInstanceOf(BlobCorruptException.class);
  }

  // ---------------------------------------------------------------- helpers

  protected byte[] readAll(String blobId) throws IOException {
    try (InputStream in = blobs.open(blobId)) {
      return in.readAllBytes();
    }
  }

  /** Reads with single bytes, skips and odd-sized arrays mixed, as careless readers do. */
  private byte[] readInOddPieces(String blobId) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (InputStream in = blobs.open(blobId)) {
      byte[] buf = new byte[777_777];
      for (int round = 0; ; round++) {
        if (round % 3 == 0) {
          int b = in.read();
          if (b < 0) {
            break;
          }
          out.write(b);
        } else {
          int n = in.read(buf, 13, buf.length - 13);
          if (n < 0) {
            break;
          }
          out.write(buf, 13, n);
        }
      }
    }
    return out.toByteArray();
  }

  protected static byte[] random(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  protected static String sha256(byte[] content) {
    return HexFormat.of().formatHex(BlobDigest.sha256().digest(content));
  }
}
