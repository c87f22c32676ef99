package io.cob.connectors.pdf;

import io.cob.connectors.ConnectorException;
import io.cob.connectors.pdf.InstanceReport.IncidentLine;
import io.cob.connectors.pdf.InstanceReport.PathStep;
import io.cob.connectors.pdf.InstanceReport.VariableLine;
import io.cob.connectors.pdf.PageFlow.Column;
import io.cob.connectors.pdf.PageFlow.Table;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.GregorianCalendar;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;

/**
 * Draws an {@link InstanceReport} as an A4 PDF: an optional logo, the title and subtitle, a line
 * saying when and where the report was made, then the chosen sections in their order, and a footer
 * with the generation time and page numbers on every page. Layout only: what it shows was collected
 * before.
 *
 * <p>Thread-safe: each call draws its own document.
 */
final class PdfReportRenderer {
  private static final String DASH = "-";

  /**
   * The PDF's bytes.
   *
   * @param title the title to draw (the default already applied)
   * @param logo the bytes of a PNG or JPEG image, or {@code null}
   * @throws ConnectorException (misconfigured) when the logo is not an image PDFBox can read
   */
  byte[] render(InstanceReport report, ReportSettings settings, String title, byte[] logo)
      throws IOException {
    Times times = new Times(settings.timeZone());
    try (PDDocument doc = new PDDocument()) {
      PageFlow flow = new PageFlow(doc);
      if (logo != null) {
        flow.image(logoImage(doc, logo, settings), 48);
        flow.gap(10);
      }
      flow.paragraph(title, flow.bold, 20, PageFlow.INK);
      if (settings.subtitle() != null) {
        flow.paragraph(settings.subtitle(), flow.regular, 12, PageFlow.MUTED);
      }
      flow.gap(4);
      flow.paragraph(madeNote(report, times), flow.italic, 9, PageFlow.MUTED);
      for (ReportSection section : settings.sections()) {
        switch (section) {
          case SUMMARY -> summary(flow, report, times);
          case PATH -> path(flow, report, times);
          case VARIABLES -> variables(flow, report);
          case INCIDENTS -> incidents(flow, report, times);
        }
      }
      flow.finish(
          "cob completion report \u00b7 instance "
              + report.instanceId()
              + " \u00b7 generated "
              + times.full(report.madeAt()));
      info(doc, report, title);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      doc.save(out);
      return out.toByteArray();
    }
  }

  private static PDImageXObject logoImage(PDDocument doc, byte[] logo, ReportSettings settings) {
    try {
      return PDImageXObject.createFromByteArray(doc, logo, "logo");
    } catch (IOException | IllegalArgumentException e) {
      throw ConnectorException.misconfigured(
          "setting 'template.logoBlob': blob "
              + settings.logo().blobId()
              + " is not a PNG or JPEG image ("
              + e.getMessage()
              + ")");
    }
  }

  private static String madeNote(InstanceReport r, Times times) {
    String at =
        r.currentElementName().equals(r.currentElementId())
            ? "'" + r.currentElementId() + "'"
            : "'" + r.currentElementName() + "' (" + r.currentElementId() + ")";
    return "Report made at "
        + times.full(r.madeAt())
        + ", while the instance was at "
        + at
        + ". The path ends there: what happens after the report step is not included.";
  }

  private static void summary(PageFlow flow, InstanceReport r, Times times) throws IOException {
    flow.heading("Summary");
    Set<String> clouds = new LinkedHashSet<>();
    clouds.add(r.ownerCloud());
    r.path().forEach(s -> clouds.add(s.cloud()));
    long resolved = r.incidents().stream().filter(i -> i.resolvedAt() != null).count();
    List<List<String>> rows =
        List.of(
            List.of("Process", r.processName()),
            List.of("Process id", r.processId() + " (version " + r.version() + ")"),
            List.of("Instance id", r.instanceId()),
            List.of("Business key", orDash(r.businessKey())),
            List.of("State", r.state() + " (when the report was made)"),
            List.of("Owner cloud", orDash(r.ownerCloud())),
            List.of(
                "Clouds on the path",
                String.join(", ", clouds.stream().filter(c -> c != null).toList())),
            List.of("Started", times.full(r.startedAt())),
            List.of("Ended", r.endedAt() == null ? "not yet" : times.full(r.endedAt())),
            List.of("Steps", (r.path().size() + r.omittedSteps()) + " element events"),
            List.of("Incidents", r.incidents().size() + " (" + resolved + " resolved)"));
    flow.table(
        new Table(
            List.of(
                new Column("", 130, flow.bold), new Column("", PageFlow.WIDTH - 130, flow.regular)),
            false,
            rows));
  }

