package io.cob.connectors.soap;

import java.util.Arrays;
import java.util.Optional;

/** SOAP 1.1 or 1.2: the envelope namespace and how the HTTP binding names the action. */
public enum SoapVersion {
  V1_1("1.1", "http://schemas.xmlsoap.org/soap/envelope/", "1"),
  V1_2("1.2", "http://www.w3.org/2003/05/soap-envelope", "true");

  private final String label;
  private final String namespace;
  private final String mustUnderstand;

  SoapVersion(String label, String namespace, String mustUnderstand) {
    this.label = label;
    this.namespace = namespace;
    this.mustUnderstand = mustUnderstand;
  }

  /** {@code 1.1} or {@code 1.2}, as in the {@code soapVersion} setting. */
  public String label() {
    return label;
  }

  /** The envelope namespace URI. */
  public String namespace() {
    return namespace;
  }

  /** The value of {@code mustUnderstand} that means true in this version. */
  public String mustUnderstand() {
    return mustUnderstand;
  }

  /**
   * The {@code Content-Type} of a request: SOAP 1.1 sends {@code text/xml} (the action goes in the
   * {@code SOAPAction} header), SOAP 1.2 sends {@code application/soap+xml} with the action as a
   * parameter.
   */
  public String contentType(String action) {
    if (this == V1_1) {
      return "text/xml; charset=utf-8";
    }
    return action == null || action.isEmpty()
        ? "application/soap+xml; charset=utf-8"
        : "application/soap+xml; charset=utf-8; action=\"" + action + "\"";
  }

  /** The version of a {@code soapVersion} setting: {@code 1.1}, {@code 1.2} (also 11, 12). */
  public static Optional<SoapVersion> of(String text) {
    String t = text.strip();
    return Arrays.stream(values())
        .filter(v -> v.label.equals(t) || v.label.replace(".", "").equals(t))
        .findFirst();
  }

  /** The version whose envelope namespace is {@code uri}. */
  public static Optional<SoapVersion> ofNamespace(String uri) {
    return Arrays.stream(values()).filter(v -> v.namespace.equals(uri)).findFirst();
  }
}
