package io.cob.model.parse;

import io.cob.model.SourceLocation;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A light, read-only XML element tree node that remembers where its start tag was written.
 *
 * <p>The parser works on this tree rather than on a DOM so that every problem can be reported at
 * the line and column of the offending start tag, which a DOM does not keep. Namespaces are held as
 * URIs; the empty string stands for "no namespace".
 */
final class XmlElement {
  /** An attribute as written: namespace URI ({@code ""} for none), local name and value. */
  record Attribute(String namespace, String localName, String value) {}

  private final String namespace;
  private final String localName;
  private final List<Attribute> attributes;
  private final SourceLocation location;
  private final XmlElement parent;
  private final List<XmlElement> children = new ArrayList<>();
  private final StringBuilder text = new StringBuilder();

  XmlElement(
      String namespace,
      String localName,
      List<Attribute> attributes,
      SourceLocation location,
      XmlElement parent) {
    this.namespace = namespace;
    this.localName = localName;
    this.attributes = List.copyOf(attributes);
    this.location = location;
    this.parent = parent;
  }

  // --- building (used by XmlReader only) ---

  void addChild(XmlElement child) {
    children.add(child);
  }

  void appendText(String chars) {
    text.append(chars);
  }

  // --- reading ---

  String namespace() {
    return namespace;
  }

  String localName() {
    return localName;
  }

  SourceLocation location() {
    return location;
  }

  /** The enclosing element, or {@code null} for the root. */
  XmlElement parent() {
    return parent;
  }

  boolean is(String ns, String local) {
    return namespace.equals(ns) && localName.equals(local);
  }

  boolean isBpmn() {
    return namespace.equals(Namespaces.BPMN);
  }

  boolean isBpmn(String local) {
    return is(Namespaces.BPMN, local);
  }

  /** The {@code id} attribute (no namespace), or {@code null}. */
  String id() {
    return attr("id");
  }

  /** An attribute without namespace, or {@code null} when absent. */
  String attr(String local) {
    return attr("", local);
  }

  /** An attribute in a namespace, or {@code null} when absent. */
  String attr(String ns, String local) {
    for (Attribute a : attributes) {
      if (a.namespace().equals(ns) && a.localName().equals(local)) {
        return a.value();
      }
    }
    return null;
  }

  /** The first attribute with this local name in any of the namespaces, or {@code null}. */
  String attrIn(Iterable<String> namespaces, String local) {
    for (String ns : namespaces) {
      String v = attr(ns, local);
      if (v != null) {
        return v;
      }
    }
    return null;
  }

  /** The attributes of one namespace by local name, in document order. */
  Map<String, String> attributesIn(String ns) {
    Map<String, String> result = new LinkedHashMap<>();
    for (Attribute a : attributes) {
      if (a.namespace().equals(ns)) {
        result.put(a.localName(), a.value());
      }
    }
    return result;
  }

  List<XmlElement> children() {
    return Collections.unmodifiableList(children);
  }

  List<XmlElement> children(String ns, String local) {
    return children.stream().filter(c -> c.is(ns, local)).toList();
  }

  /** The first child with this name, or {@code null}. */
  XmlElement child(String ns, String local) {
    for (XmlElement c : children) {
      if (c.is(ns, local)) {
        return c;
      }
    }
    return null;
  }

  /**
   * The children of this element's {@code <bpmn:extensionElements>} (all of them when it occurs
   * more than once), in document order.
   */
  List<XmlElement> extensionElements() {
    List<XmlElement> result = new ArrayList<>();
    for (XmlElement c : children(Namespaces.BPMN, "extensionElements")) {
      result.addAll(c.children);
    }
    return result;
  }

  /** The extension elements with this name, in document order. */
  List<XmlElement> extensions(String ns, String local) {
    return extensionElements().stream().filter(c -> c.is(ns, local)).toList();
  }

  /** The first extension element with this name, or {@code null}. */
  XmlElement extension(String ns, String local) {
    for (XmlElement c : extensionElements()) {
      if (c.is(ns, local)) {
        return c;
      }
    }
    return null;
  }

  /** The character data directly inside this element (text and CDATA), as written. */
  String text() {
    return text.toString();
  }

  /** {@code <prefix:local>} as a message would show it, using cob's canonical prefixes. */
  String displayName() {
    String prefix = Namespaces.prefixFor(namespace);
    return prefix.isEmpty() || prefix.equals("bpmn") ? localName : prefix + ":" + localName;
  }

  @Override
  public String toString() {
    return "<" + displayName() + (id() == null ? "" : " id=" + id()) + "> at " + location;
  }
}
