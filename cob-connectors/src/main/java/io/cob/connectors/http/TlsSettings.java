package io.cob.connectors.http;

import io.cob.connectors.ConnectorException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Instant;
import java.util.Locale;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The TLS material of a call: whom to trust ({@code trustStore}) and which certificate to show
 * ({@code keyStore}, for mutual TLS). Stores are PKCS12 or JKS, by their {@code type} or else by
 * the file's extension ({@code .jks} is JKS, anything else PKCS12). Without a trust store the JDK's
 * default trust applies.
 *
 * <p>The files' modification times are part of the value, so a rotated certificate gives a new
 * value and therefore a new client (clients are cached per value).
 */
record TlsSettings(
    Path trustStore,
    String trustStoreType,
    String trustStorePassword,
    Instant trustStoreModified,
    Path keyStore,
    String keyStoreType,
    String keyStorePassword,
    Instant keyStoreModified) {

  static final TlsSettings DEFAULT =
      new TlsSettings(null, null, null, null, null, null, null, null);

  static TlsSettings read(HttpSettings s) {
    Path trust = s.optionalString("trustStore").map(Path::of).orElse(null);
    Path key = s.optionalString("keyStore").map(Path::of).orElse(null);
    if (trust == null && key == null) {
      return DEFAULT;
    }
    return new TlsSettings(
        trust,
        trust == null ? null : type(trust, s.optionalString("trustStoreType").orElse(null)),
        s.optionalString("trustStorePassword").orElse(null),
        modified(trust, "trustStore"),
        key,
        key == null ? null : type(key, s.optionalString("keyStoreType").orElse(null)),
        s.optionalString("keyStorePassword").orElse(null),
        modified(key, "keyStore"));
  }

  boolean isDefault() {
    return trustStore == null && keyStore == null;
  }

  /** The SSL context for these settings; reads the stores. */
  SSLContext sslContext() {
    try {
      TrustManagerFactory tmf = null;
      if (trustStore != null) {
        tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(load(trustStore, trustStoreType, trustStorePassword, "trustStore"));
      }
      KeyManagerFactory kmf = null;
      if (keyStore != null) {
        kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        char[] pw = keyStorePassword == null ? new char[0] : keyStorePassword.toCharArray();
        kmf.init(load(keyStore, keyStoreType, keyStorePassword, "keyStore"), pw);
      }
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(
          kmf == null ? null : kmf.getKeyManagers(),
          tmf == null ? null : tmf.getTrustManagers(),
          null);
      return ctx;
    } catch (GeneralSecurityException e) {
      throw ConnectorException.misconfigured(
          "the TLS settings (trustStore, keyStore) cannot be used: " + e.getMessage());
    }
  }

  private static KeyStore load(Path file, String type, String password, String setting) {
    try (InputStream in = Files.newInputStream(file)) {
      KeyStore ks = KeyStore.getInstance(type);
      ks.load(in, password == null ? null : password.toCharArray());
      return ks;
    } catch (IOException | GeneralSecurityException e) {
      throw ConnectorException.misconfigured(
          "setting '"
              + setting
              + "': cannot read "
              + type
              + " key store "
              + file
              + " (wrong password or type?): "
              + e.getMessage());
    }
  }

  private static String type(Path file, String given) {
    if (given != null) {
      String t = given.strip().toUpperCase(Locale.ROOT);
      if (!t.equals("PKCS12") && !t.equals("JKS")) {
        throw ConnectorException.misconfigured(
            "key store type must be PKCS12 or JKS, not '" + given + "'");
      }
      return t;
    }
    return file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".jks")
        ? "JKS"
        : "PKCS12";
  }

  private static Instant modified(Path file, String setting) {
    if (file == null) {
      return null;
    }
    try {
      return Files.getLastModifiedTime(file).toInstant();
    } catch (NoSuchFileException e) {
      throw ConnectorException.misconfigured(
          "setting '" + setting + "': the file " + file + " does not exist");
    } catch (IOException e) {
      throw ConnectorException.misconfigured(
          "setting '" + setting + "': cannot read " + file + ": " + e.getMessage());
    }
  }

  @Override
  public String toString() {
    return "TlsSettings[trustStore=" + trustStore + ", keyStore=" + keyStore + "]";
  }
}
