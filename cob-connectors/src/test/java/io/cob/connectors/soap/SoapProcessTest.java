package io.cob.connectors.soap;

import static io.cob.engine.TestModels.definitions;
import static io.cob.engine.TestModels.processElement;
import static io.cob.engine.TestModels.xmlEscape;
import static org.assertj.core.api.Assertions.assertThat;

import io.cob.connectors.ConnectorContext;
import io.cob.connectors.ConnectorJobHandler;
import io.cob.connectors.TestContexts;
import io.cob.connectors.soap.CrmSoapServer.Canned;
import io.cob.engine.EngineHarness;
import io.cob.engine.EngineHarness.Instance;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The soap connector in real process runs: errors caught by boundary events, retries, incidents.
 */
class SoapProcessTest {
  private final CrmSoapServer server = new CrmSoapServer();
  private final ConnectorContext ctx = TestContexts.context(Map.of(), null);
  private final SoapConnector soap = new SoapConnector(ctx);

  @RegisterExtension
  final EngineHarness engine =
      new EngineHarness().handler("soap", new ConnectorJobHandler(soap, ctx));

  SoapProcessTest() throws Exception {}

  @AfterEach
  void stop() {
    server.close();
    soap.close();
  }

  private String payProcess(Map<String, String> headers) {
    StringBuilder h = new StringBuilder();
    headers.forEach(
        (k, v) ->
            h.append("<zeebe:header key=\"")
                .append(k)
                .append("\" value=\"")
                .append(xmlEscape(v).replace("\"", "&quot;"))
                .append("\"/>"));
    return definitions(
        "<error id=\"funds\" errorCode=\"InsufficientFunds\"/>\n"
            + processElement(
                "payment",
                """
                <startEvent id="s"/>
                <serviceTask id="pay"><extensionElements>
                  <zeebe:taskDefinition type="soap" retries="3"/>
                  <zeebe:taskHeaders>%s</zeebe:taskHeaders>
                  <zeebe:ioMapping><zeebe:input source="={accountId: account, amount: amount}" target="request"/></zeebe:ioMapping>
                </extensionElements></serviceTask>
                <boundaryEvent id="insufficient" attachedToRef="pay"><errorEventDefinition errorRef="funds"/></boundaryEvent>
                <endEvent id="paid"/>
                <endEvent id="declined"/>
                """
                    .formatted(h),
                "s->pay",
                "pay->paid",
                "insufficient->declined"));
  }

  private Map<String, String> payHeaders() {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("url", server.url());
    h.put("soapAction", "urn:example:crm/Pay");
    h.put("operation", "Pay");
    h.put("namespace", CrmSoapServer.NS);
    return h;
  }

  @Test
  void shouldTakeTheErrorPathWithTheFaultVariablesWhenTheServiceAnswersAFault() {
    engine.deploy(payProcess(payHeaders()));
    Instance i = engine.start("payment", Map.of("account", "A-1", "amount", 500));

    assertThat(i.status()).isEqualTo("COMPLETED");
    assertThat(i.completed()).contains("insufficient", "declined").doesNotContain("paid");
    assertThat(i.variables())
        .containsEntry("faultCode", "Server")
        .containsEntry("faultString", "balance too low")
        .containsEntry(
            "faultDetail",
            Map.of("InsufficientFunds", Map.of("balance", "100.00", "requested", "500")));
  }

  @Test
  void shouldTakeTheNormalPathWithTheAnswerInAVariable() {
    Map<String, String> h = payHeaders();
    h.put("soapVersion", "1.2");
    h.put("resultVariable", "payment");
    h.put("responseXPath", "={transactionId: \"string(/PayResponse/transactionId)\"}");
    engine.deploy(payProcess(h));
    Instance i = engine.start("payment", Map.of("account", "A-1", "amount", 20));

    assertThat(i.status()).isEqualTo("COMPLETED");
    assertThat(i.completed()).contains("paid");
    assertThat(i.variables().get("transactionId").toString()).startsWith("tx-" + i.id() + ":");
    assertThat(i.variables().get("payment"))
        .isEqualTo(Map.of("transactionId", i.variables().get("transactionId"), "amount", "20"));
  }

  @Test
  void shouldRetryA503AfterRetryAfterAndThenComplete() {
    server.answerNext(new Canned(503, "text/plain", "maintenance", "2"));
    engine.deploy(payProcess(payHeaders()));
    Instance i = engine.start("payment", Map.of("account", "A-1", "amount", 20));

    assertThat(i.status()).isEqualTo("ACTIVE");
    assertThat(i.job("pay").retries()).isEqualTo(2);
    assertThat(i.job("pay").dueAt()).isEqualTo(engine.clock().instant().plusSeconds(2));

    engine.advance(Duration.ofSeconds(2));
    assertThat(i.status()).isEqualTo("COMPLETED");
    assertThat(i.completed()).contains("paid");
    assertThat(server.received).hasSize(2);
    assertThat(server.received.get(1).header("Idempotency-Key"))
        .isEqualTo(server.received.get(0).header("Idempotency-Key"));
  }

  @Test
  void shouldRaiseAnIncidentNamingTheMissingUrl() {
    Map<String, String> h = payHeaders();
    h.remove("url");
    engine.deploy(payProcess(h));
    Instance i = engine.start("payment", Map.of("account", "A-1", "amount", 20));

    assertThat(i.incidents())
        .singleElement()
        .satisfies(
            inc ->
                assertThat(inc.message())
                    .startsWith(
                        "soap task 'pay': setting 'url' is missing: set it as a task header"));
    assertThat(server.received).isEmpty();
  }
}
