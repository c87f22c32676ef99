package io.cob.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cob.server.CobNode;
import io.cob.server.support.Api;
import io.cob.server.support.Models;
import io.cob.server.support.TestNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DeploymentsApiTest {
  static CobNode node;
  static Api api;

  @BeforeAll
  static void start() {
    node = TestNode.start();
    api = new Api(node.baseUri());
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  static final String BROKEN =
      """
      <?xml version="1.0" encoding="UTF-8"?>
      <definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="urn:t">
        <process id="broken" isExecutable="true">
          <startEvent id="start"/>
          <complexGateway id="odd"/>
          <sequenceFlow id="f" sourceRef="start" targetRef="nowhere"/>
        </process>
      </definitions>
      """;

  @Test
  void deploysOneXmlDocumentAndAnswers201WithTheProcessVersions() {
    Api.Res r =
        api.post(
            "/api/v1/deployments?name=single.bpmn",
            "application/xml",
            Models.oneJob("single", "x").getBytes(StandardCharsets.UTF_8));

    assertThat(r.status()).isEqualTo(201);
    assertThat(r.json().get("deploymentId").asText()).isNotBlank();
    JsonNode p = r.json().get("processes").get(0);
    assertThat(p.get("processId").asText()).isEqualTo("single");
    assertThat(p.get("version").asInt()).isEqualTo(1);
    assertThat(p.get("key").asText()).isEqualTo("single:1");
  }

  @Test
  void deploysSeveralFilesAsMultipartFormData() {
    byte[] body =
        multipart(
            "b0undary",
            new String[] {"first.bpmn", Models.oneJob("multi-a", "x")},
            new String[] {"second.bpmn", Models.userTask("multi-b", null, "g")});

    Api.Res r = api.post("/api/v1/deployments", "multipart/form-data; boundary=b0undary", body);

    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    assertThat(r.json().get("processes").findValuesAsText("processId"))
        .containsExactlyInAnyOrder("multi-a", "multi-b");
    JsonNode processes = api.get("/api/v1/processes").json();
    assertThat(processes.findValuesAsText("resourceName")).contains("first.bpmn", "second.bpmn");
  }

  @Test
  void deploysNothingWhenOneFileIsInvalidAndListsEveryProblemWithLineColumnAndElement() {
    byte[] body =
        multipart(
            "xyz",
            new String[] {"good.bpmn", Models.oneJob("all-or-nothing", "x")},
            new String[] {"broken.bpmn", BROKEN});

    Api.Res r = api.post("/api/v1/deployments", "multipart/form-data; boundary=xyz", body);

    assertThat(r.status()).isEqualTo(400);
    assertThat(r.contentType()).startsWith("application/problem+json");
    JsonNode problem = r.json();
    assertThat(problem.get("type").asText()).isEqualTo("urn:cob:problem:invalid-bpmn");
    assertThat(problem.get("errors").size()).isGreaterThanOrEqualTo(2);
    JsonNode odd = null;
    for (JsonNode e : problem.get("errors")) {
      assertThat(e.get("file").asText()).isEqualTo("broken.bpmn");
      assertThat(e.get("line").asInt()).isPositive();
      assertThat(e.get("column").asInt()).isPositive();
      if ("odd".equals(e.get("elementId").asText())) {
        odd = e;
      }
    }
    assertThat(odd).as("a problem names the unsupported complexGateway").isNotNull();
    assertThat(odd.get("tag").asText()).contains("complexGateway");
    assertThat(odd.get("line").asInt()).isEqualTo(5);
    assertThat(api.get("/api/v1/processes").json().findValuesAsText("processId"))
        .doesNotContain("all-or-nothing");
  }

  @Test
  void redeployingAnUnchangedFileKeepsItsVersionAndAChangedOneGetsTheNext() {
    api.deploy("v.bpmn", Models.oneJob("versioned", "x"));
    JsonNode same = api.deploy("v.bpmn", Models.oneJob("versioned", "x"));
    JsonNode changed = api.deploy("v.bpmn", Models.oneJob("versioned", "y"));

    assertThat(same.get("processes").get(0).get("version").asInt()).isEqualTo(1);
    assertThat(changed.get("processes").get(0).get("version").asInt()).isEqualTo(2);
    assertThat(api.get("/api/v1/processes/versioned/xml").body()).contains("type=\"y\"");
    assertThat(api.get("/api/v1/processes/versioned/xml?version=1").body()).contains("type=\"x\"");
    assertThat(api.get("/api/v1/processes/versioned/xml?version=3").status()).isEqualTo(404);
  }

  @Test
  void refusesAnEmptyBodyAndOtherContentTypes() {
    assertThat(api.post("/api/v1/deployments", "application/xml", new byte[0]).status())
        .isEqualTo(400);
    Api.Res r = api.post("/api/v1/deployments", "text/plain", "x".getBytes(StandardCharsets.UTF_8));
    assertThat(r.status()).isEqualTo(415);
    assertThat(r.contentType()).startsWith("application/problem+json");
  }

  @Test
  void refusesADeploymentOverTenMebibytesWith413() {
    byte[] huge = new byte[(10 << 20) + 10];
    java.util.Arrays.fill(huge, (byte) ' ');
    // Expect: 100-continue, as careful clients send large bodies: the refusal then comes before
    // the body, instead of racing a client that is still uploading when the server closes.
    Api.Res r =
        api.send(
            java.net.http.HttpRequest.newBuilder(api.uri("/api/v1/deployments"))
                .expectContinue(true)
                .header("Content-Type", "application/xml")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(huge)));
    assertThat(r.status()).isEqualTo(413);
    assertThat(r.json().get("detail").asText()).contains("10485760");
  }

  static byte[] multipart(String boundary, String[]... files) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (String[] f : files) {
      out.writeBytes(
          ("--"
                  + boundary
                  + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\""
                  + f[0]
                  + "\"\r\nContent-Type: application/xml\r\n\r\n"
                  + f[1]
                  + "\r\n")
              .getBytes(StandardCharsets.UTF_8));
    }
    out.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    return out.toByteArray();
  }
}
