package io.cob.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;

  private Path file(String name, String xml) throws Exception {
    Path p = dir.resolve(name);
    Files.writeString(p, xml);
    return p;
  }

  private static String process(String body) {
    return """
        <definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"
            xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d" targetNamespace="urn:t">
          <message id="m" name="go"/>
          <process id="p" isExecutable="true">%s</process>
        </definitions>
        """
        .formatted(body);
  }

  @Test
  void shouldPrintACompletedInstanceOfTheHelloExample() throws Exception {
    CliRun run =
        CliRun.of(
            "run",
            Path.of("..", "examples", "hello.bpmn").toString(),
            "--json",
            "--var",
            "name=\"Ada\"");
    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode doc = JSON.readTree(run.out());
    assertThat(doc.get("state").asText()).isEqualTo("COMPLETED");
    assertThat(doc.get("processId").asText()).isEqualTo("hello");
    assertThat(doc.get("variables").get("greeting").asText()).isEqualTo("Hello, Ada!");
    assertThat(doc.get("path").findValuesAsText("elementId"))
        .contains("start", "greet", "say", "end");
    assertThat(doc.get("path").get(0).get("cloud").asText()).isEqualTo("local");
    assertThat(doc.get("waitingAt")).isEmpty();
    assertThat(doc.get("incidents")).isEmpty();
  }

  @Test
  void shouldTakeJsonVariablesAndStringsFromVarArguments() throws Exception {
    CliRun run =
        CliRun.of(
            "run",
            Path.of("..", "examples", "hello.bpmn").toString(),
            "--json",
            "--var",
            "loud=true",
            "--var",
            "name=Bob",
            "--vars",
            "{\"n\": 3, \"items\": [\"a\"]}");
    JsonNode vars = JSON.readTree(run.out()).get("variables");
    assertThat(vars.get("loud").isBoolean()).isTrue();
    assertThat(vars.get("name").asText()).isEqualTo("Bob");
    assertThat(vars.get("n").asInt()).isEqualTo(3);
    assertThat(vars.get("greeting").asText()).isEqualTo("HELLO, BOB!");
  }

  @Test
  void shouldExitThreeAndNameTheUserTaskWhenTheInstanceWaits() throws Exception {
    Path f =
        file(
            "wait.bpmn",
            process(
                """
        <startEvent id="s"/><userTask id="approve"/><endEvent id="e"/>
        <sequenceFlow id="a" sourceRef="s" targetRef="approve"/><sequenceFlow id="b" sourceRef="approve" targetRef="e"/>
        """));
    CliRun run = CliRun.of("run", f.toString(), "--json");
    assertThat(run.exitCode()).isEqualTo(3);
    JsonNode doc = JSON.readTree(run.out());
    assertThat(doc.get("state").asText()).isEqualTo("ACTIVE");
    assertThat(doc.get("waitingAt").get(0).get("elementId").asText()).isEqualTo("approve");
    assertThat(doc.get("waitingAt").get(0).get("kind").asText()).isEqualTo("USER_TASK");
  }

  @Test
  void shouldExitOneWithTheIncidentWhenNoFlowMatches() throws Exception {
    Path f =
        file(
            "incident.bpmn",
            process(
                """
        <startEvent id="s"/><exclusiveGateway id="g"/><endEvent id="e"/>
        <sequenceFlow id="a" sourceRef="s" targetRef="g"/>
        <sequenceFlow id="b" sourceRef="g" targetRef="e"><conditionExpression>=x = 1</conditionExpression></sequenceFlow>
        """));
    CliRun run = CliRun.of("run", f.toString(), "--json", "--var", "x=2");
    assertThat(run.exitCode()).isEqualTo(1);
    JsonNode doc = JSON.readTree(run.out());
    assertThat(doc.get("state").asText()).isEqualTo("INCIDENT");
    assertThat(doc.get("incidents").get(0).get("elementId").asText()).isEqualTo("g");
  }

  @Test
  void shouldFireATimerDueWithinTheTimeoutInRealTime() throws Exception {
    Path f =
        file(
            "timer.bpmn",
            process(
                """
        <startEvent id="s"/>
        <intermediateCatchEvent id="wait"><timerEventDefinition><timeDuration>PT1S</timeDuration></timerEventDefinition></intermediateCatchEvent>
        <endEvent id="e"/>
        <sequenceFlow id="a" sourceRef="s" targetRef="wait"/><sequenceFlow id="b" sourceRef="wait" targetRef="e"/>
        """));
    CliRun run = CliRun.of("run", f.toString(), "--json", "--timeout", "PT10S");
    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    assertThat(JSON.readTree(run.out()).get("state").asText()).isEqualTo("COMPLETED");
  }

  @Test
  void shouldStopWaitingAtTheTimeoutWhenTheTimerIsLater() throws Exception {
    Path f =
        file(
            "timer.bpmn",
            process(
                """
        <startEvent id="s"/>
        <intermediateCatchEvent id="wait"><timerEventDefinition><timeDuration>PT1H</timeDuration></timerEventDefinition></intermediateCatchEvent>
        <endEvent id="e"/>
        <sequenceFlow id="a" sourceRef="s" targetRef="wait"/><sequenceFlow id="b" sourceRef="wait" targetRef="e"/>
        """));
    CliRun run = CliRun.of("run", f.toString(), "--json", "--timeout", "1s");
    assertThat(run.exitCode()).isEqualTo(3);
    assertThat(JSON.readTree(run.out()).get("waitingAt").get(0).get("kind").asText())
        .isEqualTo("TIMER");
  }

  @Test
  void shouldRefuseToGuessBetweenSeveralExecutableProcesses() throws Exception {
    Path a = file("a.bpmn", process("<startEvent id=\"s\"/>"));
    Path b = file("b.bpmn", process("<startEvent id=\"s\"/>").replace("id=\"p\"", "id=\"q\""));
    CliRun run = CliRun.of("run", a.toString(), b.toString());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("--process").contains("p").contains("q");
    assertThat(CliRun.of("run", a.toString(), b.toString(), "--process", "q").exitCode()).isZero();
  }

  @Test
  void shouldKeepTheRunInTheGivenStore() throws Exception {
    Path store = dir.resolve("kept");
    String url = "jdbc:h2:file:" + store.toAbsolutePath();
    CliRun run =
        CliRun.of(
            "run", Path.of("..", "examples", "hello.bpmn").toString(), "--json", "--store", url);
    assertThat(run.exitCode()).isZero();
    String id = JSON.readTree(run.out()).get("instanceId").asText();
    try (var s = io.cob.store.jdbc.JdbcStore.open(url)) {
      assertThat(s.instance(id)).isPresent();
      assertThat(s.history(id)).isNotEmpty();
    }
  }
}
