package io.cob.connectors.pdf;

import io.cob.connectors.Connector;
import io.cob.connectors.ConnectorContext;
import io.cob.connectors.ConnectorException;
import io.cob.connectors.JobConfig;
import io.cob.engine.port.ActivatedJob;
import io.cob.engine.port.BlobRef;
import io.cob.engine.port.BlobTooLargeException;
import io.cob.engine.port.JobResult;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code pdf} job type: a completion report of the task's process instance, as a PDF blob.
 *
 * <p>The report shows the process and instance, the business key, the path taken (every element
 * activated, completed or terminated, with its time and the cloud it ran on), the variables the
 * task sees and the incidents, open or resolved. The task runs before the instance ends, usually
 * just before its end event, so the report covers the path up to and including the report task and
 * says so. The PDF is stored in the node's blob store; the job completes with {@code report} (or
 * the {@code resultVariable}) set to its {@link BlobRef} and {@code reportFileName} (the result
 * variable's name followed by {@code FileName}) to its file name.
 *
 * <p>Settings (see {@link ReportSettings}): {@code title}, {@code template} ({@code title}, {@code
 * subtitle}, {@code logoBlob}, {@code sections}), {@code variables}, {@code resultVariable}, {@code
 * fileName}, {@code timeZone}, {@code maxValueLength}, {@code maxPathRows}; node setting {@code
 * connectors.pdf.maxBytes}.
 *
 * <p>Idempotency: the report reads the store and writes a new blob; nothing goes out of the node. A
 * run again for the same job (after a crash or a lost completion) writes another blob with the
 * report as it is then; the first one is left unreferenced. Thread-safe.
 */
public final class PdfReportConnector implements Connector {
  public static final String TYPE = "pdf";

  /** The largest report stored, unless {@code connectors.pdf.maxBytes} says otherwise: 50 MiB. */
  public static final long DEFAULT_MAX_BYTES = 50L * 1024 * 1024;

  /** The largest logo read: 5 MiB. */
  static final long MAX_LOGO_BYTES = 5L * 1024 * 1024;

  private static final Logger LOG = LoggerFactory.getLogger(PdfReportConnector.class);

  private final ConnectorContext context;
  private final InstanceReportCollector collector;
  private final PdfReportRenderer renderer = new PdfReportRenderer();
  private final long maxBytes;

  /**
   * @throws IllegalArgumentException when {@code connectors.pdf.maxBytes} is not a positive number
   */
  public PdfReportConnector(ConnectorContext context) {
    this.context = context;
    this.collector =
        context.store() == null
            ? null
            : new InstanceReportCollector(context.store(), context.expressions(), context.clock());
    this.maxBytes = maxBytes(context.settings(TYPE).get("maxBytes"));
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public JobResult execute(ActivatedJob job, JobConfig config) throws IOException {
    if (collector == null) {
      throw ConnectorException.misconfigured(
          "this node has no store to read the instance's history from");
    }
    ReportSettings settings = ReportSettings.read(config);
    InstanceReport report = collector.collect(job, settings);
    String title =
        settings.title() != null ? settings.title() : "Completion report: " + report.processName();
    byte[] logo = settings.logo() == null ? null : logo(settings.logo());
    byte[] pdf = renderer.render(report, settings, title, logo);
    BlobRef ref;
    try {
      ref = context.blobs().put(new ByteArrayInputStream(pdf), "application/pdf", maxBytes);
    } catch (BlobTooLargeException e) {
      throw ConnectorException.misconfigured(
          "the report has "
              + pdf.length
              + " bytes, more than connectors.pdf.maxBytes ("
              + maxBytes
              + "); show fewer steps (setting maxPathRows) or variables (setting variables)");
    }
    String fileName = settings.fileName() != null ? settings.fileName() : fileName(report);
    LOG.info(
        "event=pdf_report_stored instance={} element={} cloud={} blob={} bytes={} steps={}",
        job.instanceId(),
        job.elementId(),
        context.cloud(),
        ref.blobId(),
        ref.size(),
        report.path().size() + report.omittedSteps());
    Map<String, Object> result = new LinkedHashMap<>();
    result.put(settings.resultVariable(), ref.toVariable());
    result.put(settings.resultVariable() + "FileName", fileName);
    return JobResult.complete(result);
  }

  private byte[] logo(BlobRef ref) throws IOException {
    BlobRef stored =
        context
            .blobs()
            .describe(ref.blobId())
            .orElseThrow(
                () ->
                    ConnectorException.misconfigured(
                        "setting 'template.logoBlob': there is no blob " + ref.blobId()));
    if (stored.size() > MAX_LOGO_BYTES) {
      throw ConnectorException.misconfigured(
          "setting 'template.logoBlob': blob "
              + ref.blobId()
              + " has "
              + stored.size()
              + " bytes; a logo may have at most "
              + MAX_LOGO_BYTES);
    }
    try (InputStream in = context.blobs().open(ref.blobId())) {
      return in.readAllBytes();
    }
  }

  /** {@code report-<process>-<business key or instance id>.pdf}, with only safe characters. */
  static String fileName(InstanceReport r) {
    String which =
        r.businessKey() == null || r.businessKey().isBlank() ? r.instanceId() : r.businessKey();
    return ("report-" + r.processId() + "-" + which).replaceAll("[^A-Za-z0-9._-]", "_") + ".pdf";
  }

  private static long maxBytes(Object value) {
    if (value == null) {
      return DEFAULT_MAX_BYTES;
    }
    try {
      long v =
          value instanceof Number n ? n.longValue() : Long.parseLong(String.valueOf(value).strip());
      if (v > 0) {
        return v;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(
        "connectors.pdf.maxBytes must be a positive number of bytes, not " + value);
  }
}
