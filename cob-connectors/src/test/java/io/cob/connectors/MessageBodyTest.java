package io.cob.connectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cob.engine.blob.InMemoryBlobStore;
import io.cob.engine.port.BlobRef;
import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MessageBodyTest {
  private final InMemoryBlobStore blobs = new InMemoryBlobStore();

  private static String text(MessageBody b) {
    return new String(b.bytes(), StandardCharsets.UTF_8);
  }

  @Test
  void shouldSendTextAsItIsAndEverythingElseAsJson() {
    MessageBody text = MessageBody.encode("ON", Optional.empty(), blobs, "body");
    assertThat(text(text)).isEqualTo("ON");
    assertThat(text.contentType()).isEqualTo("text/plain; charset=utf-8");

    MessageBody json =
        MessageBody.encode(
            Map.of("items", List.of(1L, new BigDecimal("2.5"))), Optional.empty(), blobs, "body");
    assertThat(text(json)).isEqualTo("{\"items\":[1,2.5]}");
    assertThat(json.contentType()).isEqualTo("application/json");

    assertThat(MessageBody.encode(true, Optional.of("application/vnd.x+json"), blobs, "body"))
        .satisfies(b -> assertThat(text(b)).isEqualTo("true"))
        .satisfies(b -> assertThat(b.contentType()).isEqualTo("application/vnd.x+json"));
  }

  @Test
  void shouldSendTheBytesOfABlobReference() throws Exception {
    BlobRef ref = blobs.put(new ByteArrayInputStream(new byte[] {1, 2, 3}), "application/pdf", 100);
    MessageBody b = MessageBody.encode(ref.toVariable(), Optional.empty(), blobs, "body");
    assertThat(b.bytes()).containsExactly(1, 2, 3);
    assertThat(b.contentType()).isEqualTo("application/pdf");
  }

  @Test
  void shouldNameABlobThatDoesNotExist() {
    Map<String, Object> missing =
        new BlobRef("nope", "0".repeat(64), 3, "application/pdf").toVariable();
    assertThatThrownBy(() -> MessageBody.encode(missing, Optional.empty(), blobs, "body"))
        .hasMessageContaining("setting 'body' refers to blob nope");
  }

  @Test
  void shouldReadJsonTextAndKeepBinaryContentAsABlob() {
    byte[] json = "{\"a\": [1, 2.5]}".getBytes(StandardCharsets.UTF_8);
    assertThat(MessageBody.decode(json, "application/json", blobs))
        .isEqualTo(Map.of("a", List.of(1, new BigDecimal("2.5"))));
    assertThat(MessageBody.decode(json, null, blobs)).isInstanceOf(Map.class);
    assertThat(MessageBody.decode("not json".getBytes(StandardCharsets.UTF_8), null, blobs))
        .isEqualTo("not json");
    assertThat(
            MessageBody.decode("{\"a\":1}".getBytes(StandardCharsets.UTF_8), "text/plain", blobs))
        .isEqualTo("{\"a\":1}");

    Object binary = MessageBody.decode(new byte[] {(byte) 0xff, 0}, "image/png", blobs);
    assertThat(BlobRef.fromVariable(binary))
        .hasValueSatisfying(r -> assertThat(r.contentType()).isEqualTo("image/png"));
  }
}
