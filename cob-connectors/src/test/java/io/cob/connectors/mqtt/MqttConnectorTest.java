package io.cob.connectors.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import io.cob.connectors.ConnectorContext;
import io.cob.connectors.ConnectorException;
import io.cob.connectors.JobConfig;
import io.cob.connectors.MessageBody;
import io.cob.connectors.TestContexts;
import io.cob.engine.port.ActivatedJob;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Task settings and connection failures of the mqtt connector; no broker needed. */
class MqttConnectorTest {
  private final ConnectorContext ctx =
      TestContexts.context(
          "n1", Map.of(), null, Map.of("mqtt", Map.of("url", "tcp://127.0.0.1:1")));

  private MqttTask read(Map<String, String> headers, Map<String, Object> variables) {
    ActivatedJob job = TestContexts.job("mqtt", headers, variables);
    return MqttTask.read(job, new JobConfig(job, ctx));
  }

  private static ConnectorException failure(Runnable r) {
    try {
      r.run();
    } catch (ConnectorException e) {
      return e;
    }
    throw new AssertionError("no ConnectorException");
  }

  @Test
  void shouldPutTheCorrelationKeyIntoAnObjectPayloadWhenTheTaskWaits() {
    MqttTask t =
        read(
            Map.of("topic", "lamps/1/cmd", "responseTopic", "lamps/+/state"),
            Map.of("payload", Map.of("on", true)));
    assertThat(t.correlationKey()).isEqualTo(TestContexts.job("mqtt", Map.of(), Map.of()).key());
    assertThat(MessageBody.parseJsonObject(t.payload()))
        .contains(Map.of("on", true, "correlationKey", t.correlationKey()));
    assertThat(t.qos()).isEqualTo(1);
    assertThat(t.retain()).isFalse();

    MqttTask fireAndForget = read(Map.of("topic", "lamps/1/cmd"), Map.of("payload", "ON"));
    assertThat(new String(fireAndForget.payload(), java.nio.charset.StandardCharsets.UTF_8))
        .isEqualTo("ON");
  }

  @Test
  void shouldNameBadTopicsQosAndAConflictingKeyField() {
    assertThat(failure(() -> read(Map.of("topic", "lamps/+/cmd"), Map.of())).getMessage())
        .contains("setting 'topic' (lamps/+/cmd) is not a valid MQTT topic without wildcards");
    assertThat(failure(() -> read(Map.of("topic", "a", "qos", "3"), Map.of())).getMessage())
        .contains("setting 'qos' must be 0, 1 or 2");
    assertThat(
            failure(
                    () ->
                        read(
                            Map.of("topic", "a", "responseTopic", "b", "correlationKey", "k1"),
                            Map.of("payload", Map.of("correlationKey", "k2"))))
                .getMessage())
        .contains("payload's field 'correlationKey' (k2) differs from setting 'correlationKey'");
  }

  @Test
  void shouldSayThatTheNodeHasNoBrokerUrl() {
    ConnectorContext none = TestContexts.context("n1", Map.of(), null, Map.of());
    ActivatedJob job = TestContexts.job("mqtt", Map.of("topic", "a"), Map.of());
    try (MqttConnector c = new MqttConnector(none)) {
      ConnectorException e = failure(() -> c.execute(job, new JobConfig(job, none)));
      assertThat(e.getMessage()).contains("connectors.mqtt.url");
      assertThat(e.retryable()).isFalse();
    }
  }

  @Test
  void shouldTreatAnUnreachableBrokerAsTransient() {
    ActivatedJob job = TestContexts.job("mqtt", Map.of("topic", "a"), Map.of());
    try (MqttConnector c = new MqttConnector(ctx)) {
      ConnectorException e = failure(() -> c.execute(job, new JobConfig(job, ctx)));
      assertThat(e.getMessage()).contains("cannot connect to tcp://127.0.0.1:1");
      assertThat(e.retryable()).isTrue();
    }
  }
}
