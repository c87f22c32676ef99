package io.cob.connectors.pdf;

import static io.cob.engine.TestModels.definitions;
import static io.cob.engine.TestModels.flows;
import static org.assertj.core.api.Assertions.assertThat;

import io.cob.connectors.ConnectorContext;
import io.cob.connectors.Connectors;
import io.cob.connectors.EngineJobOutcomes;
import io.cob.connectors.Secrets;
import io.cob.engine.EngineHarness;
import io.cob.engine.EngineHarness.Instance;
import io.cob.engine.blob.InMemoryBlobStore;
import io.cob.engine.port.BlobRef;
import io.cob.engine.port.JobResult;
import io.cob.engine.store.InMemoryStore;
import io.cob.model.expr.StandardExpressionEvaluator;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class PdfReportConnectorTest {
  private final InMemoryStore store = new InMemoryStore();
  private final InMemoryBlobStore blobs = new InMemoryBlobStore();
  private final AtomicInteger chargeAttempts = new AtomicInteger();

  @RegisterExtension final EngineHarness engine = new EngineHarness(() -> store);

  PdfReportConnectorTest() {
    ConnectorContext context =
        new ConnectorContext(
            "test-node",
            "test",
            Secrets.of(Map.of("apiKey", "s3cr3t")),
            blobs,
            new StandardExpressionEvaluator(),
            engine.clock(),
            store,
            new EngineJobOutcomes(engine::engine),
            () -> URI.create("http://127.0.0.1:8080"),
            "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8),
            Map.of());
    Connectors connectors = Connectors.standard(context);
    connectors.handlers().forEach(engine::handler);
    engine
        .handler(
            "charge",
            job -> {
              if (chargeAttempts.incrementAndGet() == 1) {
                throw new IllegalStateException("payment gateway timed out");
              }
              return JobResult.complete(Map.of("charged", true));
            })
        .handler("ship", job -> JobResult.complete(Map.of("trackingNo", "TRK-4711-XZ")))
        .handler("check", job -> JobResult.complete(Map.of("checked", true)));
  }

  /** Start, charge (fails once: an incident, resolved), a gateway, shipping, the report, end. */
  private static String orderProcess(String reportHeaders) {
    String nodes =
        """
        <startEvent id="start" name="Order received"/>
        <serviceTask id="charge" name="Charge card">
          <extensionElements><zeebe:taskDefinition type="charge" retries="1"/></extensionElements>
        </serviceTask>
        <exclusiveGateway id="big" name="Large order?" default="big_standard"/>
        <serviceTask id="express" name="Ship express" cob:cloud="public-a">
          <extensionElements><zeebe:taskDefinition type="ship"/></extensionElements>
        </serviceTask>
        <serviceTask id="standard" name="Ship standard">
          <extensionElements><zeebe:taskDefinition type="ship"/></extensionElements>
        </serviceTask>
        <exclusiveGateway id="merge"/>
        <serviceTask id="report" name="Make report">
          <extensionElements><zeebe:taskDefinition type="pdf"/>
            <zeebe:taskHeaders>%s</zeebe:taskHeaders></extensionElements>
        </serviceTask>
        <endEvent id="end" name="Done"/>
        """
            .formatted(reportHeaders);
    return definitions(
        "<process id=\"order\" name=\"Order fulfilment\" isExecutable=\"true\">\n"
            + nodes
            + flows(
                "start->charge",
                "charge->big",
                "big->express if =amount > 100",
                "big->standard",
                "express->merge",
                "standard->merge",
                "merge->report",
                "report->end")
            + "</process>\n");
  }

  private static String header(String key, String value) {
    return "<zeebe:header key=\""
        + key
        + "\" value=\""
        + value.replace("&", "&amp;").replace("\"", "&quot;").replace("<", "&lt;")
        + "\"/>";
  }

  private Instance startOrder(Map<String, Object> variables) {
    String id = engine.engine().startInstance("order", 0, variables, "ORD-2026-0042");
    engine.settle();
    return engine.instance(id);
  }

  private byte[] reportOf(Instance i) throws IOException {
    BlobRef ref = BlobRef.fromVariable(i.variables().get("report")).orElseThrow();
    assertThat(ref.contentType()).isEqualTo("application/pdf");
    try (InputStream in = blobs.open(ref.blobId())) {
      return in.readAllBytes();
    }
  }

  @Test
  void shouldReportThePathWithCloudsVariablesAndTheResolvedIncident() throws IOException {
    engine.deploy(
        orderProcess(
            header("template", "={subtitle: \"Audit copy\"}") + header("timeZone", "UTC")));
    Instance i = startOrder(Map.of("amount", 250, "customer", "Zoë Ødegård"));
    assertThat(i.incidents()).singleElement();
    engine.advance(Duration.ofMinutes(7));
    engine.engine().resolveIncident(i.incidents().get(0).key(), 1);
    engine.settle();

    assertThat(i.status()).isEqualTo("COMPLETED");
    assertThat(i.variables().get("reportFileName")).isEqualTo("report-order-ORD-2026-0042.pdf");
    byte[] pdf = reportOf(i);
    PdfInspection doc = PdfInspection.of(pdf);
    assertThat(doc.text())
        .contains("Completion report: Order fulfilment", "Audit copy", "ORD-2026-0042", i.id())
        .contains("while the instance was at 'Make report' (report)")
        .contains("TRK-4711-XZ", "Zoë Ødegård", "250")
        .contains("payment gateway timed out", "JOB_NO_RETRIES")
        .doesNotContain("Ship standard");
    for (String step :
        List.of("Order received", "Charge card", "Large order?", "Ship express", "merge")) {
      assertThat(doc.linesWith(step, "ACTIVATED")).as(step).isNotEmpty();
    }
    assertThat(doc.linesWith("Ship express (express)", "serviceTask", "COMPLETED", "public-a"))
        .hasSize(1);
    assertThat(doc.linesWith("Charge card (charge)", "ACTIVATED", "test")).hasSize(1);
    assertThat(doc.linesWith("Make report (report)", "ACTIVATED", "test")).hasSize(1);
    assertThat(doc.linesWith("Clouds on the path", "test, public-a")).hasSize(1);
    assertThat(doc.linesWith("2026-01-01 00:00:00.000", "2026-01-01 00:07:00.000", "charge"))
        .as("the incident, created and resolved")
        .hasSize(1);
    assertThat(doc.text()).contains("Page 1 of " + doc.pages());

    Path png = Path.of("target", "report-page1.png");
    BufferedImage page1 = PdfInspection.writeFirstPage(pdf, png);
    System.out.println("pdf report page 1: " + png.toAbsolutePath());
    assertThat(Files.size(png)).isGreaterThan(10_000);
    assertThat(PdfInspection.inkedShare(page1)).isBetween(0.02, 0.6);
    Files.write(Path.of("target", "report.pdf"), pdf);
  }

  @Test
  void shouldPaginateALongPathAndLeaveOutTheMiddleBeyondMaxPathRows() throws IOException {
    String many =
        definitions(
            "<process id=\"long\" name=\"Checks\" isExecutable=\"true\">\n"
                + """
                <startEvent id="start"/>
                <serviceTask id="check" name="Check item">
                  <extensionElements><zeebe:taskDefinition type="check"/></extensionElements>
                  <multiInstanceLoopCharacteristics isSequential="false"><extensionElements>
                    <zeebe:loopCharacteristics inputCollection="=items" inputElement="item"/>
                  </extensionElements></multiInstanceLoopCharacteristics>
                </serviceTask>
                <serviceTask id="report">
                  <extensionElements><zeebe:taskDefinition type="pdf"/>
                    <zeebe:taskHeaders><zeebe:header key="template"
                      value="={sections: [&quot;path&quot;]}"/></zeebe:taskHeaders>
                  </extensionElements>
                </serviceTask>
                <serviceTask id="short">
                  <extensionElements><zeebe:taskDefinition type="pdf"/>
                    <zeebe:taskHeaders><zeebe:header key="maxPathRows" value="40"/>
                    <zeebe:header key="resultVariable" value="brief"/></zeebe:taskHeaders>
                  </extensionElements>
                </serviceTask>
                <endEvent id="end"/>
                """
                + flows("start->check", "check->report", "report->short", "short->end")
                + "</process>\n");
    engine.deploy(many);
    List<Object> items = new ArrayList<>();
    for (int n = 1; n <= 200; n++) {
      items.add(n);
    }
    Instance i =
        engine.instance(engine.engine().startInstance("long", 0, Map.of("items", items), null));
    engine.settle();
    assertThat(i.status()).isEqualTo("COMPLETED");

    byte[] fullPdf = reportOf(i);
    Files.write(Path.of("target", "report-long.pdf"), fullPdf);
    PdfInspection full = PdfInspection.of(fullPdf);
    assertThat(full.pages()).isGreaterThanOrEqualTo(5);
    assertThat(full.linesWith("Check item (check) #200", "COMPLETED")).hasSize(1);
    assertThat(full.linesWith("Check item (check) #1 ", "ACTIVATED")).hasSize(1);
    assertThat(full.text()).contains("Page " + full.pages() + " of " + full.pages());
    assertThat(full.text()).doesNotContain("Variables", "Summary");
    assertThat(full.linesWith("Time (UTC)", "Element", "Cloud")).hasSize(full.pages());

    BlobRef brief = BlobRef.fromVariable(i.variables().get("brief")).orElseThrow();
    assertThat(i.variables().get("briefFileName")).asString().endsWith(".pdf");
    PdfInspection shortened;
    try (InputStream in = blobs.open(brief.blobId())) {
      shortened = PdfInspection.of(in.readAllBytes());
    }
    assertThat(shortened.text()).contains("steps not shown (setting maxPathRows)");
    assertThat(shortened.linesWith("report", "COMPLETED")).hasSize(1);
    assertThat(shortened.linesWith("Steps", "element events")).hasSize(1);
  }

  @Test
  void shouldRaiseAnIncidentNamingAnUnknownSection() {
    engine.deploy(orderProcess(header("template", "={sections: [\"summary\", \"chart\"]}")));
    chargeAttempts.set(1);
    Instance i = startOrder(Map.of("amount", 5));
    assertThat(i.status()).isEqualTo("ACTIVE");
    assertThat(i.incidents())
        .singleElement()
        .satisfies(
            inc -> {
              assertThat(inc.elementId()).isEqualTo("report");
              assertThat(inc.message())
                  .contains(
                      "pdf task 'report': setting 'template.sections': unknown section 'chart';"
                          + " the sections are summary, path, variables, incidents");
            });
  }

  @Test
  void shouldRefuseATitleThatRefersToASecret() {
    engine.deploy(orderProcess(header("title", "Key {{secrets.apiKey}}")));
    chargeAttempts.set(1);
    Instance i = startOrder(Map.of("amount", 5));
    assertThat(i.incidents())
        .singleElement()
        .satisfies(
            inc ->
                assertThat(inc.message())
                    .contains("setting 'title' refers to a secret")
                    .doesNotContain("s3cr3t"));
  }

  @Test
  void shouldShowOnlyTheNamedVariablesWithBlobsByNameAndTheLogo() throws IOException {
    BlobRef logo = blobs.put(new ByteArrayInputStream(png(240, 60)), "image/png", 1_000_000);
    BlobRef invoice =
        blobs.put(
            new ByteArrayInputStream("%PDF-1.7 invoice".getBytes(StandardCharsets.UTF_8)),
            "application/pdf",
            1_000_000);
    engine.deploy(
        orderProcess(
            header("title", "Order =amount")
                + header(
                    "template", "={logoBlob: \"logo\", sections: [\"variables\", \"summary\"]}")
                + header("variables", "invoice, customer, missing")
                + header("fileName", "order.pdf")));
    chargeAttempts.set(1);
    Map<String, Object> vars = new LinkedHashMap<>();
    vars.put("amount", 5);
    vars.put("customer", "x".repeat(800));
    vars.put("invoice", invoice.toVariable());
    vars.put("invoiceFileName", "invoice-42.pdf");
    vars.put("logo", logo.toVariable());
    vars.put("internalNote", "do not show");
    Instance i = startOrder(vars);

    assertThat(i.status()).isEqualTo("COMPLETED");
    assertThat(i.variables().get("reportFileName")).isEqualTo("order.pdf");
    PdfInspection doc = PdfInspection.of(reportOf(i));
    assertThat(doc.firstPageHasImage()).isTrue();
    assertThat(doc.text())
        .contains(
            "Order =amount", "invoice-42.pdf (16 bytes, application/pdf, sha256", invoice.sha256())
        .contains("(not set)")
        .doesNotContain("do not show", "internalNote", "Time (UTC)", "Created (UTC)");
    assertThat(doc.text().replace('\n', ' ')).contains("xxx ... (800 characters in all)");
    assertThat(doc.text().indexOf("Variables")).isLessThan(doc.text().indexOf("Summary"));
  }

  @Test
  void shouldRaiseAnIncidentWhenTheLogoIsNotAnImage() throws IOException {
    BlobRef text =
        blobs.put(
            new ByteArrayInputStream("not an image".getBytes(StandardCharsets.UTF_8)),
            "image/png",
            1_000);
    engine.deploy(orderProcess(header("template", "={logoBlob: logo}")));
    chargeAttempts.set(1);
    Instance i = startOrder(Map.of("amount", 5, "logo", text.toVariable()));
    assertThat(i.incidents())
        .singleElement()
        .satisfies(
            inc ->
                assertThat(inc.message())
                    .contains(
                        "setting 'template.logoBlob': blob "
                            + text.blobId()
                            + " is not a PNG or JPEG image"));
  }

  private static byte[] png(int w, int h) throws IOException {
    BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setColor(new Color(0x2f, 0x4a, 0x63));
    g.fillRect(0, 0, w, h);
    g.setColor(Color.ORANGE);
    g.fillOval(10, 10, h - 20, h - 20);
    g.dispose();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, "png", out);
    return out.toByteArray();
  }
}
