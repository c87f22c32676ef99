package io.cob.connectors.xml;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import javax.xml.XMLConstants;
import org.w3c.dom.Attr;
import org.w3c.dom.DOMException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;

/**
 * Converts XML elements to JSON-like values (maps, lists, strings) and back, by one fixed
 * convention:
 *
 * <ul>
 *   <li>An element becomes the value of its content; its own name is the key in its parent (the
 *       root's name is dropped: the caller knows what it asked for).
 *   <li>Keys are <b>local names</b>: namespace prefixes are dropped, and namespace declarations
 *       ({@code xmlns}, {@code xmlns:p}) are not kept, since prefixes differ from server to server
 *       while the local names are the contract.
 *   <li>An element with only text and no attributes becomes that text, unchanged; an empty one
 *       becomes {@code ""}; one with {@code xsi:nil="true"} becomes {@code null}.
 *   <li>Attributes become keys {@code "@name"}; text beside attributes or child elements becomes
 *       {@code "#text"} (the non-blank text pieces, trimmed and joined).
 *   <li>Child elements of the same name, adjacent or not, become one list in document order; a
 *       single child is a single value, not a list of one.
 *   <li>Values are never typed: {@code <n>42</n>} is the text {@code "42"}.
 * </ul>
 *
 * <p>Back to XML ({@link #toXml}): a map's keys become child elements (a list value repeats the
 * element), {@code "@name"} keys attributes and {@code "#text"} text; numbers are written in plain
 * notation, booleans as {@code true}/{@code false}, and {@code null} as an empty element with
 * {@code xsi:nil="true"}. All elements are in the namespace given, or only the root is when
 * children are unqualified ({@code elementFormDefault="unqualified"}, as JAX-WS generates).
 *
 * <p>Stateless and thread-safe. Jackson's {@code XmlMapper.readTree} was not used: it cannot tell
 * attributes from elements, keeps text beside attributes under an empty key and would need a second
 * parser configured against XXE, while the SOAP connector has the namespace-aware DOM already.
 */
public final class XmlJson {
  /** The key under which an element's text stands when it also has attributes or children. */
  public static final String TEXT = "#text";

  /** The prefix of attribute keys. */
  public static final String ATTRIBUTE = "@";

  private static final Pattern NAME = Pattern.compile("[\\p{L}_][\\p{L}\\p{N}_.\\-]*");

  private XmlJson() {}

  /** The JSON value of {@code element}'s content: a map, a string or {@code null}. */
  public static Object toJson(Element element) {
    Map<String, Object> out = new LinkedHashMap<>();
    NamedNodeMap attributes = element.getAttributes();
    for (int i = 0; i < attributes.getLength(); i++) {
      Attr a = (Attr) attributes.item(i);
      if (XMLConstants.XMLNS_ATTRIBUTE_NS_URI.equals(a.getNamespaceURI())) {
        continue;
      }
      if (isNil(a)) {
        return null;
      }
      out.put(ATTRIBUTE + localName(a), a.getValue());
    }
    StringBuilder text = new StringBuilder();
    boolean hasChildElements = false;
    for (Node n = element.getFirstChild(); n != null; n = n.getNextSibling()) {
      switch (n.getNodeType()) {
        case Node.ELEMENT_NODE -> {
          hasChildElements = true;
          add(out, localName(n), toJson((Element) n));
        }
        case Node.TEXT_NODE, Node.CDATA_SECTION_NODE -> text.append(n.getNodeValue());
        default -> {
          // comments and processing instructions carry no data
        }
      }
    }
    if (out.isEmpty() && !hasChildElements) {
      return text.toString();
    }
    String joined = hasChildElements ? joinedText(element) : text.toString();
    if (!joined.isBlank()) {
      out.put(TEXT, joined);
    }
    return out;
  }

  /**
   * A new document whose root element {@code name} holds {@code value}.
   *
   * @param namespace the root's namespace URI, or {@code null}/empty for none
   * @param qualified whether child elements are in that namespace too
   * @throws XmlException naming a key that is not an XML name or a value XML cannot hold
   */
  public static Document toXml(String name, String namespace, Object value, boolean qualified) {
    Document doc = SafeXmlParser.newDocument();
    String ns = namespace == null || namespace.isEmpty() ? null : namespace;
    Element root = element(doc, ns, name, ns == null || qualified ? "" : "ns");
    if (ns != null) {
      String attr = qualified ? "xmlns" : "xmlns:ns";
      root.setAttributeNS(XMLConstants.XMLNS_ATTRIBUTE_NS_URI, attr, ns);
    }
    doc.appendChild(root);
    fill(root, value, qualified ? ns : null, name);
    return doc;
  }

