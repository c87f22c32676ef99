package io.cob.engine.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cob.engine.port.BlobCorruptException;
import io.cob.engine.port.BlobRef;
import io.cob.engine.port.BlobTooLargeException;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InMemoryBlobStoreTest {
  private final InMemoryBlobStore blobs = new InMemoryBlobStore();

  @Test
  void shouldKeepContentWithItsChecksumAndReadItBack() throws Exception {
    byte[] content = "hello blobs".getBytes(StandardCharsets.UTF_8);
    BlobRef ref = blobs.put(new ByteArrayInputStream(content), "text/plain", 100);

    assertThat(ref.size()).isEqualTo(content.length);
    assertThat(ref.sha256())
        .isEqualTo(HexFormat.of().formatHex(BlobDigest.sha256().digest(content)));
    assertThat(blobs.describe(ref.blobId())).contains(ref);
    try (InputStream in = blobs.open(ref.blobId())) {
      assertThat(in.readAllBytes()).isEqualTo(content);
    }
    assertThat(BlobRef.fromVariable(ref.toVariable())).contains(ref);
    assertThat(BlobRef.fromVariable(Map.of("blobId", "x"))).isEmpty();
  }

  @Test
  void shouldRefuseContentOverTheLimit() {
    assertThatThrownBy(() -> blobs.put(new ByteArrayInputStream(new byte[101]), null, 100))
        .isInstanceOf(BlobTooLargeException.class)
        .hasMessageContaining("100 bytes");
  }

  @Test
  void shouldDetectDamagedContentAtTheEndOfReading() {
    byte[] stored = "abc".getBytes(StandardCharsets.UTF_8);
    BlobRef claimed = new BlobRef("b1", "0".repeat(64), stored.length, "text/plain");
    assertThatThrownBy(
            () ->
                new VerifyingInputStream(new ByteArrayInputStream(stored), claimed).readAllBytes())
        .isInstanceOf(BlobCorruptException.class)
        .hasMessageContaining("blob b1 is corrupt");
  }
}
