package io.cob.connectors.http;

import static io.cob.connectors.http.HttpHarness.task;
import static io.cob.engine.TestModels.process;
import static org.assertj.core.api.Assertions.assertThat;

import io.cob.connectors.http.TestServer.Response;
import io.cob.engine.EngineHarness.Instance;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TLS with a trust store of the test's own CA, and mutual TLS with a client certificate. */
class HttpConnectorTlsTest {
  @TempDir static Path dir;
  static TestPki pki;

  private TestServer server;
  private HttpHarness h;

  @BeforeAll
  static void makeCertificates() throws Exception {
    pki = TestPki.create(dir);
  }

  @AfterEach
  void stop() {
    if (h != null) {
      h.close();
    }
    if (server != null) {
      server.close();
    }
  }

  /** The TLS settings come from the instance's variables through the task's input mapping. */
  private static final String TLS_INPUTS_AND_OUTPUT =
      "<zeebe:ioMapping>"
          + "<zeebe:input source=\"=trustStore\" target=\"trustStore\"/>"
          + "<zeebe:input source=\"=trustStorePassword\" target=\"trustStorePassword\"/>"
          + "<zeebe:input source=\"=keyStore\" target=\"keyStore\"/>"
          + "<zeebe:input source=\"=keyStorePassword\" target=\"keyStorePassword\"/>"
          + "<zeebe:output source=\"=body.hello\" target=\"hello\"/>"
          + "</zeebe:ioMapping>";

  private static String model(String url) {
    return process(
        "p",
        "<startEvent id=\"s\"/>"
            + task("call", 1, Map.of("url", url), TLS_INPUTS_AND_OUTPUT)
            + "<endEvent id=\"e\"/>",
        "s->call",
        "call->e");
  }

  private Instance start(Map<String, Object> variables) {
    return h.engine.start("p", variables);
  }

  @Test
  void shouldCallAServerThatRequiresAClientCertificateOnlyWithTheKeyStore() throws Exception {
    server = TestServer.https(pki.serverContext, true);
    server.on("/mtls", req -> Response.json(200, "{\"hello\": \"client\"}"));
    h = new HttpHarness(Map.of("KS_PASSWORD", TestPki.PASSWORD), Map.of());
    h.engine.deploy(model(server.url("/mtls")));
    Map<String, Object> trust = new LinkedHashMap<>();
    trust.put("trustStore", pki.caTrustStore.toString());
    trust.put("trustStorePassword", TestPki.PASSWORD);

    Instance without = start(trust);

    assertThat(without.status()).isEqualTo("ACTIVE");
    assertThat(without.incidents().getFirst().message())
        .startsWith("http task 'call': GET " + server.url("/mtls"))
        .contains("keyStore");

    Map<String, Object> mutual = new LinkedHashMap<>(trust);
    mutual.put("keyStore", pki.clientKeyStore.toString());
    mutual.put("keyStorePassword", "{{secrets.KS_PASSWORD}}");
    Instance with = start(mutual);

    assertThat(with.status()).isEqualTo("COMPLETED");
    assertThat(with.variables()).containsEntry("hello", "client");
  }

  @Test
  void shouldTakeTheTrustStoreFromTheNodeSettings() throws Exception {
    server = TestServer.https(pki.serverContext, false);
    server.on("/tls", req -> Response.json(200, "{\"hello\": \"node\"}"));
    h =
        new HttpHarness(
            Map.of(),
            Map.of(
                "trustStore",
                pki.caTrustStore.toString(),
                "trustStorePassword",
                TestPki.PASSWORD,
                "trustStoreType",
                "pkcs12"));
    h.engine.deploy(model(server.url("/tls")));

    Instance i = start(Map.of());

    assertThat(i.status()).isEqualTo("COMPLETED");
    assertThat(i.variables()).containsEntry("hello", "node");
  }

  @Test
  void shouldNotTrustAServerWhoseCaIsNotInTheTrustStore() throws Exception {
    server = TestServer.https(pki.serverContext, false);
    server.on("/tls", req -> Response.json(200, "{}"));
    h = new HttpHarness();
    h.engine.deploy(model(server.url("/tls")));

    Instance i = start(Map.of());

    assertThat(i.incidents().getFirst().message()).contains("TLS failed").contains("trustStore");
    assertThat(server.requests()).isEmpty();
  }

  @Test
  void shouldNameAWrongKeyStorePassword() throws Exception {
    server = TestServer.https(pki.serverContext, true);
    h = new HttpHarness();
    h.engine.deploy(model(server.url("/mtls")));

    Instance i =
        start(Map.of("keyStore", pki.clientKeyStore.toString(), "keyStorePassword", "wrong"));

    assertThat(i.incidents().getFirst().message())
        .contains("setting 'keyStore': cannot read PKCS12 key store")
        .contains("client.p12");
  }
}
