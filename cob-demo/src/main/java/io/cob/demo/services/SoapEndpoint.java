package io.cob.demo.services;

import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * A SOAP 1.1 endpoint of a demo service: document/literal operations whose request and response are
 * flat sequences of text elements, a WSDL at {@code ?wsdl}, and a WS-Security UsernameToken
 * (password text) checked on every call.
 *
 * <p>Requests are parsed with DTDs refused. A wrong or missing password is a SOAP {@code Client}
 * fault, an unknown operation too. Thread-safe when the operations are.
 */
final class SoapEndpoint implements LoopbackServer.Endpoint {
  private static final String SOAP_NS = "http://schemas.xmlsoap.org/soap/envelope/";

  /**
   * One operation.
   *
   * @param name the payload element's local name, e.g. {@code GetCustomerPreferences}; the answer
   *     is {@code <name>Response}
   * @param requestFields the request's child elements, for the WSDL
   * @param responseFields the response's child elements, for the WSDL and in this order
   * @param answer turns the request's fields into the response's fields
   */
  record Operation(
      String name,
      List<String> requestFields,
      List<String> responseFields,
      UnaryOperator<Map<String, String>> answer) {}

  private final String service;
  private final String namespace;
  private final String username;
  private final String password;
  private final Map<String, Operation> operations = new LinkedHashMap<>();

  SoapEndpoint(
      String service,
      String namespace,
      String username,
      String password,
      List<Operation> operations) {
    this.service = service;
    this.namespace = namespace;
    this.username = username;
    this.password = password;
    operations.forEach(o -> this.operations.put(o.name(), o));
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    String query = exchange.getRequestURI().getQuery();
    if ("GET".equals(exchange.getRequestMethod())
        && query != null
        && query.equalsIgnoreCase("wsdl")) {
      String address = "http://127.0.0.1:" + exchange.getLocalAddress().getPort();
      byte[] wsdl = wsdl(address + exchange.getRequestURI().getPath());
      LoopbackServer.send(exchange, 200, "text/xml; charset=utf-8", wsdl);
      return;
    }
    if (!"POST".equals(exchange.getRequestMethod())) {
      LoopbackServer.send(exchange, 405, "text/plain", new byte[0]);
      return;
    }
    Document request;
    try {
      request = parse(LoopbackServer.body(exchange));
    } catch (SAXException e) {
      fault(exchange, "Client", "the request is not well-formed XML: " + e.getMessage());
      return;
    }
    if (!authenticated(request)) {
      fault(exchange, "Client", "WS-Security UsernameToken missing or wrong");
      return;
    }
    Element payload = payload(request);
    Operation op = payload == null ? null : operations.get(payload.getLocalName());
    if (op == null) {
      fault(
          exchange,
          "Client",
          "unknown operation "
              + (payload == null ? "(empty body)" : payload.getLocalName())
              + "; this service offers "
              + operations.keySet());
      return;
    }
    Map<String, String> out = op.answer().apply(fields(payload));
    LoopbackServer.send(exchange, 200, "text/xml; charset=utf-8", response(op, out));
  }

  private boolean authenticated(Document request) {
    String user = firstText(request, "Username");
    String pass = firstText(request, "Password");
    return username.equals(user) && password.equals(pass);
  }

