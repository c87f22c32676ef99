package io.cob.connectors.xml;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.transform.ErrorListener;
import javax.xml.transform.Templates;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerConfigurationException;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMResult;
import javax.xml.transform.dom.DOMSource;
import org.w3c.dom.Document;

/**
 * Applies XSLT 1.0 stylesheets (the JDK's processor) to documents.
 *
 * <p>Stylesheets come from models, so they are compiled once and kept, keyed by the SHA-256 of
 * their text (at most {@value #CACHE_SIZE}, least recently used dropped first). They run with
 * secure processing on: no extension functions, no DTDs, and no {@code xsl:import}, {@code
 * xsl:include} or {@code document()} reaching out to files or the network.
 *
 * <p>Thread-safe: compiled {@link Templates} are shared, each transformation gets its own {@link
 * Transformer}.
 */
public final class XsltTransformer {
  static final int CACHE_SIZE = 128;

  private final Map<String, Templates> compiled =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Templates> eldest) {
          return size() > CACHE_SIZE;
        }
      };

  /**
   * The result of applying {@code stylesheet} to {@code input}.
   *
   * @param what what the stylesheet is, for errors (e.g. {@code setting 'xslt'})
   * @throws XmlException naming {@code what} when the stylesheet does not compile, fails, or
   *     produces no element
   */
  public Document transform(String stylesheet, Document input, String what) {
    Templates templates = templates(stylesheet, what);
    try {
      Transformer t = templates.newTransformer();
      t.setErrorListener(THROWING);
      DOMResult result = new DOMResult(SafeXmlParser.newDocument());
      t.transform(new DOMSource(input), result);
      Document out = (Document) result.getNode();
      if (out.getDocumentElement() == null) {
        throw new XmlException(what + ": the stylesheet produced no element");
      }
      return out;
    } catch (TransformerException e) {
      throw new XmlException(what + ": the transformation failed: " + message(e), e);
    }
  }

  /** How many compiled stylesheets are kept (for tests). */
  synchronized int cached() {
    return compiled.size();
  }

  private Templates templates(String stylesheet, String what) {
    String key = sha256(stylesheet);
    synchronized (this) {
      Templates t = compiled.get(key);
      if (t != null) {
        return t;
      }
    }
    // Compiled outside the lock: two threads may compile the same text once each, harmlessly.
    Document xsl = SafeXmlParser.parse(stylesheet, what);
    Templates t;
    try {
      t = factory().newTemplates(new DOMSource(xsl));
    } catch (TransformerConfigurationException e) {
      throw new XmlException(what + " is not a usable XSLT stylesheet: " + message(e), e);
    }
    synchronized (this) {
      compiled.put(key, t);
    }
    return t;
  }

  private static TransformerFactory factory() throws TransformerConfigurationException {
    TransformerFactory f = TransformerFactory.newDefaultInstance();
    f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
    f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
    f.setAttribute(XMLConstants.ACCESS_EXTERNAL_STYLESHEET, "");
    f.setErrorListener(THROWING);
    return f;
  }

  private static String message(TransformerException e) {
    Throwable c = e;
    while (c.getCause() != null && c.getCause() != c) {
      c = c.getCause();
    }
    String m = e.getMessageAndLocation();
    return c == e || c.getMessage() == null ? m : m + " (" + c.getMessage() + ")";
  }

  private static String sha256(String text) {
    return HexFormat.of()
        .formatHex(
            io.cob.engine.blob.BlobDigest.sha256().digest(text.getBytes(StandardCharsets.UTF_8)));
  }

  /** Reports through exceptions only: the JDK's default listener also prints to stderr. */
  private static final ErrorListener THROWING =
      new ErrorListener() {
        @Override
        public void warning(TransformerException e) {}

        @Override
        public void error(TransformerException e) throws TransformerException {
          throw e;
        }

        @Override
        public void fatalError(TransformerException e) throws TransformerException {
          throw e;
        }
      };
}
