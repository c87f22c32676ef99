package io.cob.connectors.mqtt;

import io.cob.connectors.ConnectorException;
import io.cob.connectors.JobConfig;
import io.cob.connectors.MessageBody;
import io.cob.engine.port.ActivatedJob;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.eclipse.paho.client.mqttv3.MqttTopic;

/**
 * The settings of one {@code mqtt} task, read and checked before anything is sent.
 *
 * @param payload the bytes to publish; when the task waits for an answer and the payload is a JSON
 *     object, it carries the field {@code correlationKey}
 * @param responseTopic the topic filter the answer comes on; empty when the task does not wait
 * @param correlationKey the key the answer must carry in its field {@code correlationKey}
 */
record MqttTask(
    String topic,
    byte[] payload,
    int qos,
    boolean retain,
    Optional<String> responseTopic,
    String correlationKey,
    Duration replyTimeout,
    String resultVariable,
    Duration publishTimeout) {

  /** The field of a payload and of an answer that holds the correlation key. */
  static final String CORRELATION_FIELD = "correlationKey";

  static final Duration DEFAULT_REPLY_TIMEOUT = Duration.ofMinutes(5);
  static final Duration DEFAULT_PUBLISH_TIMEOUT = Duration.ofSeconds(10);

  static MqttTask read(ActivatedJob job, JobConfig config) {
    String topic = config.string("topic").strip();
    check(() -> MqttTopic.validate(topic, false), "topic", topic, "without wildcards");
    long qos = config.number("qos", 1);
    if (qos < 0 || qos > 2) {
      throw config.wrongType("qos", "0, 1 or 2", qos);
    }
    Optional<String> responseTopic =
        config.optionalString("responseTopic").map(String::strip).filter(t -> !t.isEmpty());
    responseTopic.ifPresent(
        t -> check(() -> MqttTopic.validate(t, true), "responseTopic", t, "(wildcards allowed)"));
    String correlationKey = config.string("correlationKey", job.key()).strip();
    if (correlationKey.isEmpty()) {
      throw config.wrongType("correlationKey", "a non-empty text", "");
    }
    String resultVariable = config.string("resultVariable", "reply").strip();
    if (resultVariable.isEmpty()) {
      throw config.wrongType("resultVariable", "a variable name", "");
    }
    Object payload = config.value("payload").orElse(null);
    if (responseTopic.isPresent()) {
      payload = withCorrelationKey(payload, correlationKey);
    }
    return new MqttTask(
        topic,
        MessageBody.encode(payload, Optional.empty(), config.context().blobs(), "payload").bytes(),
        (int) qos,
        config.flag("retain", false),
        responseTopic,
        correlationKey,
        positive(config, "replyTimeout", DEFAULT_REPLY_TIMEOUT),
        resultVariable,
        positive(config, "publishTimeout", DEFAULT_PUBLISH_TIMEOUT));
  }

  /** A JSON object payload gets the key as a field; any other payload is sent unchanged. */
  private static Object withCorrelationKey(Object payload, String key) {
    if (!(payload instanceof Map<?, ?> m)) {
      return payload;
    }
    Object present = m.get(CORRELATION_FIELD);
    if (present != null && !Objects.equals(String.valueOf(present), key)) {
      throw ConnectorException.misconfigured(
          "the payload's field 'correlationKey' ("
              + present
              + ") differs from setting 'correlationKey' ("
              + key
              + "): leave the field out, it is filled in");
    }
    Map<String, Object> out = new LinkedHashMap<>();
    m.forEach((k, v) -> out.put(String.valueOf(k), v));
    out.put(CORRELATION_FIELD, key);
    return out;
  }

  private static void check(Runnable validation, String setting, String topic, String rule) {
    try {
      validation.run();
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw ConnectorException.misconfigured(
          "setting '"
              + setting
              + "' ("
              + topic
              + ") is not a valid MQTT topic "
              + rule
              + ": "
              + e.getMessage());
    }
  }

  private static Duration positive(JobConfig config, String name, Duration otherwise) {
    Duration d = config.duration(name, otherwise);
    if (d.isNegative() || d.isZero()) {
      throw ConnectorException.misconfigured(
          "setting '" + name + "' must be a positive duration, not " + d);
    }
    return d;
  }
}
