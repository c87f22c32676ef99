package io.cob.connectors.xml;

/**
 * XML that cannot be read, written or transformed, with a message that says what was wrong and
 * where (the setting or the answer it came from), fit to be shown in an incident.
 */
public final class XmlException extends RuntimeException {

  public XmlException(String message) {
    super(message);
  }

  public XmlException(String message, Throwable cause) {
    super(message, cause);
  }
}
