package io.cob.connectors.amqp;

import static io.cob.engine.TestModels.process;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.Delivery;
import io.cob.connectors.ConnectorContext;
import io.cob.connectors.ConnectorJobHandler;
import io.cob.connectors.EngineJobOutcomes;
import io.cob.connectors.MessageBody;
import io.cob.connectors.RecordingOutcomes;
import io.cob.connectors.TestContexts;
import io.cob.connectors.TestServices;
import io.cob.connectors.TraceParent;
import io.cob.engine.EngineHarness;
import io.cob.engine.EngineHarness.Instance;
import io.cob.engine.event.InstanceEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The amqp connector against the RabbitMQ on this machine, inside a running engine. */
class AmqpConnectorIT {
  private static final Duration DEADLINE = Duration.ofSeconds(15);

  private final String run = UUID.randomUUID().toString().substring(0, 8);
  private final String exchange = "cob.it." + run;
  private final String nodeId = "amqp-it-" + run;
  private final List<String> idempotencyKeys = new CopyOnWriteArrayList<>();

  @RegisterExtension final EngineHarness engine = new EngineHarness();

  private final RecordingOutcomes outcomes =
      new RecordingOutcomes(new EngineJobOutcomes(engine::engine));
  private final ConnectorContext context =
      TestContexts.context(
          nodeId,
          Map.of("RABBIT_PASSWORD", "guest"),
          outcomes,
          Map.of(
              "amqp",
              Map.of(
                  "url",
                  "amqp://guest:{{secrets.RABBIT_PASSWORD}}@127.0.0.1:5672",
                  "recoveryInterval",
                  "PT0.2S")));
  private final AmqpConnector connector = new AmqpConnector(context);

  {
    ConnectorJobHandler handler = new ConnectorJobHandler(connector, context);
    engine.handler(
        "amqp",
        job -> {
          idempotencyKeys.add(job.idempotencyKey());
          return handler.handle(job);
        });
  }

  private Connection connection;
  private Channel channel;
  private String queue;
  private final BlockingQueue<Delivery> received = new LinkedBlockingQueue<>();

  @BeforeEach
  void declareTestExchangeAndQueue() throws Exception {
    TestServices.requireRabbitMq();
    ConnectionFactory f = new ConnectionFactory();
    f.setUri(TestServices.RABBITMQ_URL);
    connection = f.newConnection("amqp-it-" + run);
    channel = connection.createChannel();
    channel.exchangeDeclare(exchange, "direct", false, true, null);
    queue = channel.queueDeclare("", false, true, true, null).getQueue();
    channel.queueBind(queue, exchange, "orders");
    channel.basicConsume(queue, true, (tag, d) -> received.add(d), tag -> {});
  }

  @AfterEach
  void cleanUp() throws Exception {
    connector.close();
    if (channel != null) {
      channel.queueDelete(connector.replyQueue());
      channel.exchangeDelete(exchange);
      connection.close();
    }
  }

  private static String model(String headers, String boundary) {
    return process(
        "p",
        """
        <startEvent id="s"/>
        <serviceTask id="publish"><extensionElements>
          <zeebe:taskDefinition type="amqp" retries="3"/>
          <zeebe:taskHeaders>%s</zeebe:taskHeaders>
        </extensionElements></serviceTask>
        <endEvent id="e"/>
        %s
        """
            .formatted(headers, boundary),
        "s->publish",
        "publish->e");
  }

  private String headers(String mode) {
    return """
        <zeebe:header key="exchange" value="%s"/>
        <zeebe:header key="routingKey" value="orders"/>
        <zeebe:header key="body" value="=order"/>
        <zeebe:header key="headers" value="={&quot;tenant&quot;: &quot;acme&quot;}"/>
        <zeebe:header key="mode" value="%s"/>
        """
        .formatted(exchange, mode);
  }

  private Delivery nextRequest() throws InterruptedException {
    Delivery d = received.poll(DEADLINE.toSeconds(), TimeUnit.SECONDS);
    assertThat(d).as("a message on the test queue").isNotNull();
    return d;
  }

  private void reply(Delivery request, String body, Map<String, Object> headers) throws Exception {
    AMQP.BasicProperties props =
        new AMQP.BasicProperties.Builder()
            .correlationId(request.getProperties().getCorrelationId())
            .contentType(MessageBody.JSON_TYPE)
            .headers(headers)
            .build();
    channel.basicPublish(
        "", request.getProperties().getReplyTo(), props, body.getBytes(StandardCharsets.UTF_8));
  }

  private long jobCompletions(Instance i) {
    return i.history().stream()
        .filter(r -> r.event() instanceof InstanceEvent.JobCompleted)
        .count();
  }

  @Test
  void shouldPublishAPersistentConfirmedMessageWithTheIdempotencyKeyAndComplete() throws Exception {
    engine.deploy(model(headers("fire-and-forget"), ""));
    Instance i = engine.start("p", Map.of("order", Map.of("id", 7, "item", "book")));

    assertThat(i.status()).isEqualTo("COMPLETED");
    Delivery d = nextRequest();
    assertThat(MessageBody.parseJsonObject(d.getBody())).contains(Map.of("id", 7, "item", "book"));
    AMQP.BasicProperties p = d.getProperties();
    assertThat(p.getContentType()).isEqualTo("application/json");
    assertThat(p.getDeliveryMode()).as("persistent").isEqualTo(2);
    assertThat(p.getMessageId()).isEqualTo(idempotencyKeys.getFirst());
    assertThat(p.getMessageId()).startsWith(i.id() + ":");
    assertThat(p.getCorrelationId()).isNull();
    assertThat(p.getHeaders().get("tenant")).hasToString("acme");
    assertThat(p.getHeaders().get("traceparent").toString())
        .matches("00-" + TraceParent.traceId(i.id()) + "-[0-9a-f]{16}-01");
  }

