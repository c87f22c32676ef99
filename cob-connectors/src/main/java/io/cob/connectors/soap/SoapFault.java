package io.cob.connectors.soap;

import io.cob.connectors.xml.XmlJson;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * A SOAP Fault read from a response body: SOAP 1.1 {@code faultcode}/{@code faultstring}/{@code
 * detail}, SOAP 1.2 {@code Code/Value} (with nested {@code Subcode/Value})/{@code Reason/Text}/
 * {@code Detail}.
 *
 * <p>The BPMN error code ({@link #errorCode()}) is the most specific code the fault carries, as a
 * local name (prefix dropped), by the first rule that applies:
 *
 * <ol>
 *   <li>SOAP 1.2: the innermost {@code Subcode/Value}, e.g. {@code app:InsufficientFunds};
 *   <li>the fault code itself when it is not one of the standard codes ({@code VersionMismatch},
 *       {@code MustUnderstand}, {@code DataEncodingUnknown}, {@code Client}, {@code Server}, {@code
 *       Sender}, {@code Receiver}), e.g. a SOAP 1.1 {@code faultcode} {@code
 *       tns:InsufficientFunds};
 *   <li>the name of the first element in the detail, e.g. {@code <detail><InsufficientFunds>},
 *       which is where JAX-WS and WCF put a declared fault;
 *   <li>the standard code, e.g. {@code Server} or {@code Receiver}.
 * </ol>
 *
 * @param code the fault code's local name ({@code Server}, {@code Sender}, ...)
 * @param subcode the innermost SOAP 1.2 subcode's local name, or {@code null}
 * @param message the fault string (1.1) or the first reason text (1.2)
 * @param detail the detail's {@link XmlJson} form, or {@code null} when there is none
 */
public record SoapFault(String code, String subcode, String message, Object detail) {
  private static final Set<String> STANDARD_CODES =
      Set.of(
          "VersionMismatch",
          "MustUnderstand",
          "DataEncodingUnknown",
          "Client",
          "Server",
          "Sender",
          "Receiver");

  /** The fault in {@code body} (a SOAP {@code Body} element), if its first element is one. */
  public static Optional<SoapFault> in(Element body, SoapVersion version) {
    Element fault = firstElement(body);
    if (fault == null
        || !"Fault".equals(fault.getLocalName())
        || !version.namespace().equals(fault.getNamespaceURI())) {
      return Optional.empty();
    }
    return Optional.of(version == SoapVersion.V1_1 ? soap11(fault) : soap12(fault));
  }

  private static SoapFault soap11(Element fault) {
    Element detail = child(fault, "detail");
    return new SoapFault(
        localPart(text(child(fault, "faultcode"))),
        null,
        text(child(fault, "faultstring")),
        detail == null ? null : XmlJson.toJson(detail));
  }

  private static SoapFault soap12(Element fault) {
    Element code = child(fault, "Code");
    String subcode = null;
    for (Element sub = child(code, "Subcode"); sub != null; sub = child(sub, "Subcode")) {
      subcode = localPart(text(child(sub, "Value")));
    }
    Element detail = child(fault, "Detail");
    return new SoapFault(
        localPart(text(child(code, "Value"))),
        subcode,
        text(child(child(fault, "Reason"), "Text")),
        detail == null ? null : XmlJson.toJson(detail));
  }

  /** The BPMN error code, by the rules in the class comment. */
  public String errorCode() {
    if (subcode != null && !subcode.isEmpty()) {
      return subcode;
    }
    if (!code.isEmpty() && !STANDARD_CODES.contains(code)) {
      return code;
    }
    if (detail instanceof Map<?, ?> m) {
      for (Object key : m.keySet()) {
        if (!String.valueOf(key).startsWith(XmlJson.ATTRIBUTE)
            && !String.valueOf(key).equals(XmlJson.TEXT)) {
          return String.valueOf(key);
        }
      }
    }
    return code.isEmpty() ? "SOAP_FAULT" : code;
  }

  /** The variables the BPMN error carries: faultCode, faultSubcode, faultString, faultDetail. */
  public Map<String, Object> variables() {
    Map<String, Object> vars = new LinkedHashMap<>();
    vars.put("faultCode", code);
    vars.put("faultSubcode", subcode);
    vars.put("faultString", message);
    vars.put("faultDetail", detail);
    return vars;
  }

  static Element firstElement(Node parent) {
    if (parent == null) {
      return null;
    }
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e) {
        return e;
      }
    }
    return null;
  }

  /** The first child element of that local name, whatever its namespace (servers differ). */
  static Element child(Element parent, String localName) {
    if (parent == null) {
      return null;
    }
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && localName.equals(e.getLocalName())) {
        return e;
      }
    }
    return null;
  }

  private static String text(Element e) {
    return e == null ? "" : e.getTextContent().strip();
  }

  private static String localPart(String qname) {
    return qname.substring(qname.indexOf(':') + 1);
  }
}
