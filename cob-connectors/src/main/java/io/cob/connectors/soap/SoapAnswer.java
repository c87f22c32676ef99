package io.cob.connectors.soap;

import io.cob.connectors.ConnectorException;
import io.cob.connectors.xml.SafeXmlParser;
import io.cob.connectors.xml.XPathMapping;
import io.cob.connectors.xml.XmlException;
import io.cob.connectors.xml.XmlJson;
import io.cob.connectors.xml.XsltTransformer;
import io.cob.engine.port.JobResult;
import java.net.http.HttpHeaders;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * Turns the HTTP answer to a SOAP call into the job's outcome.
 *
 * <ul>
 *   <li>An envelope with a Fault, whatever the status: a BPMN error ({@link SoapFault}).
 *   <li>2xx with an envelope: complete; the Body's first element (after {@code responseXslt}) in
 *       {@link XmlJson} form goes to {@code resultVariable}, plus one variable per {@code
 *       responseXPath} entry. 2xx without a body (a one-way operation): complete with {@code null}.
 *   <li>5xx, 408 and 429 without a Fault: transient, retried ({@code Retry-After} honoured).
 *   <li>Other 4xx without a Fault: a BPMN error {@code HTTP_<status>}.
 *   <li>A DOCTYPE, a 2xx body that is not a SOAP envelope (of either version), a redirect, or an
 *       answer over {@code maxResponseBytes}: an incident, since retrying cannot change it.
 * </ul>
 */
final class SoapAnswer {
  private final XsltTransformer xslt;
  private final Clock clock;

  SoapAnswer(XsltTransformer xslt, Clock clock) {
    this.xslt = xslt;
    this.clock = clock;
  }

  JobResult outcome(int status, HttpHeaders headers, byte[] body, SoapSettings settings) {
    String from = "the answer of " + settings.url();
    Optional<Element> soapBody = body.length == 0 ? Optional.empty() : soapBody(body, from, status);
    if (soapBody.isPresent()) {
      // The envelope's own version: a server may answer a VersionMismatch in the other one.
      SoapVersion version =
          SoapVersion.ofNamespace(soapBody.get().getNamespaceURI()).orElse(settings.version());
      Optional<SoapFault> fault = SoapFault.in(soapBody.get(), version);
      if (fault.isPresent()) {
        SoapFault f = fault.get();
        return new JobResult.Error(f.errorCode(), f.message(), f.variables());
      }
    }
    if (status >= 200 && status < 300) {
      if (soapBody.isEmpty() && body.length > 0) {
        throw ConnectorException.misconfigured(
            from
                + " (HTTP "
                + status
                + ") is not a SOAP "
                + settings.version().label()
                + " envelope");
      }
      return JobResult.complete(variables(soapBody.orElse(null), settings));
    }
    String what = "HTTP " + status + " from " + settings.url() + " without a SOAP Fault";
    if (status >= 500 || status == 408 || status == 429) {
      Duration wait = retryAfter(headers);
      throw wait == null
          ? ConnectorException.transientFailure(what, null)
          : ConnectorException.retryAfter(what + " (Retry-After " + wait.toSeconds() + " s)", wait);
    }
    if (status >= 400) {
      return new JobResult.Error("HTTP_" + status, what, Map.of("httpStatus", (long) status));
    }
    throw ConnectorException.misconfigured(
        what
            + headers.firstValue("Location").map(l -> ", pointing to " + l).orElse("")
            + ": set 'url' to the service's address");
  }

  /**
   * The envelope's Body, or empty when the answer is not a SOAP envelope. A DOCTYPE is refused
   * whatever the status; other XML errors only matter on a 2xx.
   */
  private static Optional<Element> soapBody(byte[] body, String from, int status) {
    Document doc;
    try {
      doc = SafeXmlParser.parse(body, from + " (HTTP " + status + ")");
    } catch (XmlException e) {
      if (e.getMessage().contains("DOCTYPE") || (status >= 200 && status < 300)) {
        throw ConnectorException.misconfigured(e.getMessage());
      }
      return Optional.empty();
    }
    Element root = doc.getDocumentElement();
    if (!"Envelope".equals(root.getLocalName())
        || SoapVersion.ofNamespace(root.getNamespaceURI()).isEmpty()) {
      return Optional.empty();
    }
    Element soapBody = SoapFault.child(root, "Body");
    return Optional.ofNullable(soapBody);
  }

  private Map<String, Object> variables(Element soapBody, SoapSettings settings) {
    Element payload = SoapFault.firstElement(soapBody);
    Document doc = null;
    if (payload != null) {
      doc = SafeXmlParser.newDocument();
      doc.appendChild(doc.importNode(payload, true));
      if (settings.responseXslt() != null) {
        Document in = doc;
        doc = xml(() -> xslt.transform(settings.responseXslt(), in, "setting 'responseXslt'"));
      }
    }
    Map<String, Object> vars = new LinkedHashMap<>();
    vars.put(
        settings.resultVariable(), doc == null ? null : XmlJson.toJson(doc.getDocumentElement()));
    if (!settings.responseXPath().isEmpty()) {
      if (doc == null) {
        settings.responseXPath().keySet().forEach(k -> vars.put(k, null));
      } else {
        Document in = doc;
        vars.putAll(
            xml(
                () ->
                    XPathMapping.evaluate(
                        settings.responseXPath(),
                        in,
                        settings.namespaces(),
                        "setting 'responseXPath'")));
      }
    }
    return vars;
  }

  /** {@code Retry-After} in seconds or as an HTTP date; {@code null} when absent or unreadable. */
  private Duration retryAfter(HttpHeaders headers) {
    Optional<String> value = headers.firstValue("Retry-After").map(String::strip);
    if (value.isEmpty()) {
      return null;
    }
    String v = value.get();
    if (v.matches("\\d{1,9}")) {
      return Duration.ofSeconds(Long.parseLong(v));
    }
    try {
      ZonedDateTime at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
      Duration d = Duration.between(clock.instant(), at.toInstant());
      return d.isNegative() ? Duration.ZERO : d;
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static <T> T xml(java.util.function.Supplier<T> step) {
    try {
      return step.get();
    } catch (XmlException e) {
      throw ConnectorException.misconfigured(e.getMessage());
    }
  }
}
