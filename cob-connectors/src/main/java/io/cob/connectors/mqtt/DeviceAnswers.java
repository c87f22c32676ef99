package io.cob.connectors.mqtt;

import io.cob.connectors.AwaitedAnswers;
import io.cob.connectors.JobOutcomes;
import io.cob.connectors.MessageBody;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.MqttTopic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Matches answers on response topics to the jobs that wait for them, by correlation key.
 *
 * <p>An answer is a JSON object with the field {@code correlationKey} (a text, or a number compared
 * by its text), published on a topic that matches the waiting task's {@code responseTopic}. The
 * whole object becomes the job's result variable. Anything else arriving on a response topic (other
 * JSON, text, an unknown key) is logged and ignored.
 *
 * <p>Thread-safe. The waiting jobs are remembered in memory only: after a restart of the node, the
 * jobs run again when their locks lapse and publish again with the same correlation key, so a
 * device must treat a repeated key as the same request. An answer that comes twice is applied once;
 * the second is refused by the engine and logged.
 */
final class DeviceAnswers {
  private static final Logger LOG = LoggerFactory.getLogger(DeviceAnswers.class);

  /** What is needed to apply an answer: which job, into which variable, from which topic. */
  record Waiter(String jobKey, String resultVariable, String responseTopic) {}

  private final AwaitedAnswers<String, Waiter> waiting;
  private final JobOutcomes outcomes;

  DeviceAnswers(Clock clock, JobOutcomes outcomes) {
    this.waiting = new AwaitedAnswers<>(clock);
    this.outcomes = outcomes;
  }

  /**
   * Waits for the answer with {@code correlationKey} for {@code timeout}.
   *
   * @return the job that already waits for an answer with this key, or empty when this one is
   *     registered (also when it is the same job, sent again)
   */
  Optional<Waiter> expect(String correlationKey, Waiter waiter, Duration timeout) {
    return waiting.expect(
        correlationKey, waiter, timeout, (old, now) -> old.jobKey().equals(now.jobKey()));
  }

  void forget(String correlationKey) {
    waiting.forget(correlationKey);
  }

  /** Handles one message from a response topic; see the class comment. */
  void onMessage(String topic, MqttMessage message) {
    Optional<Map<String, Object>> answer = MessageBody.parseJsonObject(message.getPayload());
    Object key = answer.map(a -> a.get(MqttTask.CORRELATION_FIELD)).orElse(null);
    if (key == null) {
      LOG.debug("event=mqtt_answer_ignored topic={} reason=no_correlation_key", topic);
      return;
    }
    String correlationKey = String.valueOf(key);
    Optional<Waiter> waiter = waiting.find(correlationKey);
    if (waiter.isEmpty()) {
      LOG.info(
          "event=mqtt_answer_unmatched topic={} correlationKey={} reason={}",
          topic,
          correlationKey,
          "no job of this node waits for it (answered already, timed out, or sent before a restart)");
      return;
    }
    Waiter w = waiter.get();
    if (!MqttTopic.isMatched(w.responseTopic(), topic)) {
      LOG.warn(
          "event=mqtt_answer_wrong_topic topic={} expected={} correlationKey={} job={}",
          topic,
          w.responseTopic(),
          correlationKey,
          w.jobKey());
      return;
    }
    Map<String, Object> variables = new HashMap<>();
    variables.put(w.resultVariable(), answer.get());
    boolean applied = outcomes.complete(w.jobKey(), variables);
    LOG.info(
        "event={} job={} topic={} correlationKey={}",
        applied ? "mqtt_answer_applied" : "mqtt_answer_refused",
        w.jobKey(),
        topic,
        correlationKey);
  }
}