  private static Element payload(Document request) {
    NodeList bodies = request.getElementsByTagNameNS(SOAP_NS, "Body");
    if (bodies.getLength() == 0) {
      return null;
    }
    for (Node n = bodies.item(0).getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e) {
        return e;
      }
    }
    return null;
  }

  /** The payload's child elements as name → text (nested elements flattened to their text). */
  private static Map<String, String> fields(Element payload) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Node n = payload.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e) {
        out.put(e.getLocalName(), e.getTextContent().strip());
      }
    }
    return out;
  }

  private static String firstText(Document doc, String localName) {
    NodeList l = doc.getElementsByTagNameNS("*", localName);
    return l.getLength() == 0 ? null : l.item(0).getTextContent().strip();
  }

  private byte[] response(Operation op, Map<String, String> values) {
    StringBuilder b = new StringBuilder();
    b.append("<soap:Envelope xmlns:soap=\"").append(SOAP_NS).append("\"><soap:Body>");
    b.append("<r:").append(op.name()).append("Response xmlns:r=\"").append(namespace).append("\">");
    for (String f : op.responseFields()) {
      String v = values.get(f);
      if (v != null) {
        b.append("<r:")
            .append(f)
            .append('>')
            .append(escape(v))
            .append("</r:")
            .append(f)
            .append('>');
      }
    }
    b.append("</r:").append(op.name()).append("Response></soap:Body></soap:Envelope>");
    return b.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void fault(HttpExchange exchange, String code, String message) throws IOException {
    String xml =
        "<soap:Envelope xmlns:soap=\""
            + SOAP_NS
            + "\"><soap:Body><soap:Fault><faultcode>soap:"
            + code
            + "</faultcode><faultstring>"
            + escape(message)
            + "</faultstring></soap:Fault></soap:Body></soap:Envelope>";
    LoopbackServer.send(
        exchange, 500, "text/xml; charset=utf-8", xml.getBytes(StandardCharsets.UTF_8));
  }

  /** A document/literal WSDL 1.1 describing every operation, bound to {@code address}. */
  private byte[] wsdl(String address) {
    StringBuilder types = new StringBuilder();
    StringBuilder messages = new StringBuilder();
    StringBuilder portOps = new StringBuilder();
    StringBuilder bindingOps = new StringBuilder();
    for (Operation op : operations.values()) {
      types.append(element(op.name(), op.requestFields()));
      types.append(element(op.name() + "Response", op.responseFields()));
      for (String m : List.of(op.name(), op.name() + "Response")) {
        messages.append(
            "<wsdl:message name=\"%sMessage\"><wsdl:part name=\"parameters\" element=\"tns:%s\"/></wsdl:message>"
                .formatted(m, m));
      }
      portOps.append(
          "<wsdl:operation name=\"%1$s\"><wsdl:input message=\"tns:%1$sMessage\"/><wsdl:output message=\"tns:%1$sResponseMessage\"/></wsdl:operation>"
              .formatted(op.name()));
      bindingOps.append(
          "<wsdl:operation name=\"%1$s\"><soap:operation soapAction=\"%2$s/%1$s\"/><wsdl:input><soap:body use=\"literal\"/></wsdl:input><wsdl:output><soap:body use=\"literal\"/></wsdl:output></wsdl:operation>"
              .formatted(op.name(), namespace));
    }
    String wsdl =
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <wsdl:definitions xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" \
        xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/" \
        xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:tns="%1$s" \
        name="%2$s" targetNamespace="%1$s">
          <wsdl:types><xs:schema targetNamespace="%1$s" elementFormDefault="qualified">%3$s</xs:schema></wsdl:types>
          %4$s
          <wsdl:portType name="%2$sPort">%5$s</wsdl:portType>
          <wsdl:binding name="%2$sBinding" type="tns:%2$sPort">\
        <soap:binding style="document" transport="http://schemas.xmlsoap.org/soap/http"/>%6$s</wsdl:binding>
          <wsdl:service name="%2$s"><wsdl:port name="%2$sPort" binding="tns:%2$sBinding">\
        <soap:address location="%7$s"/></wsdl:port></wsdl:service>
        </wsdl:definitions>
        """
            .formatted(namespace, service, types, messages, portOps, bindingOps, escape(address));
    return wsdl.getBytes(StandardCharsets.UTF_8);
  }

  private static String element(String name, List<String> fields) {
    StringBuilder b =
        new StringBuilder("<xs:element name=\"" + name + "\"><xs:complexType><xs:sequence>");
    for (String f : fields) {
      b.append("<xs:element name=\"").append(f).append("\" type=\"xs:string\" minOccurs=\"0\"/>");
    }
    return b.append("</xs:sequence></xs:complexType></xs:element>").toString();
  }

  private static Document parse(byte[] xml) throws SAXException, IOException {
    try {
      DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
      f.setNamespaceAware(true);
      f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      f.setExpandEntityReferences(false);
      DocumentBuilder b = f.newDocumentBuilder();
      b.setErrorHandler(null);
      return b.parse(new ByteArrayInputStream(xml));
    } catch (ParserConfigurationException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
