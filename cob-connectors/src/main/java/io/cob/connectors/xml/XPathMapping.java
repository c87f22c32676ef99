package io.cob.connectors.xml;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.namespace.NamespaceContext;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathEvaluationResult;
import javax.xml.xpath.XPathExpressionException;
import javax.xml.xpath.XPathFactory;
import javax.xml.xpath.XPathFactoryConfigurationException;
import javax.xml.xpath.XPathNodes;
import org.w3c.dom.Attr;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;

/**
 * Evaluates named XPath 1.0 expressions against a document and gives variables: {@code {varName:
 * "xpath"}} in, {@code {varName: value}} out.
 *
 * <p><b>Namespaces.</b> Without a prefix map the expressions see the document with every namespace
 * removed, so plain names match whatever prefixes the server used: {@code
 * /GetCustomerPreferencesResponse/language}. With a prefix map ({@code {"c": "urn:crm"}}) the
 * document is left as it is and names must carry the prefixes of the map: {@code
 * /c:GetCustomerPreferencesResponse/c:language}; {@code *[local-name()='x']} works either way.
 *
 * <p><b>Values.</b> A number result ({@code number(...)}, {@code count(...)}, {@code sum(...)})
 * becomes a number (whole numbers as Long; NaN as null), a boolean result a boolean, a string
 * result a string. A node-set gives {@code null} when empty, the value of its one node, or a list
 * of node values; an element's value is its {@link XmlJson} form (so a text-only element is its
 * text, unconverted: {@code "42"} stays a string unless the expression says {@code number(...)}),
 * an attribute's or a text node's value is its text.
 *
 * <p>Stateless and thread-safe.
 */
public final class XPathMapping {
  private XPathMapping() {}

  /**
   * @param expressions variable name to XPath expression
   * @param namespaces prefix to namespace URI; empty for namespace-agnostic matching
   * @param what what the expressions come from, for errors (e.g. {@code setting 'responseXPath'})
   * @throws XmlException naming the variable whose expression does not compile or fails
   */
  public static Map<String, Object> evaluate(
      Map<String, ?> expressions, Document doc, Map<String, String> namespaces, String what) {
    Document target = namespaces.isEmpty() ? withoutNamespaces(doc) : doc;
    XPath xpath = xpath();
    if (!namespaces.isEmpty()) {
      xpath.setNamespaceContext(new Prefixes(namespaces));
    }
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<String, ?> e : expressions.entrySet()) {
      if (!(e.getValue() instanceof String expr) || expr.isBlank()) {
        throw new XmlException(
            what + ": the expression for '" + e.getKey() + "' must be an XPath text");
      }
      try {
        XPathEvaluationResult<?> r = xpath.evaluateExpression(expr, target);
        out.put(e.getKey(), value(r));
      } catch (XPathExpressionException | IllegalArgumentException ex) {
        String reason = ex.getCause() != null ? ex.getCause().getMessage() : ex.getMessage();
        throw new XmlException(
            what + ": the expression for '" + e.getKey() + "' (" + expr + ") fails: " + reason, ex);
      }
    }
    return out;
  }

  private static Object value(XPathEvaluationResult<?> r) {
    return switch (r.type()) {
      case NUMBER -> number((Double) r.value());
      case BOOLEAN, STRING -> r.value();
      case NODE -> node((Node) r.value());
      case NODESET -> {
        XPathNodes nodes = (XPathNodes) r.value();
        if (nodes.size() == 0) {
          yield null;
        }
        if (nodes.size() == 1) {
          yield node(nodes.iterator().next());
        }
        List<Object> list = new ArrayList<>(nodes.size());
        nodes.forEach(n -> list.add(node(n)));
        yield list;
      }
      default -> r.value() == null ? null : r.value().toString();
    };
  }

  private static Object number(Double d) {
    if (d == null || d.isNaN() || d.isInfinite()) {
      return null;
    }
    if (d == Math.rint(d) && Math.abs(d) < 9.0e15) {
      return d.longValue();
    }
    return BigDecimal.valueOf(d);
  }

  private static Object node(Node n) {
    return switch (n) {
      case Document d -> XmlJson.toJson(d.getDocumentElement());
      case Element e -> XmlJson.toJson(e);
      default -> n.getNodeValue() != null ? n.getNodeValue() : n.getTextContent();
    };
  }

  /** A copy whose elements and attributes have no namespace and no prefix. */
  static Document withoutNamespaces(Document doc) {
    Document copy = SafeXmlParser.newDocument();
    copy.appendChild(strip(copy, doc.getDocumentElement()));
    return copy;
  }

  private static Element strip(Document copy, Element source) {
    Element e = copy.createElementNS(null, localName(source));
    NamedNodeMap attrs = source.getAttributes();
    for (int i = 0; i < attrs.getLength(); i++) {
      Attr a = (Attr) attrs.item(i);
      if (!XMLConstants.XMLNS_ATTRIBUTE_NS_URI.equals(a.getNamespaceURI())) {
        e.setAttributeNS(null, localName(a), a.getValue());
      }
    }
    for (Node n = source.getFirstChild(); n != null; n = n.getNextSibling()) {
      switch (n.getNodeType()) {
        case Node.ELEMENT_NODE -> e.appendChild(strip(copy, (Element) n));
        case Node.TEXT_NODE, Node.CDATA_SECTION_NODE ->
            e.appendChild(copy.createTextNode(n.getNodeValue()));
        default -> {
          // comments and processing instructions are not data
        }
      }
    }
    return e;
  }

  private static String localName(Node n) {
    return n.getLocalName() != null ? n.getLocalName() : n.getNodeName();
  }

  private static XPath xpath() {
    XPathFactory f = XPathFactory.newDefaultInstance();
    try {
      f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
    } catch (XPathFactoryConfigurationException e) {
      throw new IllegalStateException("the JDK's XPath lacks secure processing", e);
    }
    return f.newXPath();
  }

  private record Prefixes(Map<String, String> byPrefix) implements NamespaceContext {
    @Override
    public String getNamespaceURI(String prefix) {
      return byPrefix.getOrDefault(prefix, XMLConstants.NULL_NS_URI);
    }

    @Override
    public String getPrefix(String uri) {
      return byPrefix.entrySet().stream()
          .filter(e -> e.getValue().equals(uri))
          .map(Map.Entry::getKey)
          .findFirst()
          .orElse(null);
    }

    @Override
    public Iterator<String> getPrefixes(String uri) {
      String p = getPrefix(uri);
      return p == null ? java.util.Collections.emptyIterator() : List.of(p).iterator();
    }
  }
}
