package io.cob.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class MultipartTest {
  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void splitsPartsWithNamesFileNamesAndContentTypes() {
    String body =
        "preamble\r\n--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.bpmn\"\r\n"
            + "Content-Type: application/xml\r\n\r\n<a/>\r\n--b\r\nContent-Disposition: form-data; name=\"other\"\r\n\r\n"
            + "line1\r\nline2\r\n--b--\r\n";

    List<Multipart.Part> parts = Multipart.parse(bytes(body), "b");

    assertThat(parts).hasSize(2);
    assertThat(parts.get(0).name()).isEqualTo("file");
    assertThat(parts.get(0).fileName()).isEqualTo("a.bpmn");
    assertThat(parts.get(0).contentType()).isEqualTo("application/xml");
    assertThat(new String(parts.get(0).content(), StandardCharsets.UTF_8)).isEqualTo("<a/>");
    assertThat(parts.get(1).fileName()).isNull();
    assertThat(new String(parts.get(1).content(), StandardCharsets.UTF_8))
        .isEqualTo("line1\r\nline2");
  }

  @Test
  void readsQuotedAndPlainBoundaries() {
    assertThat(Multipart.boundary("multipart/form-data; boundary=\"x y\"")).isEqualTo("x y");
    assertThat(Multipart.boundary("multipart/form-data;boundary=abc")).isEqualTo("abc");
    assertThatThrownBy(() -> Multipart.boundary("multipart/form-data"))
        .hasMessageContaining("no boundary");
  }

  @Test
  void namesWhatIsMalformed() {
    assertThatThrownBy(() -> Multipart.parse(bytes("nothing"), "b"))
        .hasMessageContaining("does not contain");
    assertThatThrownBy(
            () ->
                Multipart.parse(
                    bytes("--b\r\nContent-Disposition: form-data\r\n\r\nunclosed"), "b"))
        .hasMessageContaining("part 1")
        .hasMessageContaining("not closed");
  }
}
