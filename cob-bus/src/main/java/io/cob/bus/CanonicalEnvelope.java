package io.cob.bus;

import io.cob.engine.port.bus.Envelope;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The byte encoding of an envelope that its signature covers: every field except the signature, in
 * a fixed order, each one length-prefixed so that no two different envelopes encode alike (moving a
 * character from one field to the next changes the bytes).
 *
 * <pre>
 * str("cob.envelope.v1")
 * str(messageId) str(type) str(sourceCloud) str(targetCloud) str(instanceId)
 * i64(epoch) str(tenant) str(traceparent) i64(sentAt, epoch milliseconds)
 * i32(number of headers) { str(name) str(value) }  -- sorted by name
 * i32(payload length) payload
 *
 * str(s) = i32(-1) for null, else i32(length of UTF-8 bytes) followed by them; big-endian
 * </pre>
 *
 * A new field or a changed order is a new version tag, never a silent change.
 */
final class CanonicalEnvelope {
  static final String VERSION = "cob.envelope.v1";

  private CanonicalEnvelope() {}

  /** The encoding of every field but the payload; the payload follows it (see class comment). */
  static byte[] head(Envelope e) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      text(out, VERSION);
      text(out, e.messageId());
      text(out, e.type());
      text(out, e.sourceCloud());
      text(out, e.targetCloud());
      text(out, e.instanceId());
      out.writeLong(e.epoch());
      text(out, e.tenant());
      text(out, e.traceparent());
      out.writeLong(e.sentAt().toEpochMilli());
      // Envelope keeps its headers sorted by name; iterate in that order.
      out.writeInt(e.headers().size());
      for (Map.Entry<String, String> h : e.headers().entrySet()) {
        text(out, h.getKey());
        text(out, h.getValue());
      }
      out.writeInt(e.payloadSize());
    } catch (IOException impossible) {
      throw new UncheckedIOException(impossible);
    }
    return bytes.toByteArray();
  }

  private static void text(DataOutputStream out, String s) throws IOException {
    if (s == null) {
      out.writeInt(-1);
      return;
    }
    byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(utf8.length);
    out.write(utf8);
  }
}
