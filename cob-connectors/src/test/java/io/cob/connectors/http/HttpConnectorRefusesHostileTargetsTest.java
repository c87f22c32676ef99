package io.cob.connectors.http;

import static io.cob.connectors.http.HttpHarness.task;
import static io.cob.engine.TestModels.process;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cob.connectors.ConnectorException;
import io.cob.connectors.http.TestServer.Response;
import io.cob.engine.EngineHarness.Instance;
import java.net.InetAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Variables an attacker can shape (a URL, a header value) and answers of a service (a redirect)
 * must not turn the http connector against the node's own network: URLs that resolve to loopback,
 * link-local (cloud metadata), private or reserved addresses are refused unless {@code
 * connectors.http.allowedHosts} allows them, and header values with line breaks are refused. Each
 * refusal is an incident that names what was wrong; the test server records that nothing arrived.
 */
class HttpConnectorRefusesHostileTargetsTest {
  private final TestServer server;
  private HttpHarness h;

  HttpConnectorRefusesHostileTargetsTest() throws Exception {
    server = TestServer.http();
    for (String path : List.of("/ok", "/h", "/internal/admin")) {
      server.on(path, req -> Response.json(200, "{\"ok\":true}"));
    }
  }

  @AfterEach
  void stop() {
    if (h != null) {
      h.close();
    }
    server.close();
  }

  private Instance run(Map<String, Object> nodeSettings, Map<String, Object> variables) {
    h = new HttpHarness(Map.of(), nodeSettings);
    h.engine.deploy(
        process(
            "p",
            "<startEvent id=\"s\"/>"
                + task("call", 1, Map.of("url", "=target", "headers", "=headers"), "")
                + "<endEvent id=\"e\"/>",
            "s->call",
            "call->e"));
    return h.engine.start("p", variables);
  }

  private static Map<String, Object> call(String url) {
    return Map.of("target", url, "headers", Map.of());
  }

  private static String incident(Instance i) {
    assertThat(i.incidents()).as(() -> i.status() + " " + i.history()).hasSize(1);
    return i.incidents().getFirst().message();
  }

  @Test
  void shouldAllowOnlyLoopbackWithoutTheSetting() {
    assertThat(run(Map.of(), call(server.url("/ok"))).status()).isEqualTo("COMPLETED");
    h.close();
    h = null;
    assertThat(incident(run(Map.of(), call("http://169.254.169.254/latest/meta-data/"))))
        .contains("resolves to 169.254.169.254, a link-local (cloud metadata) address");
  }

