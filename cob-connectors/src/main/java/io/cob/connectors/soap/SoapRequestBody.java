package io.cob.connectors.soap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cob.connectors.ConnectorException;
import io.cob.connectors.JobConfig;
import io.cob.connectors.xml.SafeXmlParser;
import io.cob.connectors.xml.XmlException;
import io.cob.connectors.xml.XmlJson;
import io.cob.connectors.xml.XmlTemplate;
import io.cob.connectors.xml.XsltTransformer;
import io.cob.model.Expression;
import io.cob.model.expr.ExpressionException;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * Builds the envelope a SOAP task sends: the payload from the {@code body} template or from the
 * {@code request} context, the {@code xslt} applied to it, wrapped in an envelope of the task's
 * version with the WS-Security header when a user name is set.
 */
final class SoapRequestBody {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final XsltTransformer xslt;

  SoapRequestBody(XsltTransformer xslt) {
    this.xslt = xslt;
  }

  /** The envelope to send; a body that is already an envelope gets only the security header. */
  Document envelope(JobConfig config, SoapSettings settings, Instant now) {
    Document built = payload(config);
    String stylesheet = config.optionalString("xslt").filter(s -> !s.isBlank()).orElse(null);
    Document payload =
        stylesheet == null ? built : xml(() -> xslt.transform(stylesheet, built, "setting 'xslt'"));
    Element root = payload.getDocumentElement();
    SoapVersion version = settings.version();
    Document envelope;
    if ("Envelope".equals(root.getLocalName())
        && SoapVersion.ofNamespace(root.getNamespaceURI()).isPresent()) {
      if (!version.namespace().equals(root.getNamespaceURI())) {
        throw ConnectorException.misconfigured(
            "the body is a SOAP "
                + SoapVersion.ofNamespace(root.getNamespaceURI()).orElseThrow().label()
                + " envelope but setting 'soapVersion' is "
                + version.label());
      }
      envelope = payload;
    } else {
      envelope = wrap(payload, version);
    }
    if (settings.token() != null) {
      header(envelope, version).appendChild(settings.token().header(envelope, version, now));
    }
    return envelope;
  }

  private Document payload(JobConfig config) {
    if (config.has("body")) {
      String template = template(config);
      Map<String, Object> vars = config.job().variables();
      UnaryOperator<String> secrets =
          ref -> config.context().secrets().resolve(ref, "setting 'body'");
      String xml = xml(() -> XmlTemplate.render(template, vars, secrets, "setting 'body'"));
      return xml(() -> SafeXmlParser.parse(xml, "setting 'body' (after filling placeholders)"));
    }
    String operation =
        config
            .optionalString("operation")
            .orElseThrow(
                () ->
                    ConnectorException.misconfigured(
                        "there is no request: set 'body' (an XML template) or 'operation' (the"
                            + " operation element's name, with 'namespace' and 'request')"));
    Object request = request(config);
    String namespace = config.string("namespace", "");
    String form = config.string("elementForm", "qualified").strip().toLowerCase(Locale.ROOT);
    if (!form.equals("qualified") && !form.equals("unqualified")) {
      throw config.wrongType("elementForm", "qualified or unqualified", form);
    }
    boolean qualified = form.equals("qualified");
    return xml(() -> XmlJson.toXml(operation.strip(), namespace, request, qualified));
  }

  /**
   * The {@code body} text with its secret references still in, so that {@link XmlTemplate} escapes
   * the secrets as it fills them in: a header's text, a FEEL header's result, or the variable.
   */
  private static String template(JobConfig config) {
    Object raw = config.rawValue("body").orElseThrow(() -> config.missing("body"));
    Object value = raw;
    if (config.job().headers().containsKey("body")
        && raw instanceof String s
        && s.startsWith("=")) {
      try {
        value = config.context().expressions().evaluate(Expression.of(s), config.job().variables());
      } catch (ExpressionException e) {
        throw ConnectorException.misconfigured("header 'body' (" + s + "): " + e.getMessage());
      }
    }
    if (!(value instanceof String text)) {
      throw config.wrongType("body", "an XML text", value);
    }
    return text;
  }

  /** The {@code request} context, or {@code bodyJson} (a context or a JSON text); empty if none. */
  private static Object request(JobConfig config) {
    if (config.has("request")) {
      return config.map("request");
    }
    Object json = config.value("bodyJson").orElse(Map.of());
    if (json instanceof String text) {
      try {
        json = JSON.readValue(text, Object.class);
      } catch (JsonProcessingException e) {
        throw ConnectorException.misconfigured(
            "setting 'bodyJson' is not valid JSON: " + e.getOriginalMessage());
      }
    }
    if (!(json instanceof Map<?, ?>)) {
      throw config.wrongType("bodyJson", "a context (JSON object)", json);
    }
    return json;
  }

  private static Document wrap(Document payload, SoapVersion version) {
    Document env = SafeXmlParser.newDocument();
    Element envelope = env.createElementNS(version.namespace(), "soap:Envelope");
    envelope.setAttributeNS(
        javax.xml.XMLConstants.XMLNS_ATTRIBUTE_NS_URI, "xmlns:soap", version.namespace());
    env.appendChild(envelope);
    Element body = env.createElementNS(version.namespace(), "soap:Body");
    envelope.appendChild(body);
    body.appendChild(env.importNode(payload.getDocumentElement(), true));
    return env;
  }

  /** The envelope's {@code Header}, added before the {@code Body} when there is none. */
  private static Element header(Document envelope, SoapVersion version) {
    Element root = envelope.getDocumentElement();
    Element header = SoapFault.child(root, "Header");
    if (header == null) {
      String prefix = root.getPrefix();
      header =
          envelope.createElementNS(
              version.namespace(), prefix == null ? "Header" : prefix + ":Header");
      root.insertBefore(header, SoapFault.firstElement(root));
    }
    return header;
  }

  private static <T> T xml(java.util.function.Supplier<T> step) {
    try {
      return step.get();
    } catch (XmlException e) {
      throw ConnectorException.misconfigured(e.getMessage());
    }
  }
}
