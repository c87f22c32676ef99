package io.cob.connectors.soap;

import static io.cob.connectors.soap.CrmSoapServer.NS;
import static org.assertj.core.api.Assertions.assertThat;

import io.cob.connectors.ConnectorContext;
import io.cob.connectors.ConnectorJobHandler;
import io.cob.connectors.TestContexts;
import io.cob.connectors.soap.CrmSoapServer.Canned;
import io.cob.connectors.soap.CrmSoapServer.Received;
import io.cob.connectors.xml.SafeXmlParser;
import io.cob.connectors.xml.XPathMapping;
import io.cob.engine.port.ActivatedJob;
import io.cob.engine.port.JobResult;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SoapConnectorTest {
  private static final String PREFERENCES =
      """
      <c:GetCustomerPreferences xmlns:c="urn:example:crm">
        <c:customerId>${customer.id}</c:customerId><c:name>${name}</c:name>
      </c:GetCustomerPreferences>""";

  private final ConnectorContext ctx =
      TestContexts.context(Map.of("CRM_PASSWORD", "s3cr3t", "API_KEY", "k&<1"), null);
  private final SoapConnector soap = new SoapConnector(ctx);
  private CrmSoapServer server;

  @BeforeEach
  void start() throws Exception {
    server = new CrmSoapServer();
  }

  @AfterEach
  void stop() {
    server.close();
    soap.close();
  }

  private JobResult run(Map<String, String> headers, Map<String, Object> variables)
      throws Exception {
    ActivatedJob job = TestContexts.job("soap", headers, variables);
    return new ConnectorJobHandler(soap, ctx).handle(job);
  }

  private Map<String, String> preferences(String... more) {
    Map<String, String> h = new HashMap<>();
    h.put("url", server.url());
    h.put("soapAction", "urn:example:crm/GetCustomerPreferences");
    h.put("body", PREFERENCES);
    for (int i = 0; i < more.length; i += 2) {
      h.put(more[i], more[i + 1]);
    }
    return h;
  }

  private Map<String, String> pay(String... more) {
    Map<String, String> h = new HashMap<>();
    h.put("url", server.url());
    h.put("soapAction", "urn:example:crm/Pay");
    h.put("operation", "Pay");
    h.put("namespace", NS);
    h.put("request", "={accountId: account, amount: amount}");
    for (int i = 0; i < more.length; i += 2) {
      h.put(more[i], more[i + 1]);
    }
    return h;
  }

  private static Map<String, Object> customer(String id) {
    return Map.of("customer", Map.of("id", id), "name", "Ada & <Bob> \"Lovelace\"");
  }

  @Test
  void shouldCallSoap11AndMapTheAnswerToVariablesByXmlToJsonAndXPath() throws Exception {
    JobResult r =
        run(
            preferences(
                "responseXPath",
                "={language: \"/GetCustomerPreferencesResponse/language\","
                    + " channels: \"//channel/text()\", count: \"count(//channel)\","
                    + " subscribed: \"boolean(//newsletter = 'true')\","
                    + " first: \"//channel[@priority='1']\"}"),
            customer("C-42"));

    assertThat(r).isInstanceOf(JobResult.Complete.class);
    Map<String, Object> vars = ((JobResult.Complete) r).variables();
    assertThat(vars.get("response"))
        .isEqualTo(
            Map.of(
                "customerId", "C-42",
                "language", "de",
                "newsletter", "true",
                "channel",
                    List.of(
                        Map.of("@priority", "1", "#text", "email"),
                        Map.of("@priority", "2", "#text", "sms")),
                "greeting", "Hello Ada & <Bob> \"Lovelace\""));
    assertThat(vars)
        .containsEntry("language", "de")
        .containsEntry("channels", List.of("email", "sms"))
        .containsEntry("count", 2L)
        .containsEntry("subscribed", true)
        .containsEntry("first", Map.of("@priority", "1", "#text", "email"));

    Received req = server.received.get(0);
    assertThat(req.header("Content-Type")).isEqualTo("text/xml; charset=utf-8");
    assertThat(req.header("SOAPAction")).isEqualTo("\"urn:example:crm/GetCustomerPreferences\"");
    assertThat(req.header("Idempotency-Key")).isEqualTo("0190c9a4-7b1e-7000-8000-000000000001:5");
    assertThat(req.header("traceparent"))
        .matches("00-0190c9a47b1e70008000000000000001-[0-9a-f]{16}-01");
    assertThat(req.body())
        .contains("<c:name>Ada &amp; &lt;Bob&gt; \"Lovelace\"</c:name>")
        .startsWith(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\">");
  }

  @Test
  void shouldPutSecretsIntoTheBodyTemplateEscaped() throws Exception {
    String body = PREFERENCES.replace("</c:name>", "</c:name><c:key>{{secrets.API_KEY}}</c:key>");
    JobResult r = run(preferences("body", body), customer("C-1"));
    assertThat(r).isInstanceOf(JobResult.Complete.class);
    assertThat(server.received.get(0).body()).contains("<c:key>k&amp;&lt;1</c:key>");
  }

  @Test
  void shouldEvaluateAFeelBodyAndFillItsPlaceholders() throws Exception {
    JobResult r =
        run(
            preferences(
                "body",
                "=\"<GetCustomerPreferences xmlns='urn:example:crm'><customerId>\" + prefix"
                    + " + \"-${customer.id}</customerId></GetCustomerPreferences>\""),
            Map.of("prefix", "EU", "customer", Map.of("id", "9")));
    assertThat(r).isInstanceOf(JobResult.Complete.class);
    assertThat(((JobResult.Complete) r).variables().get("response"))
        .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
        .containsEntry("customerId", "EU-9");
  }

  @Test
  void shouldBeAStandardConnector() {
    try (var all = io.cob.connectors.Connectors.standard(ctx)) {
      assertThat(all.byType()).containsKey("soap");
      assertThat(all.handlers()).containsKey("soap");
    }
  }

  @Test
  void shouldCallSoap12WithTheActionInTheContentType() throws Exception {
    JobResult r =
        run(
            pay("soapVersion", "1.2"),
            Map.of("account", "A-1", "amount", new java.math.BigDecimal("25.5")));

    assertThat(r)
        .isEqualTo(
            JobResult.complete(
                Map.of(
                    "response",
                    Map.of(
                        "transactionId",
                        "tx-0190c9a4-7b1e-7000-8000-000000000001:5",
                        "amount",
                        "25.5"))));
    Received req = server.received.get(0);
    assertThat(req.header("Content-Type"))
        .isEqualTo("application/soap+xml; charset=utf-8; action=\"urn:example:crm/Pay\"");
    assertThat(req.header("SOAPAction")).isNull();
    assertThat(req.body())
        .contains("http://www.w3.org/2003/05/soap-envelope")
        .contains("<Pay xmlns=\"urn:example:crm\"><accountId>A-1</accountId><amount>25.5</amount>");
  }

  @Test
  void shouldTurnASoap11FaultIntoABpmnErrorNamedByTheFaultDetail() throws Exception {
    JobResult r = run(pay(), Map.of("account", "A-1", "amount", 250));

    Map<String, Object> vars = new HashMap<>();
    vars.put("faultCode", "Server");
    vars.put("faultSubcode", null);
    vars.put("faultString", "balance too low");
    vars.put(
        "faultDetail",
        Map.of("InsufficientFunds", Map.of("balance", "100.00", "requested", "250")));
    assertThat(r).isEqualTo(new JobResult.Error("InsufficientFunds", "balance too low", vars));
  }

  @Test
  void shouldTurnASoap12FaultIntoABpmnErrorNamedByTheSubcode() throws Exception {
    JobResult r = run(pay("soapVersion", "1.2"), Map.of("account", "A-1", "amount", 250));

    assertThat(r).isInstanceOf(JobResult.Error.class);
    JobResult.Error e = (JobResult.Error) r;
    assertThat(e.errorCode()).isEqualTo("InsufficientFunds");
    assertThat(e.errorMessage()).isEqualTo("balance too low");
    assertThat(e.variables())
        .containsEntry("faultCode", "Receiver")
        .containsEntry("faultSubcode", "InsufficientFunds")
        .containsEntry(
            "faultDetail",
            Map.of("InsufficientFunds", Map.of("balance", "100.00", "requested", "250")));
  }

  @Test
  void shouldUseTheStandardFaultCodeWhenTheFaultSaysNothingMoreSpecific() throws Exception {
    JobResult r = run(preferences(), customer("unknown"));
    assertThat(r).isInstanceOf(JobResult.Error.class);
    assertThat(((JobResult.Error) r).errorCode()).isEqualTo("Client");
    assertThat(((JobResult.Error) r).errorMessage()).isEqualTo("no customer unknown");
  }

  @Test
  void shouldSendAUsernameTokenWithThePasswordFromASecret() throws Exception {
    server.requiredUser = "svc";
    server.requiredPassword = "s3cr3t";
    JobResult r =
        run(
            preferences("username", "svc", "password", "{{secrets.CRM_PASSWORD}}"),
            customer("C-1"));
    assertThat(r).isInstanceOf(JobResult.Complete.class);
    assertThat(server.received.get(0).body())
        .contains("wsse:Security")
        .contains("mustUnderstand=\"1\"")
        .contains("#PasswordText\">s3cr3t<");
  }

  @Test
  void shouldSendAPasswordDigestThatTheServerVerifies() throws Exception {
    server.requiredUser = "svc";
    server.requiredPassword = "s3cr3t";
    JobResult r =
        run(
            pay(
                "soapVersion",
                "1.2",
                "username",
                "svc",
                "password",
                "{{secrets.CRM_PASSWORD}}",
                "passwordType",
                "digest"),
            Map.of("account", "A-1", "amount", 10));
    assertThat(r).isInstanceOf(JobResult.Complete.class);
    assertThat(server.received.get(0).body())
        .contains("#PasswordDigest")
        .contains("wsse:Nonce")
        .contains("wsu:Created")
        .contains("mustUnderstand=\"true\"")
        .doesNotContain("s3cr3t");
  }

  @Test
  void shouldRaiseFailedAuthenticationWhenTheServerRefusesThePassword() throws Exception {
    server.requiredUser = "svc";
    server.requiredPassword = "s3cr3t";
    JobResult r = run(preferences("username", "svc", "password", "guess"), customer("C-1"));
    assertThat(r).isInstanceOf(JobResult.Error.class);
    JobResult.Error e = (JobResult.Error) r;
    assertThat(e.errorCode()).isEqualTo("FailedAuthentication");
    assertThat(e.errorMessage()).isEqualTo("wrong password");
    assertThat(e.variables()).containsEntry("faultCode", "FailedAuthentication");
  }

  @Test
  void shouldAddTheSecurityHeaderToAGivenEnvelope() throws Exception {
    server.requiredUser = "svc";
    server.requiredPassword = "pw";
    String envelope =
        """
        <env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope">
          <env:Body><Pay xmlns="urn:example:crm"><accountId>A</accountId><amount>${amount}</amount></Pay></env:Body>
        </env:Envelope>""";
    Map<String, String> h =
        pay("soapVersion", "1.2", "body", envelope, "username", "svc", "password", "pw");
    h.remove("request");
    JobResult r = run(h, Map.of("amount", 3));
    assertThat(r).isInstanceOf(JobResult.Complete.class);
    assertThat(server.received.get(0).body()).contains("<env:Header><wsse:Security");
  }

  @Test
  void shouldApplyXsltToTheRequestAndToTheAnswer() throws Exception {
    String toOperation =
        """
        <xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform" xmlns:c="urn:example:crm">
          <xsl:template match="/Lookup">
            <c:GetCustomerPreferences><c:customerId><xsl:value-of select="customer/id"/></c:customerId>
              <c:name><xsl:value-of select="concat(customer/first, ' ', customer/last)"/></c:name>
            </c:GetCustomerPreferences>
          </xsl:template>
        </xsl:stylesheet>""";
    String fromAnswer =
        """
        <xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform" xmlns:c="urn:example:crm">
          <xsl:template match="/c:GetCustomerPreferencesResponse">
            <prefs lang="{c:language}"><xsl:for-each select="c:channel"><ch><xsl:value-of select="."/></ch></xsl:for-each></prefs>
          </xsl:template>
        </xsl:stylesheet>""";
    Map<String, String> h =
        preferences("operation", "Lookup", "xslt", toOperation, "responseXslt", fromAnswer);
    h.remove("body");
    JobResult r =
        run(
            h,
            Map.of(
                "request", Map.of("customer", Map.of("id", "C-9", "first", "Ada", "last", "L"))));

    assertThat(r)
        .isEqualTo(
            JobResult.complete(
                Map.of("response", Map.of("@lang", "de", "ch", List.of("email", "sms")))));
    assertThat(server.received.get(0).body()).contains("<c:customerId>C-9</c:customerId>");
  }

  @Test
  void shouldRefuseAnAnswerWithADoctypeSoNoExternalEntityIsRead() throws Exception {
    server.answerNext(
        new Canned(
            200,
            "text/xml",
            """
            <?xml version="1.0"?>
            <!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
            <s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><r>&xxe;</r></s:Body></s:Envelope>""",
            null));
    JobResult r = run(preferences(), customer("C-1"));
    assertThat(r).isInstanceOf(JobResult.Fail.class);
    JobResult.Fail f = (JobResult.Fail) r;
    assertThat(f.retries()).isZero();
    assertThat(f.errorMessage())
        .startsWith("soap task 'task': the answer of " + server.url())
        .contains("DOCTYPE declaration, which is refused")
        .doesNotContain("root:");
  }

  @Test
  void shouldRetryOn503HonouringRetryAfter() throws Exception {
    server.answerNext(new Canned(503, "text/plain", "busy", "3"));
    JobResult first = run(preferences(), customer("C-1"));
    assertThat(first)
        .isEqualTo(
            new JobResult.Fail(
                "soap task 'task': HTTP 503 from "
                    + server.url()
                    + " without a SOAP Fault (Retry-After 3 s)",
                null,
                Duration.ofSeconds(3)));
    assertThat(run(preferences(), customer("C-1"))).isInstanceOf(JobResult.Complete.class);
    assertThat(server.received)
        .extracting(q -> q.header("Idempotency-Key"))
        .containsExactly(
            "0190c9a4-7b1e-7000-8000-000000000001:5", "0190c9a4-7b1e-7000-8000-000000000001:5");
  }

  @Test
  void shouldCompleteAOneWayOperationThatAnswers202WithoutABody() throws Exception {
    server.answerNext(new Canned(202, "text/xml", "", null));
    Map<String, Object> expected = new HashMap<>();
    expected.put("response", null);
    assertThat(run(preferences(), customer("C-1"))).isEqualTo(JobResult.complete(expected));
  }

  @Test
  void shouldReadAVersionMismatchFaultInTheOtherSoapVersion() throws Exception {
    server.answerNext(
        new Canned(
            500,
            "application/soap+xml",
            CrmSoapServer.fault(true, "VersionMismatch", null, "send SOAP 1.2", null),
            null));
    JobResult r = run(preferences(), customer("C-1"));
    assertThat(r).isInstanceOf(JobResult.Error.class);
    assertThat(((JobResult.Error) r).errorCode()).isEqualTo("VersionMismatch");
    assertThat(((JobResult.Error) r).errorMessage()).isEqualTo("send SOAP 1.2");
  }

  @Test
  void shouldRaiseHttpStatusAsBpmnErrorWhenA4xxHasNoFault() throws Exception {
    server.answerNext(new Canned(404, "text/plain", "no such service", null));
    JobResult r = run(preferences(), customer("C-1"));
    assertThat(r).isInstanceOf(JobResult.Error.class);
    assertThat(((JobResult.Error) r).errorCode()).isEqualTo("HTTP_404");
    assertThat(((JobResult.Error) r).variables()).containsEntry("httpStatus", 404L);
  }

  @Test
  void shouldRetryWhenTheServiceCannotBeReached() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    JobResult r = run(preferences("url", "http://127.0.0.1:" + port + "/crm"), customer("C-1"));
    assertThat(r).isInstanceOf(JobResult.Fail.class);
    assertThat(((JobResult.Fail) r).retries()).isNull();
    assertThat(((JobResult.Fail) r).errorMessage())
        .contains("POST http://127.0.0.1:" + port + "/crm failed: ConnectException");
  }

  @Test
  void shouldRetryWhenTheAnswerTakesLongerThanTheTimeout() throws Exception {
    server.hold = new CountDownLatch(1);
    JobResult r = run(preferences("timeout", "PT0.3S"), customer("C-1"));
    server.hold.countDown();
    assertThat(r).isInstanceOf(JobResult.Fail.class);
    assertThat(((JobResult.Fail) r).retries()).isNull();
    assertThat(((JobResult.Fail) r).errorMessage()).contains("HttpTimeoutException");
  }

  @Test
  void shouldRefuseAnAnswerLargerThanMaxResponseBytes() throws Exception {
    JobResult r = run(preferences("maxResponseBytes", "100"), customer("C-1"));
    assertThat(r).isInstanceOf(JobResult.Fail.class);
    assertThat(((JobResult.Fail) r).retries()).isZero();
    assertThat(((JobResult.Fail) r).errorMessage())
        .contains("is larger than 100 bytes (setting 'maxResponseBytes')");
  }

  @Test
  void shouldNameThePlaceholderWhoseVariableIsMissing() throws Exception {
    JobResult r = run(preferences(), Map.of("customer", Map.of("id", "C-1")));
    assertThat(r)
        .isEqualTo(
            new JobResult.Fail(
                "soap task 'task': setting 'body', placeholder ${name}: there is no variable 'name'",
                0,
                null));
  }

  @Test
  void shouldNameWrongSettings() throws Exception {
    assertThat(run(preferences("soapVersion", "1.3"), customer("C-1")))
        .isEqualTo(
            new JobResult.Fail(
                "soap task 'task': setting 'soapVersion' must be 1.1 or 1.2, not String 1.3",
                0,
                null));
    Map<String, String> noBody = preferences();
    noBody.remove("body");
    assertThat(((JobResult.Fail) run(noBody, Map.of())).errorMessage())
        .contains("there is no request: set 'body'");
    assertThat(((JobResult.Fail) run(preferences("url", "ftp://x/"), customer("C"))).errorMessage())
        .isEqualTo(
            "soap task 'task': setting 'url' must be an http:// or https:// URL, not String ftp://x/");
  }

  @Test
  void shouldServeAWsdlWhoseActionsTheXPathMappingReads() throws Exception {
    try (HttpClient client = HttpClient.newHttpClient()) {
      byte[] wsdl =
          client
              .send(
                  HttpRequest.newBuilder(URI.create(server.url() + "?wsdl")).build(),
                  HttpResponse.BodyHandlers.ofByteArray())
              .body();
      var doc = SafeXmlParser.parse(wsdl, "the WSDL");
      Map<String, Object> prefixed =
          XPathMapping.evaluate(
              Map.of(
                  "action",
                  "//w:binding[@name='CrmSoap11']/w:operation[@name='Pay']/s:operation/@soapAction"),
              doc,
              Map.of(
                  "w",
                  "http://schemas.xmlsoap.org/wsdl/",
                  "s",
                  "http://schemas.xmlsoap.org/wsdl/soap/"),
              "test");
      Map<String, Object> agnostic =
          XPathMapping.evaluate(
              Map.of(
                  "action",
                  "//binding[@name='CrmSoap12']/operation[@name='Pay']/operation/@soapAction"),
              doc,
              Map.of(),
              "test");
      assertThat(prefixed).containsEntry("action", "urn:example:crm/Pay");
      assertThat(agnostic).containsEntry("action", "urn:example:crm/Pay");
    }
  }
}
