package io.cob.model.parse;

import io.cob.model.Problem;
import io.cob.model.SourceLocation;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.XMLConstants;
import javax.xml.stream.Location;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Reads a document into an {@link XmlElement} tree, safely.
 *
 * <p>Contract: never resolves a DTD or an entity (a document that has a DOCTYPE or an entity
 * reference is rejected), never touches the network or the file system, refuses elements nested
 * deeper than {@value #MAX_DEPTH} levels, and reports every document-level failure (size, encoding,
 * malformed XML) as a {@link Problem} at the position the decoder or XML parser gave. On any such
 * problem the result is empty: a half-read tree would only produce follow-on noise.
 */
final class XmlReader {
  static final String DTD_NOT_ALLOWED = "DTDs and external entities are not allowed";

  /**
   * The deepest nesting of elements read. A BPMN document needs one level per nested sub-process;
   * the bound keeps the readers that walk the tree recursively far from the end of their stack. It
   * is the JDK's own default since JDK 24 ({@code jdk.xml.maxElementDepth}), which older JDKs do
   * not have, hence checked here.
   */
  static final int MAX_DEPTH = 100;

  /** The text of a document as decoded, and its root element. */
  record XmlDocument(String text, XmlElement root) {}

  private static final Pattern DECLARED_ENCODING =
      Pattern.compile("^<\\?xml[^>]*?encoding\\s*=\\s*[\"']([A-Za-z0-9._:-]+)[\"']");
  private static final Pattern UNBOUND_PREFIX =
      Pattern.compile("#(Element|Attribute)PrefixUnbound\\?([^&]*)&(.*)$");

  private final String fileName;
  private final List<Problem> problems;

  XmlReader(String fileName, List<Problem> problems) {
    this.fileName = fileName;
    this.problems = problems;
  }

  /** Reads a document; adds problems and returns empty when it cannot be read. */
  Optional<XmlDocument> read(byte[] content, long maxBytes) {
    if (content.length > maxBytes) {
      // Checked before decoding so that an oversized document costs nothing to reject.
      documentProblem(
          1,
          1,
          "document is " + content.length + " bytes, over the limit of " + maxBytes + " bytes");
      return Optional.empty();
    }
    Optional<String> text = decode(content);
    if (text.isEmpty()) {
      return Optional.empty();
    }
    return parse(text.get());
  }

  // --- decoding ---

  /**
   * Decodes the bytes ourselves (BOM, then the XML declaration, else UTF-8) and feeds the XML
   * parser characters: then the parser's line and column refer to exactly the text we hold, which
   * lets us find the start of each tag.
   */
  private Optional<String> decode(byte[] b) {
    Charset charset;
    int bom = 0;
    if (startsWith(b, 0xEF, 0xBB, 0xBF)) {
      charset = StandardCharsets.UTF_8;
      bom = 3;
    } else if (startsWith(b, 0xFE, 0xFF)) {
      charset = StandardCharsets.UTF_16BE;
      bom = 2;
    } else if (startsWith(b, 0xFF, 0xFE)) {
      charset = StandardCharsets.UTF_16LE;
      bom = 2;
    } else if (startsWith(b, 0x00, 0x3C, 0x00, 0x3F)) {
      charset = StandardCharsets.UTF_16BE;
    } else if (startsWith(b, 0x3C, 0x00, 0x3F, 0x00)) {
      charset = StandardCharsets.UTF_16LE;
    } else {
      String head = new String(b, 0, Math.min(b.length, 200), StandardCharsets.ISO_8859_1);
      Matcher m = DECLARED_ENCODING.matcher(head);
      if (m.find()) {
        try {
          charset = Charset.forName(m.group(1));
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
          documentProblem(1, 1, "unsupported encoding '" + m.group(1) + "'");
          return Optional.empty();
        }
      } else {
        charset = StandardCharsets.UTF_8;
      }
    }
    CharsetDecoder decoder =
        charset
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(b, bom, b.length - bom);
    // Decoded in one call into a buffer that fits any result, so that on failure the text before
    // the bad bytes is at hand to locate them.
    long capacity = (long) Math.ceil(in.remaining() * (double) decoder.maxCharsPerByte()) + 16;
    CharBuffer out = CharBuffer.allocate((int) Math.min(capacity, Integer.MAX_VALUE - 16));
    CoderResult result = decoder.decode(in, out, true);
    if (!result.isError()) {
      result = decoder.flush(out);
    }
    if (result.isError()) {
      String prefix = out.flip().toString();
      LineIndex index = new LineIndex(prefix);
      int[] lc = index.lineAndColumn(prefix.length());
      documentProblem(lc[0], lc[1], "document is not valid " + charset.name() + " text");
      return Optional.empty();
    }
    return Optional.of(out.flip().toString());
  }

