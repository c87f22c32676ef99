package io.cob.connectors.soap;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * A small real SOAP service for tests, on 127.0.0.1 and a free port: {@code GET /crm?wsdl} serves
 * its WSDL, {@code POST /crm} runs {@code GetCustomerPreferences} and {@code Pay} over SOAP 1.1 or
 * 1.2 (told by the content type), checking the action and, when asked, a WS-Security UsernameToken.
 * It parses requests with the JDK's parser, independently of the code under test.
 */
final class CrmSoapServer implements AutoCloseable {
  static final String NS = "urn:example:crm";
  static final String SOAP11 = "http://schemas.xmlsoap.org/soap/envelope/";
  static final String SOAP12 = "http://www.w3.org/2003/05/soap-envelope";
  static final String WSSE =
      "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd";

  /** What the server received. */
  record Received(Map<String, List<String>> headers, String body) {
    String header(String name) {
      return headers.entrySet().stream()
          .filter(e -> e.getKey().equalsIgnoreCase(name))
          .map(e -> e.getValue().get(0))
          .findFirst()
          .orElse(null);
    }
  }

  /** A canned answer that replaces the service for one request. */
  record Canned(int status, String contentType, String body, String retryAfter) {}

  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(4);
  final List<Received> received = new CopyOnWriteArrayList<>();
  final Deque<Canned> canned = new ArrayDeque<>();
  volatile String requiredUser;
  volatile String requiredPassword;
  volatile CountDownLatch hold;

  CrmSoapServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(executor);
    server.createContext("/crm", this::handle);
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/crm";
  }

  synchronized void answerNext(Canned c) {
    canned.add(c);
  }

  private synchronized Canned nextCanned() {
    return canned.poll();
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      if (ex.getRequestMethod().equals("GET")
          && "wsdl".equalsIgnoreCase(ex.getRequestURI().getQuery())) {
        send(ex, 200, "text/xml; charset=utf-8", wsdl());
        return;
      }
      String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      received.add(new Received(Map.copyOf(ex.getRequestHeaders()), body));
      CountDownLatch h = hold;
      if (h != null) {
        h.await(10, TimeUnit.SECONDS);
      }
      Canned c = nextCanned();
      if (c != null) {
        if (c.retryAfter() != null) {
          ex.getResponseHeaders().add("Retry-After", c.retryAfter());
        }
        send(ex, c.status(), c.contentType(), c.body());
        return;
      }
      answer(ex, body);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      send(ex, 500, "text/plain", "test server broke: " + e);
    }
  }

  private void answer(HttpExchange ex, String body) throws IOException {
    String contentType = String.valueOf(ex.getRequestHeaders().getFirst("Content-Type"));
    boolean v12 = contentType.startsWith("application/soap+xml");
    if (!v12 && !contentType.startsWith("text/xml")) {
      send(ex, 415, "text/plain", "unsupported content type " + contentType);
      return;
    }
    String envNs = v12 ? SOAP12 : SOAP11;
    String ct = v12 ? "application/soap+xml; charset=utf-8" : "text/xml; charset=utf-8";
    Document doc = parse(body);
    Element envelope = doc.getDocumentElement();
    if (!envNs.equals(envelope.getNamespaceURI())) {
      send(ex, 500, ct, fault(v12, "VersionMismatch", null, "envelope namespace", null));
      return;
    }
    Element payload = firstElement(child(envelope, envNs, "Body"));
    String op = payload.getLocalName();
    String action =
        v12 ? param(contentType, "action") : unquote(ex.getRequestHeaders().getFirst("SOAPAction"));
    if (!("urn:example:crm/" + op).equals(action)) {
      send(
          ex, 500, ct, fault(v12, "Client", null, "wrong action '" + action + "' for " + op, null));
      return;
    }
    String authProblem = checkSecurity(child(envelope, envNs, "Header"));
    if (authProblem != null) {
      send(ex, 500, ct, fault(v12, "Client", "wsse:FailedAuthentication", authProblem, null));
      return;
    }
    switch (op) {
      case "GetCustomerPreferences" -> preferences(ex, v12, ct, payload);
      case "Pay" -> pay(ex, v12, ct, payload);
      default -> send(ex, 500, ct, fault(v12, "Client", null, "no operation " + op, null));
    }
  }

  private void preferences(HttpExchange ex, boolean v12, String ct, Element payload)
      throws IOException {
    String id = text(payload, "customerId");
    if (id.equals("unknown")) {
      send(ex, 500, ct, fault(v12, "Client", null, "no customer " + id, null));
      return;
    }
    String name = text(payload, "name");
    send(
        ex,
        200,
        ct,
        envelope(
            v12,
            "<c:GetCustomerPreferencesResponse xmlns:c=\""
                + NS
                + "\"><c:customerId>"
                + esc(id)
                + "</c:customerId><c:language>de</c:language><c:newsletter>true</c:newsletter>"
                + "<c:channel priority=\"1\">email</c:channel><c:channel priority=\"2\">sms</c:channel>"
                + "<c:greeting>Hello "
                + esc(name)
                + "</c:greeting></c:GetCustomerPreferencesResponse>"));
  }

  private void pay(HttpExchange ex, boolean v12, String ct, Element payload) throws IOException {
    BigDecimal amount = new BigDecimal(text(payload, "amount"));
    if (amount.compareTo(new BigDecimal("100")) > 0) {
      String detail =
          "<c:InsufficientFunds xmlns:c=\""
              + NS
              + "\"><c:balance>100.00</c:balance><c:requested>"
              + amount.toPlainString()
              + "</c:requested></c:InsufficientFunds>";
      String sub = v12 ? "c:InsufficientFunds" : null;
      send(ex, 500, ct, fault(v12, "Server", sub, "balance too low", detail));
      return;
    }
    String key = String.valueOf(ex.getRequestHeaders().getFirst("Idempotency-Key"));
    send(
        ex,
        200,
        ct,
        envelope(
            v12,
            "<PayResponse xmlns=\""
                + NS
                + "\"><transactionId>tx-"
                + esc(key)
                + "</transactionId><amount>"
                + amount.toPlainString()
                + "</amount></PayResponse>"));
  }

  /** Null when the request passes; the reason otherwise. */
  private String checkSecurity(Element header) {
    if (requiredUser == null) {
      return null;
    }
    Element token =
        header == null ? null : child(child(header, WSSE, "Security"), WSSE, "UsernameToken");
    if (token == null) {
      return "no UsernameToken";
    }
    Element password = child(token, WSSE, "Password");
    if (!requiredUser.equals(text(token, "Username")) || password == null) {
      return "unknown user";
    }
    String type = password.getAttribute("Type");
    String expected = requiredPassword;
    if (type.endsWith("#PasswordDigest")) {
      byte[] nonce = Base64.getDecoder().decode(text(token, "Nonce"));
      expected = digest(nonce, text(token, "Created"), requiredPassword);
    } else if (!type.endsWith("#PasswordText")) {
      return "unknown password type " + type;
    }
    return expected.equals(password.getTextContent()) ? null : "wrong password";
  }

  /** The profile's digest, computed here independently of the connector's code. */
  private static String digest(byte[] nonce, String created, String password) {
    try {
      java.security.MessageDigest sha1 = java.security.MessageDigest.getInstance("SHA-1");
      sha1.update(nonce);
      sha1.update(created.getBytes(StandardCharsets.UTF_8));
      sha1.update(password.getBytes(StandardCharsets.UTF_8));
      return Base64.getEncoder().encodeToString(sha1.digest());
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static String envelope(boolean v12, String payload) {
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><s:Envelope xmlns:s=\""
        + (v12 ? SOAP12 : SOAP11)
        + "\"><s:Body>"
        + payload
        + "</s:Body></s:Envelope>";
  }

  static String fault(boolean v12, String code, String subcode, String message, String detail) {
    if (!v12) {
      String wsse =
          subcode != null && subcode.startsWith("wsse:") ? " xmlns:wsse=\"" + WSSE + "\"" : "";
      String faultcode = subcode != null && subcode.startsWith("wsse:") ? subcode : "s:" + code;
      return envelope(
          false,
          "<s:Fault"
              + wsse
              + "><faultcode>"
              + faultcode
              + "</faultcode><faultstring>"
              + esc(message)
              + "</faultstring>"
              + (detail == null ? "" : "<detail>" + detail + "</detail>")
              + "</s:Fault>");
    }
    String code12 = code.equals("Client") ? "Sender" : code.equals("Server") ? "Receiver" : code;
    String sub =
        subcode == null
            ? ""
            : "<s:Subcode><s:Value xmlns:c=\""
                + NS
                + "\" xmlns:wsse=\""
                + WSSE
                + "\">"
                + subcode
                + "</s:Value></s:Subcode>";
    return envelope(
        true,
        "<s:Fault><s:Code><s:Value>s:"
            + code12
            + "</s:Value>"
            + sub
            + "</s:Code><s:Reason><s:Text xml:lang=\"en\">"
            + esc(message)
            + "</s:Text></s:Reason>"
            + (detail == null ? "" : "<s:Detail>" + detail + "</s:Detail>")
            + "</s:Fault>");
  }

  private static Document parse(String body) {
    try {
      DocumentBuilderFactory f = DocumentBuilderFactory.newDefaultNSInstance();
      f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      return f.newDocumentBuilder()
          .parse(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
    } catch (Exception e) {
      throw new IllegalArgumentException("not XML: " + e.getMessage(), e);
    }
  }

  private static Element child(Element parent, String ns, String local) {
    if (parent == null) {
      return null;
    }
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e
          && local.equals(e.getLocalName())
          && ns.equals(e.getNamespaceURI())) {
        return e;
      }
    }
    return null;
  }

  private static Element firstElement(Element parent) {
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e) {
        return e;
      }
    }
    throw new IllegalArgumentException("empty body");
  }

  /** The text of the first descendant of that local name, in any namespace; "" if none. */
  private static String text(Element parent, String local) {
    var nodes = parent.getElementsByTagNameNS("*", local);
    return nodes.getLength() == 0 ? "" : nodes.item(0).getTextContent();
  }

  private static String param(String contentType, String name) {
    for (String part : contentType.split(";")) {
      String p = part.strip();
      if (p.startsWith(name + "=")) {
        return unquote(p.substring(name.length() + 1));
      }
    }
    return null;
  }

  private static String unquote(String s) {
    return s != null && s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"")
        ? s.substring(1, s.length() - 1)
        : s;
  }

  static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  private static void send(HttpExchange ex, int status, String contentType, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", contentType);
    ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  private String wsdl() {
    return """
        <?xml version="1.0" encoding="UTF-8"?>
        <definitions xmlns="http://schemas.xmlsoap.org/wsdl/"
            xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/"
            xmlns:soap12="http://schemas.xmlsoap.org/wsdl/soap12/"
            xmlns:xs="http://www.w3.org/2001/XMLSchema"
            xmlns:tns="urn:example:crm" targetNamespace="urn:example:crm" name="Crm">
          <types>
            <xs:schema targetNamespace="urn:example:crm" elementFormDefault="qualified">
              <xs:element name="GetCustomerPreferences"><xs:complexType><xs:sequence>
                <xs:element name="customerId" type="xs:string"/>
                <xs:element name="name" type="xs:string" minOccurs="0"/>
              </xs:sequence></xs:complexType></xs:element>
              <xs:element name="GetCustomerPreferencesResponse"><xs:complexType><xs:sequence>
                <xs:element name="customerId" type="xs:string"/>
                <xs:element name="language" type="xs:string"/>
                <xs:element name="newsletter" type="xs:boolean"/>
                <xs:element name="channel" maxOccurs="unbounded"><xs:complexType><xs:simpleContent>
                  <xs:extension base="xs:string"><xs:attribute name="priority" type="xs:int"/></xs:extension>
                </xs:simpleContent></xs:complexType></xs:element>
                <xs:element name="greeting" type="xs:string"/>
              </xs:sequence></xs:complexType></xs:element>
              <xs:element name="Pay"><xs:complexType><xs:sequence>
                <xs:element name="accountId" type="xs:string"/>
                <xs:element name="amount" type="xs:decimal"/>
              </xs:sequence></xs:complexType></xs:element>
              <xs:element name="PayResponse"><xs:complexType><xs:sequence>
                <xs:element name="transactionId" type="xs:string"/>
                <xs:element name="amount" type="xs:decimal"/>
              </xs:sequence></xs:complexType></xs:element>
              <xs:element name="InsufficientFunds"><xs:complexType><xs:sequence>
                <xs:element name="balance" type="xs:decimal"/>
                <xs:element name="requested" type="xs:decimal"/>
              </xs:sequence></xs:complexType></xs:element>
            </xs:schema>
          </types>
          <message name="GetCustomerPreferencesIn"><part name="p" element="tns:GetCustomerPreferences"/></message>
          <message name="GetCustomerPreferencesOut"><part name="p" element="tns:GetCustomerPreferencesResponse"/></message>
          <message name="PayIn"><part name="p" element="tns:Pay"/></message>
          <message name="PayOut"><part name="p" element="tns:PayResponse"/></message>
          <message name="InsufficientFundsFault"><part name="p" element="tns:InsufficientFunds"/></message>
          <portType name="CrmPort">
            <operation name="GetCustomerPreferences"><input message="tns:GetCustomerPreferencesIn"/><output message="tns:GetCustomerPreferencesOut"/></operation>
            <operation name="Pay"><input message="tns:PayIn"/><output message="tns:PayOut"/><fault name="InsufficientFunds" message="tns:InsufficientFundsFault"/></operation>
          </portType>
          <binding name="CrmSoap11" type="tns:CrmPort">
            <soap:binding style="document" transport="http://schemas.xmlsoap.org/soap/http"/>
            <operation name="GetCustomerPreferences"><soap:operation soapAction="urn:example:crm/GetCustomerPreferences"/>
              <input><soap:body use="literal"/></input><output><soap:body use="literal"/></output></operation>
            <operation name="Pay"><soap:operation soapAction="urn:example:crm/Pay"/>
              <input><soap:body use="literal"/></input><output><soap:body use="literal"/></output>
              <fault name="InsufficientFunds"><soap:fault name="InsufficientFunds" use="literal"/></fault></operation>
          </binding>
          <binding name="CrmSoap12" type="tns:CrmPort">
            <soap12:binding style="document" transport="http://schemas.xmlsoap.org/soap/http"/>
            <operation name="GetCustomerPreferences"><soap12:operation soapAction="urn:example:crm/GetCustomerPreferences"/>
              <input><soap12:body use="literal"/></input><output><soap12:body use="literal"/></output></operation>
            <operation name="Pay"><soap12:operation soapAction="urn:example:crm/Pay"/>
              <input><soap12:body use="literal"/></input><output><soap12:body use="literal"/></output>
              <fault name="InsufficientFunds"><soap12:fault name="InsufficientFunds" use="literal"/></fault></operation>
          </binding>
          <service name="Crm">
            <port name="CrmSoap11" binding="tns:CrmSoap11"><soap:address location="%1$s"/></port>
            <port name="CrmSoap12" binding="tns:CrmSoap12"><soap12:address location="%1$s"/></port>
          </service>
        </definitions>
        """
        .formatted(url())
        .strip();
  }

  @Override
  public void close() {
    CountDownLatch h = hold;
    if (h != null) {
      h.countDown();
    }
    server.stop(0);
    executor.shutdownNow();
  }
}