  private static void fill(Element target, Object value, String ns, String path) {
    switch (value) {
      case null -> {
        target.setAttributeNS(XMLConstants.XMLNS_ATTRIBUTE_NS_URI, "xmlns:xsi", XSI);
        target.setAttributeNS(XSI, "xsi:nil", "true");
      }
      case Map<?, ?> map -> {
        for (Map.Entry<?, ?> e : map.entrySet()) {
          String key = String.valueOf(e.getKey());
          if (key.equals(TEXT)) {
            target.appendChild(target.getOwnerDocument().createTextNode(text(e.getValue(), path)));
          } else if (key.startsWith(ATTRIBUTE)) {
            String attr = checkedName(key.substring(1), path);
            if (e.getValue() != null) {
              target.setAttribute(attr, text(e.getValue(), path + "/" + key));
            }
          } else {
            addChildren(target, checkedName(key, path), e.getValue(), ns, path + "/" + key);
          }
        }
      }
      case List<?> list ->
          throw new XmlException(
              path
                  + ": a list needs a name for its elements; put it in a context, e.g. {item: [...]}");
      default -> target.appendChild(target.getOwnerDocument().createTextNode(text(value, path)));
    }
  }

  private static void addChildren(
      Element parent, String name, Object value, String ns, String path) {
    if (value instanceof List<?> items) {
      for (Object item : items) {
        addChildren(parent, name, item, ns, path);
      }
      return;
    }
    Element child = element(parent.getOwnerDocument(), ns, name, "");
    parent.appendChild(child);
    fill(child, value, ns, path);
  }

  private static Element element(Document doc, String ns, String name, String prefix) {
    String qname = prefix.isEmpty() ? name : prefix + ":" + name;
    try {
      return doc.createElementNS(ns, qname);
    } catch (DOMException e) {
      throw new XmlException("'" + name + "' is not an XML element name", e);
    }
  }

  private static String checkedName(String key, String path) {
    if (!NAME.matcher(key).matches()) {
      throw new XmlException(
          path + ": key '" + key + "' is not an XML name (letters, digits, _ . -; no prefix)");
    }
    return key;
  }

  /** The text of a scalar value; refuses characters XML 1.0 cannot carry. */
  static String text(Object value, String path) {
    String s =
        switch (value) {
          case null -> "";
          case String str -> str;
          case BigDecimal bd -> bd.toPlainString();
          case Double d when d.isNaN() || d.isInfinite() ->
              throw new XmlException(path + ": " + d + " is not a number XML can carry");
          case Double d -> BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
          case Float f -> text(f.doubleValue(), path);
          case Number n -> n.toString();
          case Boolean b -> b.toString();
          case Map<?, ?> m -> throw new XmlException(path + ": a context cannot be an XML text");
          case List<?> l -> throw new XmlException(path + ": a list cannot be an XML text");
          default -> value.toString();
        };
    for (int i = 0; i < s.length(); ) {
      int c = s.codePointAt(i);
      if (!isXmlChar(c)) {
        throw new XmlException(
            path + ": character U+" + String.format("%04X", c) + " cannot appear in XML");
      }
      i += Character.charCount(c);
    }
    return s;
  }

  private static boolean isXmlChar(int c) {
    return c == 0x9
        || c == 0xA
        || c == 0xD
        || (c >= 0x20 && c <= 0xD7FF)
        || (c >= 0xE000 && c <= 0xFFFD)
        || (c >= 0x10000 && c <= 0x10FFFF);
  }

  private static final String XSI = XMLConstants.W3C_XML_SCHEMA_INSTANCE_NS_URI;

  private static boolean isNil(Attr a) {
    return XSI.equals(a.getNamespaceURI())
        && "nil".equals(a.getLocalName())
        && ("true".equals(a.getValue().strip()) || "1".equals(a.getValue().strip()));
  }

  @SuppressWarnings("unchecked")
  private static void add(Map<String, Object> out, String key, Object value) {
    if (!out.containsKey(key)) {
      out.put(key, value);
      return;
    }
    // An element's value is never a list itself, so a list here is one made from repeated names.
    Object existing = out.get(key);
    if (existing instanceof List<?> list) {
      ((List<Object>) list).add(value);
    } else {
      List<Object> list = new ArrayList<>();
      list.add(existing);
      list.add(value);
      out.put(key, list);
    }
  }

  private static String joinedText(Element element) {
    StringBuilder sb = new StringBuilder();
    for (Node n = element.getFirstChild(); n != null; n = n.getNextSibling()) {
      short t = n.getNodeType();
      if ((t == Node.TEXT_NODE || t == Node.CDATA_SECTION_NODE) && !n.getNodeValue().isBlank()) {
        if (!sb.isEmpty()) {
          sb.append(' ');
        }
        sb.append(n.getNodeValue().strip());
      }
    }
    return sb.toString();
  }

  private static String localName(Node n) {
    return n.getLocalName() != null ? n.getLocalName() : n.getNodeName();
  }
}
