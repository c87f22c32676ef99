package io.cob.connectors.http;

import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throw-away certificate authority made at test time: a CA, a server certificate for 127.0.0.1
 * and localhost, and a client certificate, written as PKCS12 files with password {@link #PASSWORD}.
 * Nothing secret is kept in the repository.
 */
final class TestPki {
  static final String PASSWORD = "changeit";

  final Path caTrustStore;
  final Path clientKeyStore;
  final SSLContext serverContext;

  private TestPki(Path caTrustStore, Path clientKeyStore, SSLContext serverContext) {
    this.caTrustStore = caTrustStore;
    this.clientKeyStore = clientKeyStore;
    this.serverContext = serverContext;
  }

  static TestPki create(Path dir) throws Exception {
    KeyPair ca = keyPair();
    X509Certificate caCert = certificate("CN=cob test CA", ca, "CN=cob test CA", ca, true, null);
    KeyPair server = keyPair();
    X509Certificate serverCert =
        certificate(
            "CN=127.0.0.1", server, "CN=cob test CA", ca, false, KeyPurposeId.id_kp_serverAuth);
    KeyPair client = keyPair();
    X509Certificate clientCert =
        certificate(
            "CN=cob client", client, "CN=cob test CA", ca, false, KeyPurposeId.id_kp_clientAuth);

    KeyStore trust = emptyStore();
    trust.setCertificateEntry("ca", caCert);
    Path trustFile = write(trust, dir.resolve("ca-trust.p12"));
    Path clientFile =
        write(keyStore(client.getPrivate(), clientCert, caCert), dir.resolve("client.p12"));

    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(keyStore(server.getPrivate(), serverCert, caCert), PASSWORD.toCharArray());
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    return new TestPki(trustFile, clientFile, ctx);
  }

  private static KeyPair keyPair() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    return g.generateKeyPair();
  }

  private static X509Certificate certificate(
      String subject,
      KeyPair subjectKeys,
      String issuer,
      KeyPair issuerKeys,
      boolean isCa,
      KeyPurposeId purpose)
      throws Exception {
    Instant now = Instant.now();
    X509v3CertificateBuilder b =
        new JcaX509v3CertificateBuilder(
            new X500Name(issuer),
            BigInteger.valueOf(now.toEpochMilli())
                .add(BigInteger.valueOf(System.nanoTime() & 0xffff)),
            Date.from(now.minus(Duration.ofHours(1))),
            Date.from(now.plus(Duration.ofDays(1))),
            new X500Name(subject),
            subjectKeys.getPublic());
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
    if (isCa) {
      b.addExtension(
          Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    } else {
      b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
      b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
      if (purpose == KeyPurposeId.id_kp_serverAuth) {
        b.addExtension(
            Extension.subjectAlternativeName,
            false,
            new GeneralNames(
                new GeneralName[] {
                  new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                  new GeneralName(GeneralName.dNSName, "localhost")
                }));
      }
    }
    return new JcaX509CertificateConverter()
        .getCertificate(
            b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate())));
  }

  private static KeyStore emptyStore() throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    return ks;
  }

  private static KeyStore keyStore(PrivateKey key, X509Certificate cert, X509Certificate ca)
      throws Exception {
    KeyStore ks = emptyStore();
    ks.setKeyEntry("key", key, PASSWORD.toCharArray(), new X509Certificate[] {cert, ca});
    return ks;
  }

  private static Path write(KeyStore ks, Path file) throws Exception {
    try (OutputStream out = Files.newOutputStream(file)) {
      ks.store(out, PASSWORD.toCharArray());
    }
    return file;
  }
}