  @Test
  void shouldRefuseLoopbackWhenAllowedHostsIsEmptyWithoutCallingIt() {
    String url = server.url("/internal/admin");

    Instance i = run(Map.of(OutboundPolicy.SETTING, List.of()), call(url));

    assertThat(incident(i))
        .isEqualTo(
            "http task 'call': setting 'url': the host '127.0.0.1' resolves to 127.0.0.1, a"
                + " loopback address; calls to loopback, link-local, private and reserved addresses"
                + " are refused unless connectors.http.allowedHosts in cob.yaml allows the host");
    assertThat(server.requests("/internal/admin")).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://169.254.169.254/latest/meta-data/",
        "http://[fe80::1]/",
        "http://10.1.2.3/",
        "http://172.16.0.1/",
        "http://192.168.1.1/",
        "http://100.64.0.1/",
        "http://0.0.0.0/",
        "http://[::1]/",
        "http://[fd00::1]/",
        "http://[::ffff:169.254.169.254]/",
        "http://[64:ff9b::a9fe:a9fe]/",
        "http://2130706433/"
      })
  void shouldRefuseInternalAddressesOfEveryKindWithoutConnecting(String url) {
    Instance i = run(Map.of(OutboundPolicy.SETTING, List.of()), call(url));

    assertThat(incident(i))
        .startsWith("http task 'call': setting 'url': the host '")
        .contains("address; calls to loopback, link-local, private and reserved addresses are");
  }

  @Test
  void shouldCallAHostThatAllowedHostsNamesOrAnAllowedRangeHolds() {
    for (Object allowed : List.of("127.0.0.1", "127.0.0.0/8", List.of("localhost", "127.0.0.1"))) {
      Instance i = run(Map.of(OutboundPolicy.SETTING, allowed), call(server.url("/ok")));
      assertThat(i.status()).as(() -> allowed + ": " + i.incidents()).isEqualTo("COMPLETED");
      h.close();
      h = null;
    }
    assertThat(server.requests("/ok")).hasSize(3);
  }

  @Test
  void shouldRefuseARedirectToAnInternalAddressWithoutFollowingIt() {
    // The service itself is allowed; where it redirects to is not.
    server.on(
        "/go",
        req ->
            new Response(
                302, Map.of("Location", "http://169.254.169.254/latest/meta-data/"), new byte[0]));

    Instance i = run(Map.of(OutboundPolicy.SETTING, List.of("127.0.0.1")), call(server.url("/go")));

    assertThat(incident(i))
        .isEqualTo(
            "http task 'call': redirect: the host '169.254.169.254' resolves to 169.254.169.254,"
                + " a link-local (cloud metadata) address; calls to loopback, link-local, private"
                + " and reserved addresses are refused unless connectors.http.allowedHosts in"
                + " cob.yaml allows the host");
  }

  @Test
  void shouldFollowARedirectToAnAllowedTarget() {
    server.on("/old", req -> new Response(301, Map.of("Location", "/new"), new byte[0]));
    server.on("/new", req -> Response.json(200, "{\"moved\":true}"));

    Instance i =
        run(Map.of(OutboundPolicy.SETTING, List.of("127.0.0.1")), call(server.url("/old")));

    assertThat(i.status()).as(() -> i.incidents().toString()).isEqualTo("COMPLETED");
    assertThat(server.requests("/new")).hasSize(1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"a\r\nX-Injected: yes", "a\nb", "a\rb", "a\u0000b", "a\u001bb"})
  void shouldRefuseHeaderValuesWithLineBreaksOrControlCharacters(String value) {
    Instance i =
        run(Map.of(), Map.of("target", server.url("/h"), "headers", Map.of("X-Note", value)));

    assertThat(incident(i))
        .startsWith("http task 'call': setting 'headers': the value of header 'X-Note' holds the")
        .contains("control character U+00")
        .endsWith(
            "header values must not hold line breaks or control characters (they would"
                + " forge headers)");
    assertThat(server.requests("/h")).isEmpty();
  }

  @Test
  void shouldRefuseAHeaderNameThatIsNoToken() {
    Instance i =
        run(Map.of(), Map.of("target", server.url("/h"), "headers", Map.of("X-A\r\nX-B", "v")));

    assertThat(incident(i))
        .isEqualTo(
            "http task 'call': setting 'headers': 'X-A\\u000D\\u000AX-B' is not a header name"
                + " (letters, digits and !#$%&'*+-.^_`|~ only)");
  }

  @Test
  void shouldSendAHeaderValueWithATab() {
    Instance i =
        run(
            Map.of(OutboundPolicy.SETTING, List.of("127.0.0.1")),
            Map.of("target", server.url("/h"), "headers", Map.of("X-Note", "a\tb")));

    assertThat(i.status()).as(() -> i.incidents().toString()).isEqualTo("COMPLETED");
    // The JDK's test server reads the tab as white space.
    assertThat(server.requests("/h").getFirst().header("X-Note")).matches("a[\t ]b");
  }

  @Test
  void shouldConnectToThePinnedAddressesNotToWhatTheNameResolvesToLater() throws Exception {
    // A name no DNS knows: while pinned it resolves to exactly the checked addresses, as the
    // HTTP client's own lookup will; released, it is unknown again.
    String host = "rebinding-" + System.nanoTime() + ".cob.invalid";
    List<InetAddress> checked = List.of(InetAddress.getByName("127.0.0.1"));
    try (AddressPins.Held pin = AddressPins.pin(host, checked)) {
      assertThat(InetAddress.getAllByName(host)).containsExactly(checked.getFirst());
    }
    assertThat(AddressPins.pinned(host)).isNull();
  }

  @Test
  void shouldRefuseAnAllowedHostsEntryThatIsNeitherNameNorAddress() {
    assertThatThrownBy(
            () -> OutboundPolicy.of(Map.of(OutboundPolicy.SETTING, List.of("http://x/"))))
        .isInstanceOf(ConnectorException.class)
        .hasMessage(
            "node setting connectors.http.allowedHosts: 'http://x/' is neither a host name, a"
                + " *.domain wildcard, an IP address nor a range");
    assertThat(
            OutboundPolicy.of(Map.of(OutboundPolicy.SETTING, List.of("*.internal.example")))
                .resolve(URI.create("http://8.8.8.8/"), "url"))
        .hasSize(1);
  }
}