  @Test
  void shouldWaitForTheReplyAndApplyItOnceWhenItArrivesTwice() throws Exception {
    engine.deploy(model(headers("request-reply"), ""));
    Instance i = engine.start("p", Map.of("order", Map.of("id", 8)));

    Delivery request = nextRequest();
    assertThat(request.getProperties().getReplyTo()).isEqualTo("cob.replies." + nodeId);
    assertThat(request.getProperties().getCorrelationId()).isEqualTo(i.job("publish").key());
    assertThat(request.getProperties().getMessageId()).isEqualTo(idempotencyKeys.getFirst());
    assertThat(i.status()).as("waiting for the reply").isEqualTo("ACTIVE");

    reply(request, "{\"status\": \"shipped\", \"parcels\": 2}", null);
    reply(request, "{\"status\": \"shipped\", \"parcels\": 2}", null);

    await().atMost(DEADLINE).until(() -> outcomes.applied().size() == 2);
    engine.settle();
    assertThat(outcomes.applied()).containsExactly(true, false);
    assertThat(i.status()).isEqualTo("COMPLETED");
    assertThat(i.variables()).containsEntry("reply", Map.of("status", "shipped", "parcels", 2L));
    assertThat(jobCompletions(i)).as("one job completion in the history").isEqualTo(1);
    assertThat(idempotencyKeys).as("the request was sent once").hasSize(1);
  }

  @Test
  void shouldThrowTheReplysErrorCodeAsABpmnErrorCaughtByTheBoundaryEvent() throws Exception {
    String boundary =
        """
        <boundaryEvent id="outOfStock" attachedToRef="publish">
          <errorEventDefinition errorRef="OOS"/>
        </boundaryEvent>
        <endEvent id="failed"/>
        <sequenceFlow id="oos_failed" sourceRef="outOfStock" targetRef="failed"/>
        """;
    String xml =
        model(
                headers("request-reply")
                    + "<zeebe:header key=\"resultVariable\" value=\"answer\"/>",
                boundary)
            .replace(
                "<process id=\"p\"",
                "<error id=\"OOS\" errorCode=\"OUT_OF_STOCK\"/><process id=\"p\"");
    engine.deploy(xml);
    Instance i = engine.start("p", Map.of("order", Map.of("id", 9)));

    reply(
        nextRequest(),
        "{\"missing\": \"book\"}",
        Map.of("error-code", "OUT_OF_STOCK", "error-message", "no books left"));

    await().atMost(DEADLINE).until(() -> !i.status().equals("ACTIVE"));
    engine.settle();
    assertThat(outcomes.applied()).containsExactly(true);
    assertThat(i.status()).isEqualTo("COMPLETED");
    assertThat(i.completed()).contains("outOfStock", "failed").doesNotContain("e");
    assertThat(i.history())
        .anySatisfy(
            r ->
                assertThat(r.event())
                    .isInstanceOfSatisfying(
                        InstanceEvent.JobErrorThrown.class,
                        e -> assertThat(e.errorMessage()).isEqualTo("no books left")));
  }

  @Test
  void shouldRaiseAnIncidentNamingTheExchangeWhenItDoesNotExist() {
    String missing = "cob.it.missing." + run;
    engine.deploy(
        model(
            """
            <zeebe:header key="exchange" value="%s"/>
            <zeebe:header key="routingKey" value="orders"/>
            <zeebe:header key="body" value="hello"/>
            """
                .formatted(missing),
            ""));
    Instance i = engine.start("p");

    assertThat(i.status()).isEqualTo("ACTIVE");
    assertThat(i.incidents())
        .singleElement()
        .satisfies(
            inc ->
                assertThat(inc.message())
                    .contains("amqp task 'publish'")
                    .contains("exchange '" + missing + "'")
                    .contains("NOT_FOUND")
                    .contains("(404)")
                    .doesNotContain("guest:guest"));
  }

  @Test
  void shouldRetryAMandatoryMessageThatNoQueueTakes() {
    engine.deploy(
        model(
            """
            <zeebe:header key="exchange" value="%s"/>
            <zeebe:header key="routingKey" value="nobody-listens"/>
            <zeebe:header key="mandatory" value="true"/>
            """
                .formatted(exchange),
            ""));
    Instance i = engine.start("p");

    assertThat(i.incidents()).isEmpty();
    assertThat(i.job("publish").retries()).as("one retry used up").isEqualTo(2);
    assertThat(i.history())
        .anySatisfy(
            r ->
                assertThat(r.event())
                    .isInstanceOfSatisfying(
                        InstanceEvent.JobFailed.class,
                        e -> assertThat(e.errorMessage()).contains("unroutable", "NO_ROUTE")));
  }

  @Test
  void shouldApplyAReplySentWhileTheConnectionWasDownOnceItRecovered() throws Exception {
    engine.deploy(model(headers("request-reply"), ""));
    Instance i = engine.start("p", Map.of("order", Map.of("id", 10)));
    Delivery request = nextRequest();

    BrokerSideClose.close("cob-" + nodeId);
    reply(request, "{\"status\": \"late\"}", null);

    await().atMost(DEADLINE).until(() -> i.status().equals("COMPLETED"));
    assertThat(i.variables()).containsEntry("reply", Map.of("status", "late"));

    // Publishing works again on the recovered connection.
    engine.start("p", Map.of("order", Map.of("id", 11)));
    assertThat(nextRequest().getProperties().getCorrelationId()).isNotNull();
  }
}