  private static boolean startsWith(byte[] b, int... prefix) {
    if (b.length < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if ((b[i] & 0xFF) != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  // --- parsing ---

  private static XMLInputFactory secureFactory() {
    // The JDK's own implementation: its location reporting is what start-tag lookup relies on, and
    // it must not be swapped for whatever StAX provider happens to be on the class path.
    XMLInputFactory f = XMLInputFactory.newDefaultFactory();
    f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    f.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
    f.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
    f.setProperty(XMLInputFactory.IS_COALESCING, false);
    f.setXMLResolver(
        (publicId, systemId, baseUri, namespace) -> {
          throw new XMLStreamException(DTD_NOT_ALLOWED);
        });
    try {
      f.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
    } catch (IllegalArgumentException ignored) {
      // Belt and braces only: SUPPORT_DTD=false already keeps external DTDs away.
    }
    try {
      // One more than ours, so that the parse loop reports the depth in its own words.
      f.setProperty("jdk.xml.maxElementDepth", String.valueOf(MAX_DEPTH + 1));
    } catch (IllegalArgumentException ignored) {
      // A JDK without the property has no limit of its own; the parse loop's still holds.
    }
    return f;
  }

  private Optional<XmlDocument> parse(String text) {
    LineIndex lines = new LineIndex(text);
    XmlElement root = null;
    Deque<XmlElement> open = new ArrayDeque<>();
    XMLStreamReader r = null;
    try {
      r = secureFactory().createXMLStreamReader(new StringReader(text));
      while (r.hasNext()) {
        int event = r.next();
        switch (event) {
          case XMLStreamConstants.DTD,
              XMLStreamConstants.ENTITY_REFERENCE,
              XMLStreamConstants.ENTITY_DECLARATION -> {
            rejectDtd(text, lines, r.getLocation());
            return Optional.empty();
          }
          case XMLStreamConstants.START_ELEMENT -> {
            if (open.size() >= MAX_DEPTH) {
              Location at = r.getLocation();
              documentProblem(
                  line(at), column(at), "elements are nested deeper than " + MAX_DEPTH + " levels");
              return Optional.empty();
            }
            XmlElement e = startElement(r, text, lines, open.peek());
            if (open.isEmpty()) {
              root = e;
            } else {
              open.peek().addChild(e);
            }
            open.push(e);
          }
          case XMLStreamConstants.END_ELEMENT -> open.pop();
          case XMLStreamConstants.CHARACTERS,
              XMLStreamConstants.CDATA,
              XMLStreamConstants.SPACE -> {
            if (!open.isEmpty()) {
              open.peek().appendText(r.getText());
            }
          }
          default -> {
            // Comments, processing instructions, document start/end: nothing to keep.
          }
        }
      }
    } catch (XMLStreamException e) {
      if (root == null && containsDoctype(text)) {
        // The parser may choke on a DTD's content before it reports the DTD itself: still a DTD.
        rejectDtd(text, lines, e.getLocation());
      } else {
        malformed(e);
      }
      return Optional.empty();
    } catch (RuntimeException e) {
      // The JDK's parser has thrown its own bugs at odd input: a NUL inside a DTD made it look up
      // a message it lacks (MissingResourceException "InvalidCharInDTD"). Still bad input.
      Location at = r == null ? null : r.getLocation();
      if (containsDoctype(text)) {
        rejectDtd(text, lines, at);
      } else {
        documentProblem(line(at), column(at), "malformed XML: the XML parser failed: " + e);
      }
      return Optional.empty();
    } finally {
      if (r != null) {
        try {
          r.close();
        } catch (XMLStreamException ignored) {
          // Closing a reader over a String cannot lose data.
        }
      }
    }
    if (root == null) {
      documentProblem(1, 1, "document has no root element");
      return Optional.empty();
    }
    return Optional.of(new XmlDocument(text, root));
  }

  private XmlElement startElement(
      XMLStreamReader r, String text, LineIndex lines, XmlElement parent) {
    List<XmlElement.Attribute> attributes = new ArrayList<>(r.getAttributeCount());
    for (int i = 0; i < r.getAttributeCount(); i++) {
      attributes.add(
          new XmlElement.Attribute(
              nullToEmpty(r.getAttributeNamespace(i)),
              r.getAttributeLocalName(i),
              r.getAttributeValue(i)));
    }
    String prefix = nullToEmpty(r.getPrefix());
    String qname = prefix.isEmpty() ? r.getLocalName() : prefix + ":" + r.getLocalName();
    SourceLocation location = startTagLocation(r.getLocation(), qname, text, lines);
    return new XmlElement(
        nullToEmpty(r.getNamespaceURI()), r.getLocalName(), attributes, location, parent);
  }

  /**
   * The StAX location of a START_ELEMENT event is just past the start tag's {@code >}. Problems
   * must point at the tag's {@code <}, which is the nearest {@code <} before it: a literal {@code
   * <} cannot occur inside a start tag (not even in attribute values). Falls back to the reported
   * position if the text there does not look like this tag.
   */
  private SourceLocation startTagLocation(
      Location after, String qname, String text, LineIndex lines) {
    int end = lines.offsetOf(after.getLineNumber(), after.getColumnNumber());
    if (end > 0 && end <= text.length()) {
      int lt = text.lastIndexOf('<', end - 1);
      if (lt >= 0 && text.startsWith(qname, lt + 1)) {
        int[] lc = lines.lineAndColumn(lt);
        return new SourceLocation(fileName, lc[0], lc[1]);
      }
    }
    return new SourceLocation(
        fileName, Math.max(after.getLineNumber(), 1), Math.max(after.getColumnNumber(), 1));
  }

  private static boolean containsDoctype(String text) {
    return text.contains("<!DOCTYPE") || text.contains("<!ENTITY");
  }

  private void rejectDtd(String text, LineIndex lines, Location fallback) {
    int at = text.indexOf("<!DOCTYPE");
    if (at < 0) {
      at = text.indexOf("<!ENTITY");
    }
    if (at >= 0) {
      int[] lc = lines.lineAndColumn(at);
      documentProblem(lc[0], lc[1], DTD_NOT_ALLOWED);
    } else {
      documentProblem(line(fallback), column(fallback), DTD_NOT_ALLOWED);
    }
  }

  private void malformed(XMLStreamException e) {
    Location loc = e.getLocation();
    documentProblem(line(loc), column(loc), "malformed XML: " + parserMessage(e));
  }

  /**
   * The JDK prefixes messages with "ParseError at [row,col]:[..]"; the location is reported apart.
   */
  static String parserMessage(XMLStreamException e) {
    String m = e.getMessage() == null ? e.toString() : e.getMessage();
    int i = m.indexOf("Message: ");
    if (i >= 0) {
      m = m.substring(i + "Message: ".length());
    }
    Matcher unbound = UNBOUND_PREFIX.matcher(m);
    if (unbound.find()) {
      String kind = unbound.group(1).equals("Element") ? "element" : "attribute";
      return "the prefix '"
          + unbound.group(2)
          + "' of "
          + kind
          + " '"
          + unbound.group(3)
          + "' is not bound to a namespace";
    }
    return m.strip();
  }

  private static int line(Location l) {
    return l == null || l.getLineNumber() < 1 ? 1 : l.getLineNumber();
  }

  private static int column(Location l) {
    return l == null || l.getColumnNumber() < 1 ? 1 : l.getColumnNumber();
  }

  private void documentProblem(int line, int column, String message) {
    problems.add(new Problem(new SourceLocation(fileName, line, column), null, null, message));
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }

  /**
   * Maps between character offsets and 1-based line/column, counting LF, CR LF and CR as breaks.
   */
  static final class LineIndex {
    private final int[] starts;

    LineIndex(String text) {
      List<Integer> s = new ArrayList<>();
      s.add(0);
      for (int i = 0; i < text.length(); i++) {
        char c = text.charAt(i);
        if (c == '\n' || (c == '\r' && (i + 1 >= text.length() || text.charAt(i + 1) != '\n'))) {
          s.add(i + 1);
        }
      }
      starts = s.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The character offset of a 1-based line and column, or -1 when out of range. */
    int offsetOf(int line, int column) {
      if (line < 1 || line > starts.length || column < 1) {
        return -1;
      }
      return starts[line - 1] + column - 1;
    }

    /** The 1-based line and column of a character offset. */
    int[] lineAndColumn(int offset) {
      int lo = 0;
      int hi = starts.length - 1;
      while (lo < hi) {
        int mid = (lo + hi + 1) >>> 1;
        if (starts[mid] <= offset) {
          lo = mid;
        } else {
          hi = mid - 1;
        }
      }
      return new int[] {lo + 1, offset - starts[lo] + 1};
    }
  }
}
