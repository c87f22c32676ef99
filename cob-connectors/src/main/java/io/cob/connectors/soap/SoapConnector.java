package io.cob.connectors.soap;

import io.cob.connectors.Connector;
import io.cob.connectors.ConnectorContext;
import io.cob.connectors.ConnectorException;
import io.cob.connectors.JobConfig;
import io.cob.connectors.TraceParent;
import io.cob.connectors.http.AddressPins;
import io.cob.connectors.http.HeaderText;
import io.cob.connectors.http.OutboundPolicy;
import io.cob.connectors.xml.XmlWriter;
import io.cob.connectors.xml.XsltTransformer;
import io.cob.engine.port.ActivatedJob;
import io.cob.engine.port.JobResult;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.w3c.dom.Document;

/**
 * Job type {@code soap}: calls a SOAP 1.1 or 1.2 operation over HTTP(S) and maps the answer to
 * variables, a SOAP Fault to a BPMN error.
 *
 * <p>The endpoint passes the same {@link OutboundPolicy} as the http connector's URLs ({@code
 * connectors.http.allowedHosts}), and header values must hold no control characters.
 *
 * <p>Settings (task headers or input variables, read through {@link JobConfig}):
 *
 * <ul>
 *   <li>{@code url} (required): the endpoint, {@code http://} or {@code https://} (TLS trusted by
 *       the JDK's default trust store).
 *   <li>{@code soapVersion}: {@code 1.1} (default; {@code text/xml} and a {@code SOAPAction}
 *       header) or {@code 1.2} ({@code application/soap+xml; action="..."}).
 *   <li>{@code soapAction}: the action URI; none by default.
 *   <li>The request, one of: {@code body}, the payload XML (or a whole envelope) with {@code
 *       ${var}} placeholders (see {@link io.cob.connectors.xml.XmlTemplate}); or {@code operation}
 *       (the payload element's name) with {@code namespace}, {@code request} (a context; {@code
 *       bodyJson} is the same as a context or JSON text) and {@code elementForm} ({@code
 *       qualified}, the default, or {@code unqualified}), converted by {@link
 *       io.cob.connectors.xml.XmlJson}.
 *   <li>{@code xslt}: a stylesheet applied to the payload before sending; {@code responseXslt}: one
 *       applied to the answer's payload before mapping.
 *   <li>{@code username}, {@code password}, {@code passwordType} ({@code text}, the default, or
 *       {@code digest}): a WS-Security UsernameToken header ({@link UsernameToken}).
 *   <li>{@code timeout}: how long to wait for the answer to begin, default {@code PT30S}.
 *   <li>{@code headers}: extra HTTP headers, a context of texts.
 *   <li>{@code resultVariable}: where the answer's payload goes, default {@code response}.
 *   <li>{@code responseXPath}: {@code {varName: "xpath"}}, with {@code namespaces} ({@code {prefix:
 *       uri}}) for prefixed expressions (see {@link io.cob.connectors.xml.XPathMapping}).
 *   <li>{@code maxResponseBytes}: the largest answer read, default 10 MiB.
 * </ul>
 *
 * <p>Outcomes are described in {@link SoapAnswer}.
 *
 * <p><b>Idempotency:</b> every attempt of one job sends the job's idempotency key in the {@code
 * Idempotency-Key} header (stable across retries), and a W3C {@code traceparent}; a service that
 * honours the key makes retries safe. Thread-safe: one HTTP client is shared by all jobs.
 */
public final class SoapConnector implements Connector {
  private static final Logger LOG = LoggerFactory.getLogger(SoapConnector.class);
  private final ConnectorContext context;
  private final HttpClient http;
  private final SoapRequestBody requests;
  private final SoapAnswer answers;

  public SoapConnector(ConnectorContext context) {
    this.context = context;
    XsltTransformer xslt = new XsltTransformer();
    this.requests = new SoapRequestBody(xslt);
    this.answers = new SoapAnswer(xslt, context.clock());
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  @Override
  public String type() {
    return "soap";
  }

  @Override
  public JobResult execute(ActivatedJob job, JobConfig config) throws Exception {
    SoapSettings settings = SoapSettings.read(config);
    Document envelope = requests.envelope(config, settings, context.clock().instant());
    HttpRequest request = request(job, settings, XmlWriter.write(envelope, true));
    long started = System.nanoTime();
    HttpResponse<InputStream> response;
    List<InetAddress> addresses =
        OutboundPolicy.of(context.settings("http")).resolve(settings.url(), "setting 'url'");
    try (AddressPins.Held pin = AddressPins.pin(settings.url().getHost(), addresses)) {
      response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException e) {
      throw ConnectorException.transientFailure(
          "POST " + settings.url() + " failed: " + describe(e), e);
    }
    byte[] body = read(response, settings);
    LOG.info(
        "event=soap_call cloud={} instance={} element={} url={} status={} bytes={} ms={}",
        context.cloud(),
        job.instanceId(),
        job.elementId(),
        settings.url(),
        response.statusCode(),
        body.length,
        (System.nanoTime() - started) / 1_000_000);
    return answers.outcome(response.statusCode(), response.headers(), body, settings);
  }

  private static HttpRequest request(ActivatedJob job, SoapSettings settings, String xml) {
    SoapVersion version = settings.version();
    HttpRequest.Builder b =
        HttpRequest.newBuilder(settings.url())
            .timeout(settings.timeout())
            .POST(HttpRequest.BodyPublishers.ofString(xml, StandardCharsets.UTF_8))
            .header("Content-Type", version.contentType(settings.action()))
            .header("Accept", version == SoapVersion.V1_1 ? "text/xml" : "application/soap+xml")
            .header("Idempotency-Key", job.idempotencyKey())
            .header("traceparent", TraceParent.forJob(job));
    if (version == SoapVersion.V1_1) {
      // SOAP 1.1's HTTP binding requires the header; "" means no action.
      String action = settings.action() == null ? "" : settings.action();
      b.header("SOAPAction", "\"" + HeaderText.value("action", "SOAPAction", action) + "\"");
    }
    settings
        .headers()
        .forEach(
            (name, value) -> {
              HeaderText.value("headers", HeaderText.name("headers", name), value);
              try {
                b.setHeader(name, value);
              } catch (IllegalArgumentException e) {
                throw ConnectorException.misconfigured(
                    "setting 'headers': header '" + name + "' cannot be set: " + e.getMessage());
              }
            });
    return b.build();
  }

  /** The body, at most {@code maxResponseBytes}; a longer answer is refused, not cut. */
  private static byte[] read(HttpResponse<InputStream> response, SoapSettings settings) {
    long max = settings.maxResponseBytes();
    try (InputStream in = response.body()) {
      long declared = response.headers().firstValueAsLong("Content-Length").orElse(-1);
      byte[] body =
          declared > max ? null : in.readNBytes((int) Math.min(max + 1, Integer.MAX_VALUE - 8));
      if (body == null || body.length > max) {
        throw ConnectorException.misconfigured(
            "the answer of "
                + settings.url()
                + " is larger than "
                + max
                + " bytes (setting 'maxResponseBytes')");
      }
      return body;
    } catch (IOException e) {
      throw ConnectorException.transientFailure(
          "reading the answer of " + settings.url() + " failed: " + describe(e), e);
    }
  }

  private static String describe(IOException e) {
    String m = e.getMessage();
    return e.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : ": " + m);
  }

  @Override
  public void close() {
    http.close();
  }
}
