package io.cob.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Bad input gets exit code 2 and a message naming the problem and its place, and nothing is
 * written: the store given with --store is not even created.
 */
class BadInputTest {
  @TempDir Path dir;

  private static final String HEAD =
      """
      <definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="urn:t">
      """;

  private Path write(String name, String content) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, content);
    return p;
  }

  private Path sample(String kind) throws IOException {
    return switch (kind) {
      case "malformed" ->
          write(
              "malformed.bpmn",
              HEAD
                  + """
          <process id="p"><startEvent id="s"></process>
          </definitions>""");
      case "xxe" ->
          write(
              "xxe.bpmn",
              """
          <?xml version="1.0"?>
          <!DOCTYPE definitions [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
          <definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="urn:t">
          <process id="p" name="&secret;"><startEvent id="s"/></process></definitions>""");
      case "unsupported" ->
          write(
              "unsupported.bpmn",
              HEAD
                  + """
          <process id="p"><startEvent id="s"/><complexGateway id="cg"/>
          <sequenceFlow id="f" sourceRef="s" targetRef="cg"/></process></definitions>""");
      case "feel" ->
          write(
              "feel.bpmn",
              HEAD
                  + """
          <process id="p"><startEvent id="s"/><exclusiveGateway id="g"/><endEvent id="e"/>
          <sequenceFlow id="f1" sourceRef="s" targetRef="g"/>
          <sequenceFlow id="f2" sourceRef="g" targetRef="e"><conditionExpression>=amount &gt;</conditionExpression></sequenceFlow>
          </process></definitions>""");
      case "messageRef" ->
          write(
              "message.bpmn",
              HEAD
                  + """
          <process id="p"><startEvent id="s"/><receiveTask id="r" messageRef="tns:nope"/>
          <sequenceFlow id="f" sourceRef="s" targetRef="r"/></process></definitions>""");
      case "huge" -> huge();
      default -> throw new IllegalArgumentException(kind);
    };
  }

  /** A 50 MB document (valid XML, padded with a comment). */
  private Path huge() throws IOException {
    Path p = dir.resolve("huge.bpmn");
    try (OutputStream out = Files.newOutputStream(p)) {
      out.write((HEAD + "<!--").getBytes(StandardCharsets.UTF_8));
      byte[] chunk = "x".repeat(1 << 20).getBytes(StandardCharsets.US_ASCII);
      for (int i = 0; i < 50; i++) {
        out.write(chunk);
      }
      out.write(
          "--><process id=\"p\"><startEvent id=\"s\"/></process></definitions>"
              .getBytes(StandardCharsets.UTF_8));
    }
    return p;
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "malformed   | malformed.bpmn:2:",
        "xxe         | DTD",
        "unsupported | element 'cg' (<complexGateway>)",
        "feel        | element 'f2' (<sequenceFlow>)",
        "messageRef  | 'nope'",
        "huge        | over the limit"
      })
  void shouldExitTwoNameTheProblemAndWriteNothing(String kind, String expected) throws Exception {
    Path bad = sample(kind);
    Path store = dir.resolve("store-" + kind);
    CliRun run =
        CliRun.of("run", bad.toString(), "--store", "jdbc:h2:file:" + store.toAbsolutePath());
    assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
    assertThat(run.err()).contains(bad.getFileName().toString()).contains(expected);
    assertThat(run.err() + run.out()).doesNotContain("root:");
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("store-"));
    }

    CliRun validate = CliRun.of("validate", bad.toString());
    assertThat(validate.exitCode()).isEqualTo(2);
    assertThat(validate.out()).contains(expected);
  }

  @Test
  void shouldPrintOneJsonDocumentForBadInputWithJson() throws Exception {
    CliRun run = CliRun.of("run", sample("unsupported").toString(), "--json");
    assertThat(run.exitCode()).isEqualTo(2);
    var doc = new com.fasterxml.jackson.databind.ObjectMapper().readTree(run.out());
    assertThat(doc.get("problems").get(0).asText()).contains("complexGateway");
  }

  @Test
  void shouldRejectAMalformedVarArgument() throws Exception {
    CliRun run =
        CliRun.of(
            "run", Path.of("..", "examples", "hello.bpmn").toString(), "--var", "no-equals-sign");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("--var 'no-equals-sign'");
  }

  @Test
  void shouldExitTwoForAMissingFile() {
    CliRun run = CliRun.of("validate", dir.resolve("nope.bpmn").toString());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.out()).contains("nope.bpmn").contains("file not found");
  }

  @Test
  void shouldExitZeroForValidFiles() {
    CliRun run = CliRun.of("validate", Path.of("..", "examples", "hello.bpmn").toString());
    assertThat(run.exitCode()).isZero();
  }
}
