package io.cob.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.cob.demo.services.IdempotencyLedger.Tally;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Both showcases end to end through {@link DemoRunner}, as {@code cob demo} and {@code cob demo
 * claim} run them: real services on loopback, real nodes, the embedded AMQP broker for the claim.
 */
class DemoIT {
  @TempDir Path reports;

  private DemoResult run(DemoScenario scenario) {
    DemoRunner runner =
        new DemoRunner(
            new DemoRunner.Options(
                reports,
                new PrintStream(PrintStream.nullOutputStream()),
                false,
                true,
                Duration.ofSeconds(45)));
    return runner.run(scenario);
  }

  @Test
  void shouldCompleteTheOrderWithOneChargeDespiteALostAnswerAndWriteItsReport() throws IOException {
    long start = System.nanoTime();
    DemoResult r = run(new OrderScenario());
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertThat(r.failure()).isNull();
    assertThat(r.state()).isEqualTo("COMPLETED");
    assertThat(took).isLessThan(Duration.ofSeconds(60));
    Map<String, Tally> charges = r.effects().get("payment provider charges");
    assertThat(charges).hasSize(1);
    Tally charge = charges.values().iterator().next();
    assertThat(charge.effects()).as("charges for the one idempotency key").isEqualTo(1);
    assertThat(charge.requests()).as("the lost answer made cob ask again").isEqualTo(2);
    assertThat(r.trace()).anyMatch(l -> l.kind() == TraceLine.Kind.PERSON);
    assertThat(r.trace()).anyMatch(l -> l.kind() == TraceLine.Kind.OUTAGE);
    // Steps ran on the nodes of their clouds, and the outage moved the payment off public-b.
    assertThat(r.stepsPerCloud()).containsKeys("private", "public-a", "public-b");
    assertThat(r.trace())
        .anyMatch(l -> "public-a-1".equals(l.node()) && l.what().startsWith("ran on public-a-1"));
    assertThat(r.trace())
        .anyMatch(
            l ->
                l.element().startsWith("Take payment")
                    && l.what().startsWith("placed on private")
                    && l.what().contains("public-b: DOWN"));
    assertReportNamesClouds(r, "Order management");
  }

  @Test
  void shouldCompleteTheClaimWithTheSchedulerAnsweringOverAmqp() throws IOException {
    long start = System.nanoTime();
    DemoResult r = run(new ClaimScenario());
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertThat(r.failure()).isNull();
    assertThat(r.state()).isEqualTo("COMPLETED");
    assertThat(took).isLessThan(Duration.ofSeconds(60));
    assertThat(r.effects().get("scheduler bookings")).hasSize(1);
    assertThat(r.effects().get("finance payout plans")).hasSize(1);
    r.effects().values().stream()
        .flatMap(m -> m.values().stream())
        .forEach(t -> assertThat(t.effects()).isEqualTo(1));
    assertThat(r.trace().stream().filter(l -> l.kind() == TraceLine.Kind.PERSON)).hasSize(2);
    assertThat(r.stepsPerCloud()).containsKeys("private", "public-a", "public-b", "dc-east");
    assertReportNamesClouds(r, "Disability benefit claim");
  }

  private static void assertReportNamesClouds(DemoResult r, String processName) throws IOException {
    assertThat(r.report()).isNotNull();
    assertThat(Files.size(r.report())).isPositive();
    try (PDDocument pdf = Loader.loadPDF(r.report().toFile())) {
      String text = new PDFTextStripper().getText(pdf);
      assertThat(text).contains(processName);
      assertThat(r.stepsPerCloud()).isNotEmpty();
      for (String cloud : r.stepsPerCloud().keySet()) {
        assertThat(text).as("the report names the cloud %s", cloud).contains(cloud);
      }
    }
  }
}
