package io.cob.connectors.xml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

/**
 * Hostile XML in what connectors read (service answers, SOAP responses, request templates,
 * stylesheets): each is refused with an {@link XmlException} naming the input, and nothing outside
 * it is read. A local HTTP server stands for the network and records every request; {@code
 * /etc/passwd} stands for the file system.
 */
class RefusesHostileXmlTest {
  private static final String WHAT = "the answer of http://crm.example/soap (HTTP 200)";
  private static final String DOCTYPE_REFUSED =
      WHAT
          + " contains a DOCTYPE declaration, which is refused: DTDs and entities are never"
          + " processed (XXE protection)";

  private HttpServer server;
  private final List<String> fetched = new CopyOnWriteArrayList<>();

  @BeforeEach
  void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          fetched.add(exchange.getRequestURI().toString());
          byte[] body =
              "<x xmlns:xsl=\"http://www.w3.org/1999/XSL/Transform\">FETCHED</x>"
                  .getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
  }

  private String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  private static Document parse(String xml) {
    return Assertions.assertTimeoutPreemptively(
        Duration.ofSeconds(5),
        () -> SafeXmlParser.parse(xml.getBytes(StandardCharsets.UTF_8), WHAT));
  }

  @Test
  void shouldRefuseAnEntityReadingEtcPasswd() {
    assertThatThrownBy(
            () -> parse("<!DOCTYPE r [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]><r>&xxe;</r>"))
        .isInstanceOf(XmlException.class)
        .hasMessage(DOCTYPE_REFUSED)
        .hasMessageNotContaining("root:");
  }

  @Test
  void shouldRefuseEntitiesAndDtdsOverHttpWithoutFetchingThem() {
    List<String> documents =
        List.of(
            "<!DOCTYPE r [<!ENTITY xxe SYSTEM \"" + url("/entity") + "\">]><r>&xxe;</r>",
            "<!DOCTYPE r SYSTEM \"" + url("/external.dtd") + "\"><r>&leak;</r>",
            "<!DOCTYPE r PUBLIC \"-//x//y\" \"" + url("/public.dtd") + "\"><r/>",
            "<!DOCTYPE r [<!ENTITY % p SYSTEM \"" + url("/p.dtd") + "\"> %p;]><r>&leak;</r>");

    for (String xml : documents) {
      assertThatThrownBy(() -> parse(xml))
          .as(xml)
          .isInstanceOf(XmlException.class)
          .hasMessage(DOCTYPE_REFUSED);
    }
    assertThat(fetched).isEmpty();
  }

  @Test
  void shouldRefuseTheBillionLaughsQuickly() {
    StringBuilder dtd = new StringBuilder("<!DOCTYPE r [<!ENTITY lol \"lol\">");
    String previous = "lol";
    for (int i = 1; i <= 9; i++) {
      dtd.append("<!ENTITY lol").append(i).append(" \"");
      dtd.append(("&" + previous + ";").repeat(10)).append("\">");
      previous = "lol" + i;
    }
    String xml = dtd + "]><r>&lol9;</r>";

    assertThatThrownBy(() -> parse(xml))
        .isInstanceOf(XmlException.class)
        .hasMessage(DOCTYPE_REFUSED);
  }

  @Test
  void shouldNotFollowXInclude() {
    Document doc =
        parse(
            "<r xmlns:xi=\"http://www.w3.org/2001/XInclude\"><xi:include href=\""
                + url("/include.xml")
                + "\" parse=\"xml\"/></r>");

    assertThat(XmlJson.toJson(doc.getDocumentElement()))
        .isEqualTo(Map.of("include", Map.of("@href", url("/include.xml"), "@parse", "xml")));
    assertThat(fetched).isEmpty();
  }

  @Test
  void shouldRefuseElementsNestedTooDeeplyNamingTheInputAndTheLimit() {
    String xml = "<a>".repeat(100_000) + "</a>".repeat(100_000);

    assertThatThrownBy(() -> parse(xml))
        .isInstanceOf(XmlException.class)
        .hasMessageStartingWith(
            WHAT + " nests elements deeper than " + SafeXmlParser.MAX_DEPTH + " levels (line 1,");
  }

  @Test
  void shouldReadNestingUpToTheLimit() {
    int depth = SafeXmlParser.MAX_DEPTH;
    Document doc = parse("<a>".repeat(depth) + "x" + "</a>".repeat(depth));

    Object json = XmlJson.toJson(doc.getDocumentElement());
    for (int i = 1; i < depth; i++) {
      json = ((Map<?, ?>) json).get("a");
    }
    assertThat(json).isEqualTo("x");
  }

  @Test
  void shouldNotLetAStylesheetReadDocumentsFilesOrIncludes() {
    XsltTransformer xslt = new XsltTransformer();
    Document input = parse("<in/>");
    String head =
        "<xsl:stylesheet version=\"1.0\" xmlns:xsl=\"http://www.w3.org/1999/XSL/Transform\">";
    List<String> stylesheets =
        List.of(
            head
                + "<xsl:template match=\"/\"><out><xsl:copy-of select=\"document('"
                + url("/doc.xml")
                + "')\"/></out></xsl:template></xsl:stylesheet>",
            head
                + "<xsl:template match=\"/\"><out><xsl:value-of"
                + " select=\"document('file:///etc/passwd')\"/></out></xsl:template>"
                + "</xsl:stylesheet>",
            head + "<xsl:include href=\"" + url("/include.xsl") + "\"/></xsl:stylesheet>",
            head + "<xsl:import href=\"" + url("/import.xsl") + "\"/></xsl:stylesheet>");

    for (String stylesheet : stylesheets) {
      assertThatThrownBy(() -> xslt.transform(stylesheet, input, "setting 'responseXslt'"))
          .as(stylesheet)
          .isInstanceOf(XmlException.class)
          .hasMessageStartingWith("setting 'responseXslt'")
          .hasMessageNotContaining("root:");
    }
    assertThat(fetched).isEmpty();
  }
}
