package io.cob.connectors.xml;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.xml.sax.ErrorHandler;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * Parses XML from outside (answers of services, templates in models) into a namespace-aware DOM
 * without opening the doors XML leaves open by default: a document with a {@code DOCTYPE} is
 * refused outright, so no DTD is read, no entity is expanded (no XXE, no entity-expansion bomb), no
 * XInclude is followed, and elements nest at most {@value #MAX_DEPTH} levels deep.
 *
 * <p>Stateless and thread-safe: each call makes its own parser, since JAXP parsers are not.
 */
public final class SafeXmlParser {
  private static final String DOCTYPE_REFUSED =
      " contains a DOCTYPE declaration, which is refused: DTDs and entities are never processed"
          + " (XXE protection)";

  /**
   * The deepest nesting of elements accepted: the JDK's default since JDK 24, set here for older
   * ones. {@link XmlJson} and {@link XPathMapping} walk documents recursively.
   */
  public static final int MAX_DEPTH = 100;

  private static final String DEPTH_PROPERTY = "jdk.xml.maxElementDepth";

  private SafeXmlParser() {}

  /**
   * Parses {@code xml}; the encoding is taken from the XML declaration, UTF-8 by default.
   *
   * @param what what the text is, for the error (e.g. {@code the answer of http://...})
   * @throws XmlException naming {@code what} when the text is not well-formed or has a DOCTYPE
   */
  public static Document parse(byte[] xml, String what) {
    return parse(new InputSource(new ByteArrayInputStream(xml)), what);
  }

  /** Parses text already decoded; see {@link #parse(byte[], String)}. */
  public static Document parse(String xml, String what) {
    return parse(new InputSource(new StringReader(xml)), what);
  }

  /** An empty namespace-aware document to build XML in. */
  public static Document newDocument() {
    return builder().newDocument();
  }

  private static Document parse(InputSource source, String what) {
    try {
      return builder().parse(source);
    } catch (SAXParseException e) {
      if (String.valueOf(e.getMessage()).contains("DOCTYPE")) {
        throw new XmlException(what + DOCTYPE_REFUSED, e);
      }
      if (String.valueOf(e.getMessage()).contains(DEPTH_PROPERTY)) {
        throw new XmlException(
            what
                + " nests elements deeper than "
                + MAX_DEPTH
                + " levels (line "
                + e.getLineNumber()
                + ", column "
                + e.getColumnNumber()
                + "), which is refused",
            e);
      }
      throw new XmlException(
          what
              + " is not well-formed XML (line "
              + e.getLineNumber()
              + ", column "
              + e.getColumnNumber()
              + "): "
              + e.getMessage(),
          e);
    } catch (SAXException | IOException e) {
      throw new XmlException(what + " cannot be read as XML: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      // The JDK's parser throws its own bugs at odd input (a MissingResourceException for a
      // message it lacks); still input that is not XML.
      throw new XmlException(what + " cannot be read as XML: " + e, e);
    }
  }

  private static DocumentBuilder builder() {
    DocumentBuilderFactory f = DocumentBuilderFactory.newDefaultNSInstance();
    try {
      f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      f.setFeature("http://xml.org/sax/features/external-general-entities", false);
      f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
      f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
      f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
      f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
      f.setAttribute(DEPTH_PROPERTY, String.valueOf(MAX_DEPTH));
      f.setXIncludeAware(false);
      f.setExpandEntityReferences(false);
      DocumentBuilder b = f.newDocumentBuilder();
      b.setErrorHandler(THROWING);
      return b;
    } catch (ParserConfigurationException e) {
      throw new IllegalStateException("the JDK's XML parser lacks a security feature", e);
    }
  }

  /** Reports through exceptions only: the JDK's default handler also prints to stderr. */
  private static final ErrorHandler THROWING =
      new ErrorHandler() {
        @Override
        public void warning(SAXParseException e) {}

        @Override
        public void error(SAXParseException e) throws SAXException {
          throw e;
        }

        @Override
        public void fatalError(SAXParseException e) throws SAXException {
          throw e;
        }
      };
}
