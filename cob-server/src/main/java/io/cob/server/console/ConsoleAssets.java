package io.cob.server.console;

import io.cob.server.http.Call;
import io.cob.server.http.Reply;
import io.cob.server.http.Router;
import io.cob.server.problem.ProblemException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web console's files (module {@code cob-console}), served at {@code /}: {@code index.html} for
 * {@code /}, and the bundles under {@code /assets/}, whose names carry a hash of their content.
 *
 * <p>The files are read from the class path once, at start, by the list the console build writes
 * ({@value #LIST}), and kept in memory with a gzip copy of the compressible ones. Answers carry an
 * {@code ETag} (a {@code 304} answers a matching {@code If-None-Match}); hashed assets may be kept
 * by browsers for a year ({@code immutable}), {@code index.html} is revalidated on every load, so a
 * new build is picked up at once. {@code index.html} carries a content security policy allowing
 * nothing but this node. Immutable after construction, hence thread-safe.
 */
public final class ConsoleAssets {
  private static final Logger LOG = LoggerFactory.getLogger(ConsoleAssets.class);

  /** Where the console build puts the files inside the {@code cob-console} jar. */
  public static final String ROOT = "META-INF/resources/cob-console/";

  /** The file listing every other file, one path relative to {@link #ROOT} per line. */
  public static final String LIST = "assets.txt";

  static final String CACHE_IMMUTABLE = "public, max-age=31536000, immutable";
  static final String CACHE_REVALIDATE = "no-cache";
  static final String CACHE_SHORT = "public, max-age=3600";

  /**
   * Only this node: bpmn-js sets style attributes on SVG elements, hence inline styles; its
   * watermark is a data: image.
   */
  static final String CONTENT_SECURITY_POLICY =
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline';"
          + " img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self';"
          + " form-action 'self'; frame-ancestors 'none'";

  private static final int GZIP_MIN_BYTES = 1024;

  /** One file, ready to send. {@code gzipped} is {@code null} when compressing does not pay. */
  record Asset(String contentType, byte[] body, byte[] gzipped, String etag, String cacheControl) {}

  private final Map<String, Asset> files;

  ConsoleAssets(Map<String, byte[]> contents) {
    Map<String, Asset> out = new LinkedHashMap<>();
    contents.forEach((path, body) -> out.put(path, asset(path, body)));
    this.files = Map.copyOf(out);
  }

  /**
   * The console as the class path holds it, or empty when this build has no console (the node then
   * answers 404 at {@code /}).
   *
   * @throws UncheckedIOException when a listed file is missing or unreadable (a broken build)
   */
  public static Optional<ConsoleAssets> fromClasspath(ClassLoader loader) {
    byte[] list = read(loader, LIST);
    if (list == null) {
      LOG.warn("event=console_missing resource={}{}", ROOT, LIST);
      return Optional.empty();
    }
    Map<String, byte[]> contents = new LinkedHashMap<>();
    for (String line : new String(list, StandardCharsets.UTF_8).split("\n")) {
      String path = line.strip();
      if (path.isEmpty()) {
        continue;
      }
      byte[] body = read(loader, path);
      if (body == null) {
        throw new UncheckedIOException(
            new IOException(
                "console file " + ROOT + path + " is listed but not on the class path"));
      }
      contents.put(path, body);
    }
    LOG.info("event=console_loaded files={}", contents.size());
    return Optional.of(new ConsoleAssets(contents));
  }

  /** Serves the files for every GET and HEAD that no API route takes. */
  public void register(Router r) {
    r.fallback(this::serve);
  }

  /** The relative paths served (for tests). */
  public List<String> paths() {
    return List.copyOf(files.keySet());
  }

  Reply serve(Call call) {
    String path = call.path();
    String name = path.equals("/") ? "index.html" : path.substring(1);
    Asset a = files.get(name);
    if (a == null) {
      throw ProblemException.notFound("no endpoint or console file at " + path);
    }
    boolean gzip = a.gzipped() != null && acceptsGzip(call.header("Accept-Encoding"));
    String etag = gzip ? a.etag().replaceFirst("\"$", "-gz\"") : a.etag();
    Reply reply;
    if (matches(call.header("If-None-Match"), etag)) {
      reply = new Reply(304, null, new byte[0], Map.of());
    } else {
      reply = new Reply(200, a.contentType(), gzip ? a.gzipped() : a.body(), Map.of());
      if (gzip) {
        reply = reply.withHeader("Content-Encoding", "gzip");
      }
    }
    reply =
        reply
            .withHeader("ETag", etag)
            .withHeader("Cache-Control", a.cacheControl())
            .withHeader("X-Content-Type-Options", "nosniff");
    if (a.gzipped() != null) {
      reply = reply.withHeader("Vary", "Accept-Encoding");
    }
    if (name.endsWith(".html")) {
      reply =
          reply
              .withHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY)
              .withHeader("Referrer-Policy", "same-origin");
    }
    return reply;
  }

  private static Asset asset(String path, byte[] body) {
    String type = contentType(path);
    boolean compressible =
        body.length >= GZIP_MIN_BYTES
            && (type.startsWith("text/") || type.contains("json") || type.contains("svg"));
    String cache =
        path.startsWith("assets/")
            ? CACHE_IMMUTABLE
            : path.endsWith(".html") ? CACHE_REVALIDATE : CACHE_SHORT;
    return new Asset(type, body, compressible ? gzip(body) : null, etag(body), cache);
  }

  /** By file extension; anything unknown is sent as bytes. */
  static String contentType(String path) {
    String ext = path.substring(path.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
    return switch (ext) {
      case "html" -> "text/html; charset=utf-8";
      case "js", "mjs" -> "text/javascript; charset=utf-8";
      case "css" -> "text/css; charset=utf-8";
      case "svg" -> "image/svg+xml";
      case "json", "map" -> "application/json";
      case "txt" -> "text/plain; charset=utf-8";
      case "png" -> "image/png";
      case "woff2" -> "font/woff2";
      case "woff" -> "font/woff";
      default -> "application/octet-stream";
    };
  }

  /** Whether {@code Accept-Encoding} allows gzip (listed, or {@code *}, without {@code q=0}). */
  static boolean acceptsGzip(String acceptEncoding) {
    if (acceptEncoding == null) {
      return false;
    }
    for (String item : acceptEncoding.split(",")) {
      String[] parts = item.trim().split(";");
      String coding = parts[0].trim().toLowerCase(Locale.ROOT);
      if (coding.equals("gzip") || coding.equals("*")) {
        for (int i = 1; i < parts.length; i++) {
          String p = parts[i].replace(" ", "");
          if (p.matches("q=0(\\.0*)?")) {
            return false;
          }
        }
        return true;
      }
    }
    return false;
  }

  /** Whether {@code If-None-Match} names the tag (weak comparison, as RFC 9110 asks for GET). */
  static boolean matches(String ifNoneMatch, String etag) {
    if (ifNoneMatch == null) {
      return false;
    }
    for (String candidate : ifNoneMatch.split(",")) {
      String c = candidate.trim();
      if (c.equals("*") || c.replaceFirst("^W/", "").equals(etag)) {
        return true;
      }
    }
    return false;
  }

  private static String etag(byte[] body) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(body);
      return "\"" + HexFormat.of().formatHex(digest, 0, 12) + "\"";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  private static byte[] gzip(byte[] body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(body.length / 3);
    try (GZIPOutputStream z = new GZIPOutputStream(out)) {
      z.write(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static byte[] read(ClassLoader loader, String path) {
    try (InputStream in = loader.getResourceAsStream(ROOT + path)) {
      return in == null ? null : in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read console file " + ROOT + path, e);
    }
  }
}
