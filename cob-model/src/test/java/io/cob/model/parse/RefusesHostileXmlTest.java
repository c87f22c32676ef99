package io.cob.model.parse;

import static io.cob.model.parse.TestBpmn.problems;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.cob.model.Problem;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Hostile XML in a deployment: each document is refused with a problem saying why, and nothing
 * outside the document is read. A local HTTP server stands for the network and records every
 * request; {@code /etc/passwd} stands for the file system.
 */
class RefusesHostileXmlTest {
  private static final String DTD_REFUSED = "DTDs and external entities are not allowed";

  private HttpServer server;
  private final List<String> fetched = new CopyOnWriteArrayList<>();

  @BeforeEach
  void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          fetched.add(exchange.getRequestURI().toString());
          byte[] body = "<!ENTITY leak \"FETCHED\">".getBytes(StandardCharsets.UTF_8);
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

  private static String definitions(String doctype, String body) {
    return "<?xml version=\"1.0\"?>\n"
        + doctype
        + "\n<bpmn:definitions "
        + TestBpmn.NAMESPACES
        + " id=\"defs\">\n<bpmn:process id=\"p\"><bpmn:startEvent id=\"s\" name=\""
        + body
        + "\"/></bpmn:process>\n</bpmn:definitions>\n";
  }

  private List<Problem> refused(String xml) {
    return Assertions.assertTimeoutPreemptively(Duration.ofSeconds(5), () -> problems(xml));
  }

  @Test
  void shouldRefuseAnEntityReadingEtcPasswd() {
    List<Problem> found =
        refused(
            definitions(
                "<!DOCTYPE bpmn:definitions [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>",
                "&xxe;"));

    assertThat(found)
        .extracting(Problem::toString)
        .containsExactly("test.bpmn:2:1: element '' (<document>): " + DTD_REFUSED);
    assertThat(found.toString()).doesNotContain("root:");
  }

  @Test
  void shouldRefuseAnEntityFetchedOverHttpWithoutFetchingIt() {
    List<Problem> found =
        refused(
            definitions(
                "<!DOCTYPE bpmn:definitions [<!ENTITY xxe SYSTEM \"" + url("/entity") + "\">]>",
                "&xxe;"));

    assertThat(found).extracting(Problem::message).containsExactly(DTD_REFUSED);
    assertThat(fetched).isEmpty();
  }

  @Test
  void shouldRefuseAnExternalDtdAndAParameterEntityWithoutFetchingThem() {
    String externalDtd =
        definitions(
            "<!DOCTYPE bpmn:definitions SYSTEM \"" + url("/external.dtd") + "\">", "&leak;");
    String publicDtd =
        definitions(
            "<!DOCTYPE bpmn:definitions PUBLIC \"-//x//y\" \"" + url("/public.dtd") + "\">", "x");
    String parameterEntity =
        definitions(
            "<!DOCTYPE bpmn:definitions [<!ENTITY % p SYSTEM \"" + url("/p.dtd") + "\"> %p;]>",
            "&leak;");

    for (String xml : List.of(externalDtd, publicDtd, parameterEntity)) {
      assertThat(refused(xml)).extracting(Problem::message).containsExactly(DTD_REFUSED);
    }
    assertThat(fetched).isEmpty();
  }

  @Test
  void shouldRefuseTheBillionLaughsQuickly() {
    StringBuilder dtd = new StringBuilder("<!DOCTYPE bpmn:definitions [<!ENTITY lol \"lol\">");
    String previous = "lol";
    for (int i = 1; i <= 9; i++) {
      dtd.append("<!ENTITY lol").append(i).append(" \"");
      dtd.append(("&" + previous + ";").repeat(10)).append("\">");
      previous = "lol" + i;
    }
    dtd.append("]>");

    assertThat(refused(definitions(dtd.toString(), "&lol9;")))
        .extracting(Problem::message)
        .containsExactly(DTD_REFUSED);
  }

  @Test
  void shouldNeitherFollowXIncludeNorFetchSchemaLocations() {
    String xml =
        "<bpmn:definitions "
            + TestBpmn.NAMESPACES
            + " xmlns:xi=\"http://www.w3.org/2001/XInclude\" id=\"defs\""
            + " xsi:schemaLocation=\"http://www.omg.org/spec/BPMN/20100524/MODEL "
            + url("/BPMN20.xsd")
            + "\">\n<bpmn:process id=\"p\" isExecutable=\"true\"><bpmn:startEvent id=\"s\"/>"
            + "<bpmn:extensionElements><xi:include href=\""
            + url("/include.xml")
            + "\" parse=\"xml\"/></bpmn:extensionElements></bpmn:process>\n</bpmn:definitions>\n";

    assertThat(refused(xml)).isEmpty();
    assertThat(fetched).isEmpty();
  }

  @Test
  void shouldRefuseElementsNestedTooDeeplyNamingTheLimit() {
    int depth = 100_000;
    String xml =
        "<bpmn:definitions "
            + TestBpmn.NAMESPACES
            + ">"
            + "<bpmn:extensionElements>".repeat(depth)
            + "</bpmn:extensionElements>".repeat(depth)
            + "</bpmn:definitions>";

    List<Problem> found = refused(xml);

    assertThat(found)
        .extracting(Problem::message)
        .containsExactly("elements are nested deeper than " + XmlReader.MAX_DEPTH + " levels");
    assertThat(found.getFirst().location().line()).isEqualTo(1);
  }

  @Test
  void shouldAcceptNestingUpToTheLimit() {
    // definitions > process > subProcess x (limit - 3) > startEvent: exactly the limit.
    int subProcesses = XmlReader.MAX_DEPTH - 3;
    StringBuilder body = new StringBuilder("<bpmn:startEvent id=\"s\"/>");
    for (int i = 0; i < subProcesses; i++) {
      body.append("<bpmn:subProcess id=\"sp")
          .append(i)
          .append("\"><bpmn:startEvent id=\"s")
          .append(i)
          .append("\"/>");
    }
    body.append("</bpmn:subProcess>".repeat(subProcesses));

    assertThat(refused(TestBpmn.process(body.toString())))
        .extracting(Problem::message)
        .doesNotContain("elements are nested deeper than " + XmlReader.MAX_DEPTH + " levels");
  }

  /** Found by {@link BpmnParserFuzzing}: the JDK's parser threw MissingResourceException. */
  @Test
  void shouldRefuseANulInsideADtdAsADtd() {
    List<Problem> found =
        refused(
            "<!DOCTYPE x [<!ENTITY e \u0000\"e\">]>\n<bpmn:definitions "
                + TestBpmn.NAMESPACES
                + "/>");

    assertThat(found).extracting(Problem::message).containsExactly(DTD_REFUSED);
  }
}
