package io.cob.connectors.xml;

import java.io.StringWriter;
import javax.xml.XMLConstants;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.w3c.dom.Node;

/**
 * Writes a DOM node as XML text, with the namespace declarations its names need. Stateless and
 * thread-safe.
 */
public final class XmlWriter {
  private XmlWriter() {}

  /** The node as UTF-8 XML text; with {@code declaration}, led by {@code <?xml ...?>}. */
  public static String write(Node node, boolean declaration) {
    try {
      TransformerFactory f = TransformerFactory.newDefaultInstance();
      f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
      f.setAttribute(XMLConstants.ACCESS_EXTERNAL_STYLESHEET, "");
      Transformer t = f.newTransformer();
      t.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
      // Written by hand: the JDK's own declaration adds a needless standalone="no".
      t.setOutputProperty(OutputKeys.OMIT_XML_DECLARATION, "yes");
      StringWriter out = new StringWriter();
      if (declaration) {
        out.write("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
      }
      t.transform(new DOMSource(node), new StreamResult(out));
      return out.toString();
    } catch (TransformerException e) {
      throw new XmlException("XML cannot be written: " + e.getMessage(), e);
    }
  }
}