  private static void path(PageFlow flow, InstanceReport r, Times times) throws IOException {
    flow.heading("Path");
    float rest = PageFlow.WIDTH - 112 - 140 - 88 - 68;
    List<Column> columns =
        List.of(
            new Column("Time (" + times.zoneLabel() + ")", 112, flow.regular),
            new Column("Element", 140, flow.regular),
            new Column("Type", 88, flow.regular),
            new Column("Event", 68, flow.regular),
            new Column("Cloud", rest, flow.regular));
    List<List<String>> rows = new ArrayList<>();
    for (int i = 0; i < r.path().size(); i++) {
      if (r.omittedSteps() > 0 && i == r.omittedAfter()) {
        rows.add(List.of("... " + r.omittedSteps() + " steps not shown (setting maxPathRows) ..."));
      }
      PathStep s = r.path().get(i);
      rows.add(
          List.of(
              times.row(s.at()),
              element(s),
              orDash(s.elementType()),
              s.event(),
              orDash(s.cloud())));
    }
    if (rows.isEmpty()) {
      flow.paragraph("No steps.", flow.italic, 9, PageFlow.MUTED);
      return;
    }
    flow.table(new Table(columns, true, rows));
  }

  private static String element(PathStep s) {
    String name =
        s.elementName().equals(s.elementId())
            ? s.elementId()
            : s.elementName() + " (" + s.elementId() + ")";
    return s.loopCounter() == null ? name : name + " #" + s.loopCounter();
  }

  private static void variables(PageFlow flow, InstanceReport r) throws IOException {
    flow.heading("Variables");
    if (r.variables().isEmpty()) {
      flow.paragraph("No variables.", flow.italic, 9, PageFlow.MUTED);
      return;
    }
    List<List<String>> rows = new ArrayList<>();
    for (VariableLine v : r.variables()) {
      rows.add(List.of(v.name(), v.value()));
    }
    flow.table(
        new Table(
            List.of(
                new Column("Name", 130, flow.regular),
                new Column("Value", PageFlow.WIDTH - 130, flow.regular)),
            true,
            rows));
  }

  private static void incidents(PageFlow flow, InstanceReport r, Times times) throws IOException {
    flow.heading("Incidents");
    if (r.incidents().isEmpty()) {
      flow.paragraph("No incidents.", flow.italic, 9, PageFlow.MUTED);
      return;
    }
    List<List<String>> rows = new ArrayList<>();
    for (IncidentLine i : r.incidents()) {
      rows.add(
          List.of(
              times.row(i.createdAt()),
              i.resolvedAt() == null ? "open" : times.row(i.resolvedAt()),
              orDash(i.elementId()),
              i.kind() + ": " + i.message()));
    }
    flow.table(
        new Table(
            List.of(
                new Column("Created (" + times.zoneLabel() + ")", 112, flow.regular),
                new Column("Resolved", 112, flow.regular),
                new Column("Element", 90, flow.regular),
                new Column("Kind and message", PageFlow.WIDTH - 314, flow.regular)),
            true,
            rows));
  }

  private static void info(PDDocument doc, InstanceReport r, String title) {
    PDDocumentInformation info = doc.getDocumentInformation();
    info.setTitle(title);
    info.setSubject("Instance " + r.instanceId() + " of process " + r.processId());
    info.setCreator("cob pdf connector");
    GregorianCalendar made = GregorianCalendar.from(r.madeAt().atZone(ZoneId.of("UTC")));
    info.setCreationDate(made);
  }

  private static String orDash(String s) {
    return s == null || s.isBlank() ? DASH : s;
  }

  /** Times in the report's time zone. */
  private record Times(ZoneId zone) {
    private static final DateTimeFormatter ROW =
        DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS", Locale.ROOT);
    private static final DateTimeFormatter FULL =
        DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS zzz", Locale.ROOT);

    String row(Instant at) {
      return at == null ? DASH : ROW.format(at.atZone(zone));
    }

    String full(Instant at) {
      return at == null ? DASH : FULL.format(at.atZone(zone));
    }

    String zoneLabel() {
      return zone.getId();
    }
  }
}
