package io.cob.connectors.soap;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import javax.xml.XMLConstants;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * A WS-Security {@code Security} header with a {@code UsernameToken}, per the OASIS Web Services
 * Security UsernameToken Profile 1.0.
 *
 * <p>With {@link Type#TEXT} the password is sent as it is ({@code #PasswordText}), which is only
 * safe over HTTPS. With {@link Type#DIGEST} it is sent as {@code Base64(SHA-1(nonce + created +
 * password))} ({@code #PasswordDigest}) with a fresh 16-byte {@code Nonce} and the {@code Created}
 * time, so the server can refuse replays.
 *
 * <p>Written by hand rather than with Apache WSS4J: the token is a dozen elements, while WSS4J
 * brings a SAML and XML-signature stack this connector does not use.
 *
 * @param username the user name
 * @param password the password, never logged
 * @param type how the password is sent
 */
public record UsernameToken(String username, String password, Type type) {
  public static final String WSSE =
      "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd";
  public static final String WSU =
      "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd";
  private static final String PROFILE =
      "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0";
  private static final String BASE64 =
      "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0"
          + "#Base64Binary";
  private static final SecureRandom RANDOM = new SecureRandom();

  /** How the password is sent. */
  public enum Type {
    TEXT("#PasswordText"),
    DIGEST("#PasswordDigest");

    private final String uri;

    Type(String suffix) {
      this.uri = PROFILE + suffix;
    }

    /** The {@code Password/@Type} URI. */
    public String uri() {
      return uri;
    }
  }

  @Override
  public String toString() {
    return "UsernameToken[" + username + ", " + type + "]";
  }

  /** The {@code wsse:Security} header element for an envelope of {@code version}, made in doc. */
  public Element header(Document doc, SoapVersion version, Instant now) {
    Element security = doc.createElementNS(WSSE, "wsse:Security");
    security.setAttributeNS(XMLConstants.XMLNS_ATTRIBUTE_NS_URI, "xmlns:wsse", WSSE);
    security.setAttributeNS(XMLConstants.XMLNS_ATTRIBUTE_NS_URI, "xmlns:wsu", WSU);
    // Declared here too: a given envelope may bind its own prefix to the envelope namespace.
    security.setAttributeNS(XMLConstants.XMLNS_ATTRIBUTE_NS_URI, "xmlns:soap", version.namespace());
    security.setAttributeNS(version.namespace(), "soap:mustUnderstand", version.mustUnderstand());
    Element token = append(security, WSSE, "wsse:UsernameToken", null);
    append(token, WSSE, "wsse:Username", username);
    if (type == Type.TEXT) {
      append(token, WSSE, "wsse:Password", password).setAttribute("Type", type.uri());
      return security;
    }
    byte[] nonce = new byte[16];
    RANDOM.nextBytes(nonce);
    String created = now.truncatedTo(ChronoUnit.MILLIS).toString();
    append(token, WSSE, "wsse:Password", digest(nonce, created, password))
        .setAttribute("Type", type.uri());
    append(token, WSSE, "wsse:Nonce", Base64.getEncoder().encodeToString(nonce))
        .setAttribute("EncodingType", BASE64);
    append(token, WSU, "wsu:Created", created);
    return security;
  }

  /** {@code Base64(SHA-1(nonce + created + password))}, as the profile defines it. */
  public static String digest(byte[] nonce, String created, String password) {
    try {
      MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
      sha1.update(nonce);
      sha1.update(created.getBytes(StandardCharsets.UTF_8));
      sha1.update(password.getBytes(StandardCharsets.UTF_8));
      return Base64.getEncoder().encodeToString(sha1.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is part of every JDK", e);
    }
  }

  private static Element append(Element parent, String ns, String qname, String text) {
    Element e = parent.getOwnerDocument().createElementNS(ns, qname);
    if (text != null) {
      e.setTextContent(text);
    }
    parent.appendChild(e);
    return e;
  }
}
