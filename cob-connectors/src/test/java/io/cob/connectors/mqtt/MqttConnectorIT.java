package io.cob.connectors.mqtt;

import static io.cob.engine.TestModels.process;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cob.connectors.ConnectorContext;
import io.cob.connectors.ConnectorJobHandler;
import io.cob.connectors.EngineJobOutcomes;
import io.cob.connectors.MessageBody;
import io.cob.connectors.RecordingOutcomes;
import io.cob.connectors.TestContexts;
import io.cob.connectors.TestServices;
import io.cob.engine.EngineHarness;
import io.cob.engine.EngineHarness.Instance;
import io.cob.engine.event.InstanceEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The mqtt connector against the Mosquitto on this machine, inside a running engine; a test client
 * plays the device.
 */
class MqttConnectorIT {
  private static final Duration DEADLINE = Duration.ofSeconds(15);

  private final String run = UUID.randomUUID().toString().substring(0, 8);
  private final String base = "cob-it/" + run;
  private final String nodeId = "mqtt-it-" + run;

  @RegisterExtension final EngineHarness engine = new EngineHarness();

  private final RecordingOutcomes outcomes =
      new RecordingOutcomes(new EngineJobOutcomes(engine::engine));
  private final ConnectorContext context =
      TestContexts.context(
          nodeId, Map.of(), outcomes, Map.of("mqtt", Map.of("url", TestServices.MOSQUITTO_URL)));
  private final MqttConnector connector = new MqttConnector(context);

  {
    engine.handler("mqtt", new ConnectorJobHandler(connector, context));
  }

  private MqttAsyncClient device;
  private final BlockingQueue<MqttMessage> received = new LinkedBlockingQueue<>();

  @BeforeEach
  void connectTheDevice() throws Exception {
    TestServices.requireMosquitto();
    device =
        new MqttAsyncClient(TestServices.MOSQUITTO_URL, "device-" + run, new MemoryPersistence());
    MqttConnectOptions options = new MqttConnectOptions();
    options.setCleanSession(true);
    device.connect(options).waitForCompletion(5_000);
    device.subscribe(base + "/cmd", 1, (topic, m) -> received.add(m)).waitForCompletion(5_000);
  }

  @AfterEach
  void disconnect() throws Exception {
    connector.close(); // which also ends its session on the broker
    if (device != null) {
      device.disconnect().waitForCompletion(5_000);
      device.close();
    }
  }

  /** Whether the broker still has a session for the connector's client id; ends it if so. */
  private boolean brokerKeepsTheConnectorsSession() throws Exception {
    MqttAsyncClient probe =
        new MqttAsyncClient(TestServices.MOSQUITTO_URL, "cob-" + nodeId, new MemoryPersistence());
    MqttConnectOptions resume = new MqttConnectOptions();
    resume.setCleanSession(false);
    IMqttToken token = probe.connect(resume);
    token.waitForCompletion(5_000);
    boolean present = token.getSessionPresent();
    probe.disconnect().waitForCompletion(5_000);
    MqttConnectOptions clean = new MqttConnectOptions();
    clean.setCleanSession(true);
    probe.connect(clean).waitForCompletion(5_000);
    probe.disconnect().waitForCompletion(5_000);
    probe.close();
    return present;
  }

  private String model(String headers) {
    return process(
        "p",
        """
        <startEvent id="s"/>
        <serviceTask id="switch"><extensionElements>
          <zeebe:taskDefinition type="mqtt"/>
          <zeebe:taskHeaders>
            <zeebe:header key="topic" value="%s/cmd"/>
            <zeebe:header key="payload" value="={&quot;on&quot;: on, &quot;level&quot;: 80}"/>
            %s
          </zeebe:taskHeaders>
        </extensionElements></serviceTask>
        <endEvent id="e"/>
        """
            .formatted(base, headers),
        "s->switch",
        "switch->e");
  }

  private MqttMessage nextCommand() throws InterruptedException {
    MqttMessage m = received.poll(DEADLINE.toSeconds(), TimeUnit.SECONDS);
    assertThat(m).as("a command on " + base + "/cmd").isNotNull();
    return m;
  }

  private void answer(String topic, String json) throws Exception {
    device.publish(topic, json.getBytes(StandardCharsets.UTF_8), 1, false).waitForCompletion(5_000);
  }

  @Test
  void shouldPublishAtQos1AndCompleteOnceTheBrokerHasIt() throws Exception {
    engine.deploy(model(""));
    Instance i = engine.start("p", Map.of("on", true));

    assertThat(i.status()).isEqualTo("COMPLETED");
    MqttMessage m = nextCommand();
    assertThat(m.getQos()).isEqualTo(1);
    assertThat(m.isRetained()).isFalse();
    assertThat(MessageBody.parseJsonObject(m.getPayload()))
        .contains(Map.of("on", true, "level", 80));
  }

  @Test
  void shouldCompleteWithTheDevicesAnswerAndApplyADuplicateAnswerOnce() throws Exception {
    engine.deploy(
        model(
            "<zeebe:header key=\"responseTopic\" value=\"%s/answers/+\"/>".formatted(base)
                + "<zeebe:header key=\"resultVariable\" value=\"lamp\"/>"));
    Instance i = engine.start("p", Map.of("on", true));

    Map<String, Object> command = MessageBody.parseJsonObject(nextCommand().getPayload()).get();
    assertThat(command).containsEntry("correlationKey", i.job("switch").key());
    assertThat(i.status()).as("waiting for the device").isEqualTo("ACTIVE");

    String reply =
        "{\"correlationKey\": \"%s\", \"state\": \"on\"}".formatted(command.get("correlationKey"));
    answer(base + "/answers/lamp-1", "{\"correlationKey\": \"someone-else\"}");
    answer(base + "/answers/lamp-1", reply);
    answer(base + "/answers/lamp-1", reply);

    await().atMost(DEADLINE).until(() -> outcomes.applied().size() == 2);
    engine.settle();
    assertThat(outcomes.applied()).containsExactly(true, false);
    assertThat(i.status()).isEqualTo("COMPLETED");
    assertThat(i.variables())
        .containsEntry(
            "lamp", Map.of("correlationKey", command.get("correlationKey"), "state", "on"));
    assertThat(i.history().stream().filter(r -> r.event() instanceof InstanceEvent.JobCompleted))
        .as("one job completion in the history")
        .hasSize(1);
  }

  @Test
  void shouldMatchAnAnswerByAKeyTheModelChose() throws Exception {
    engine.deploy(
        model(
            "<zeebe:header key=\"responseTopic\" value=\"%s/answers/#\"/>".formatted(base)
                + "<zeebe:header key=\"correlationKey\" value=\"=&quot;lamp-&quot; + string(id)\"/>"));
    Instance i = engine.start("p", Map.of("on", false, "id", 42));

    assertThat(MessageBody.parseJsonObject(nextCommand().getPayload()).get())
        .containsEntry("correlationKey", "lamp-42");
    answer(base + "/answers/kitchen/lamp", "{\"correlationKey\": \"lamp-42\", \"state\": \"off\"}");

    await().atMost(DEADLINE).until(() -> i.status().equals("COMPLETED"));
    assertThat(i.variables()).containsKey("reply");
  }

  @Test
  void shouldEndItsSessionOnTheBrokerWhenClosed() throws Exception {
    engine.deploy(
        model("<zeebe:header key=\"responseTopic\" value=\"%s/answers/+\"/>".formatted(base)));
    engine.start("p", Map.of("on", true));
    nextCommand();

    connector.close();

    assertThat(brokerKeepsTheConnectorsSession()).isFalse();
  }
}
