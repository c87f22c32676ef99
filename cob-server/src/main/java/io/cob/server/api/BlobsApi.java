package io.cob.server.api;

import io.cob.engine.port.BlobRef;
import io.cob.engine.port.BlobStore;
import io.cob.engine.port.BlobTooLargeException;
import io.cob.server.http.Call;
import io.cob.server.http.Reply;
import io.cob.server.http.Router;
import io.cob.server.problem.ProblemException;
import io.cob.server.problem.Problems;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Blobs (claim checks) over HTTP: upload binary content once, pass its reference {@code {blobId,
 * sha256, size, contentType}} through process variables, download it where it is needed.
 *
 * <ul>
 *   <li>{@code POST /blobs}: the body is the content, streamed into the store chunk by chunk (never
 *       held whole); its {@code Content-Type} is kept; {@code ?filename=} is echoed in the answer
 *       so that the answer can serve as a mail attachment as it is. Over {@code blobs.maxBytes}:
 *       413, before reading when {@code Content-Length} says so. 201 with the reference and {@code
 *       Location}.
 *   <li>{@code GET /blobs/{id}}: the content with its {@code Content-Type}, {@code Content-Length},
 *       {@code ETag} (the SHA-256 in hex) and {@code Repr-Digest}/{@code Digest}; 304 for a
 *       matching {@code If-None-Match}.
 *   <li>{@code GET /blobs/{id}/meta}: the reference.
 * </ul>
 *
 * <p><b>Damaged content is never delivered as good.</b> The store verifies the SHA-256 when its
 * stream ends, after the headers went out. So the download holds back the last block it has read
 * until the end of the content has been verified: when the check fails, that block is never sent,
 * the response is aborted short of its {@code Content-Length}, and the client sees a broken
 * transfer (and can check {@code Repr-Digest} in any case). The content is read once.
 */
public final class BlobsApi {
  private static final Logger LOG = LoggerFactory.getLogger(BlobsApi.class);
  private static final int BLOCK = 64 * 1024;

  private final BlobStore blobs;
  private final long maxBytes;

  /**
   * @param maxBytes the largest blob accepted ({@code blobs.maxBytes})
   */
  public BlobsApi(BlobStore blobs, long maxBytes) {
    this.blobs = blobs;
    this.maxBytes = maxBytes;
  }

  public void register(Router r) {
    r.add("POST", "/api/v1/blobs", maxBytes, this::upload);
    r.get("/api/v1/blobs/{id}", this::download);
    r.get("/api/v1/blobs/{id}/meta", this::meta);
  }

  Reply upload(Call call) throws IOException {
    call.allowQuery("filename");
    String filename = filename(call.query("filename"));
    String contentType = contentType(call.header("Content-Type"));
    BlobRef ref;
    try (InputStream in = call.bodyStream()) {
      ref = blobs.put(in, contentType, maxBytes);
    } catch (BlobTooLargeException e) {
      throw new ProblemException(
          413,
          Problems.TYPE_TOO_LARGE,
          "Payload too large",
          "the blob is larger than the limit of " + maxBytes + " bytes (blobs.maxBytes)",
          List.of());
    } catch (IOException e) {
      throw ProblemException.invalid(
          "", "the body could not be read to its end; nothing was kept: " + e.getMessage());
    }
    LOG.info(
        "event=blob_stored blob={} size={} contentType={}",
        ref.blobId(),
        ref.size(),
        ref.contentType());
    Map<String, Object> answer = new LinkedHashMap<>(ref.toVariable());
    if (filename != null) {
      answer.put("filename", filename);
    }
    return Reply.json(201, answer).withHeader("Location", "/api/v1/blobs/" + ref.blobId());
  }

  Reply download(Call call) {
    call.allowQuery();
    BlobRef ref = known(call.param("id"));
    String etag = "\"" + ref.sha256() + "\"";
    if (etag.equals(call.header("If-None-Match"))) {
      return new Reply(304, null, new byte[0], Map.of()).withHeader("ETag", etag);
    }
    String digest = Base64.getEncoder().encodeToString(HexFormat.of().parseHex(ref.sha256()));
    return Reply.stream(200, ref.contentType(), ref.size(), out -> copy(ref, out))
        .withHeader("ETag", etag)
        .withHeader("Repr-Digest", "sha-256=:" + digest + ":")
        .withHeader("Digest", "sha-256=" + digest);
  }

  Reply meta(Call call) {
    call.allowQuery();
    return Reply.ok(known(call.param("id")).toVariable());
  }

  private BlobRef known(String id) {
    return blobs.describe(id).orElseThrow(() -> ProblemException.notFound("no blob " + id));
  }

  /** Copies the content, sending each block only once the next one (or the verified end) is in. */
  private void copy(BlobRef ref, OutputStream out) throws IOException {
    byte[] held = new byte[BLOCK];
    byte[] next = new byte[BLOCK];
    int heldLength = 0;
    try (InputStream in = blobs.open(ref.blobId())) {
      // readNBytes reads to -1 at the end, which is where the stream checks the SHA-256.
      for (int n; (n = in.readNBytes(next, 0, BLOCK)) > 0; ) {
        out.write(held, 0, heldLength);
        byte[] swap = held;
        held = next;
        next = swap;
        heldLength = n;
      }
    } catch (NoSuchElementException e) {
      throw new IOException("blob " + ref.blobId() + " disappeared while being read", e);
    }
    out.write(held, 0, heldLength);
  }

  private static String contentType(String header) {
    if (header == null || header.isBlank()) {
      return "application/octet-stream";
    }
    String type = header.strip();
    if (type.length() > 200 || !type.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+/[^\\p{Cntrl}]+")) {
      throw ProblemException.invalid(
          "Content-Type",
          "the Content-Type '"
              + type
              + "' is not a media type such as application/pdf (at most 200 characters)");
    }
    return type;
  }

  private static String filename(String name) {
    if (name == null) {
      return null;
    }
    if (name.length() > 255 || !name.matches("[^/\\\\\\p{Cntrl}]+")) {
      throw ProblemException.invalid(
          "filename",
          "query parameter 'filename' must be a file name without '/', '\\' or control characters,"
              + " at most 255 characters");
    }
    return name;
  }
}
