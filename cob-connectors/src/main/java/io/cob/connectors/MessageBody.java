package io.cob.connectors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cob.engine.port.BlobRef;
import io.cob.engine.port.BlobStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The bytes of a message a connector sends to or receives from a broker, and their media type.
 *
 * <p>Sending ({@link #encode}): a text is sent as it is ({@code text/plain; charset=utf-8}); a
 * {@link BlobRef} variable sends the blob's bytes with the blob's content type; any other value
 * (context, list, number, boolean) is sent as JSON ({@code application/json}). A content type the
 * task names replaces the default one, not the encoding.
 *
 * <p>Receiving ({@link #decode}): JSON ({@code application/json}, {@code *+json}, or no content
 * type and bytes that parse as JSON) becomes the variable value; text becomes a string; anything
 * else is stored in the blob store and becomes its {@link BlobRef}.
 */
public record MessageBody(byte[] bytes, String contentType) {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  /** The largest binary answer kept as a blob. */
  private static final long MAX_BLOB_BYTES = 256L * 1024 * 1024;

  public static final String JSON_TYPE = "application/json";
  public static final String TEXT_TYPE = "text/plain; charset=utf-8";

  /**
   * The body for a task setting's value.
   *
   * @param setting the setting's name, for the error
   * @throws ConnectorException (misconfigured) when the value cannot be written as JSON or names a
   *     blob that does not exist
   */
  public static MessageBody encode(
      Object value, Optional<String> contentType, BlobStore blobs, String setting) {
    if (value == null) {
      return new MessageBody(new byte[0], contentType.orElse(null));
    }
    if (value instanceof String s) {
      return new MessageBody(s.getBytes(StandardCharsets.UTF_8), contentType.orElse(TEXT_TYPE));
    }
    Optional<BlobRef> blob = BlobRef.fromVariable(value);
    if (blob.isPresent()) {
      return new MessageBody(readBlob(blob.get(), blobs, setting), blob.get().contentType());
    }
    try {
      return new MessageBody(JSON.writeValueAsBytes(value), contentType.orElse(JSON_TYPE));
    } catch (JsonProcessingException e) {
      throw ConnectorException.misconfigured(
          "setting '" + setting + "' cannot be written as JSON: " + e.getOriginalMessage());
    }
  }

  /** The variable value for received bytes; see the class comment. */
  public static Object decode(byte[] bytes, String contentType, BlobStore blobs) {
    String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT).strip();
    boolean json = type.startsWith(JSON_TYPE) || type.matches("[^;]*\\+json\\b.*");
    if ((json || type.isEmpty()) && bytes.length > 0) {
      try {
        return JSON.readValue(bytes, Object.class);
      } catch (IOException e) {
        // Not JSON after all: taken as text below, or kept as a blob.
      }
    }
    if (json || type.isEmpty() || type.startsWith("text/")) {
      Optional<String> text = utf8(bytes);
      if (text.isPresent()) {
        return text.get();
      }
    }
    return storeBlob(bytes, contentType, blobs);
  }

  /** The value as JSON text, for logs and payloads. */
  public static String toJson(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not writable as JSON: " + e.getOriginalMessage(), e);
    }
  }

  /** The bytes parsed as a JSON object, or empty when they are anything else. */
  @SuppressWarnings("unchecked")
  public static Optional<Map<String, Object>> parseJsonObject(byte[] bytes) {
    if (bytes.length == 0) {
      return Optional.empty();
    }
    try {
      return JSON.readValue(bytes, Object.class) instanceof Map<?, ?> m
          ? Optional.of((Map<String, Object>) m)
          : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static Optional<String> utf8(byte[] bytes) {
    try {
      return Optional.of(
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes))
              .toString());
    } catch (CharacterCodingException e) {
      return Optional.empty();
    }
  }

  private static Object storeBlob(byte[] bytes, String contentType, BlobStore blobs) {
    try {
      return blobs.put(new ByteArrayInputStream(bytes), contentType, MAX_BLOB_BYTES).toVariable();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot store a binary answer as a blob", e);
    }
  }

  private static byte[] readBlob(BlobRef ref, BlobStore blobs, String setting) {
    try (InputStream in = blobs.open(ref.blobId())) {
      return in.readAllBytes();
    } catch (java.util.NoSuchElementException e) {
      throw ConnectorException.misconfigured(
          "setting '" + setting + "' refers to blob " + ref.blobId() + ", which does not exist");
    } catch (IOException e) {
      throw ConnectorException.transientFailure(
          "cannot read blob " + ref.blobId() + ": " + e.getMessage(), e);
    }
  }
}
