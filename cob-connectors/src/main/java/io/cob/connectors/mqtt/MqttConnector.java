package io.cob.connectors.mqtt;

import io.cob.connectors.Connector;
import io.cob.connectors.ConnectorContext;
import io.cob.connectors.ConnectorException;
import io.cob.connectors.JobConfig;
import io.cob.engine.port.ActivatedJob;
import io.cob.engine.port.JobResult;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code mqtt} job type: publishes to a topic (QoS 1 by default) and either completes once the
 * broker has the message or, with a {@code responseTopic}, waits for a device's answer on it.
 *
 * <p><b>Settings</b> (task header or variable, see {@link JobConfig}): {@code topic} (required),
 * {@code payload}, {@code qos} (default 1), {@code retain} (default false), {@code responseTopic},
 * {@code correlationKey} (default the job key), {@code replyTimeout} (default PT5M), {@code
 * resultVariable} (default {@code reply}), {@code publishTimeout} (default PT10S). Node settings:
 * {@code connectors.mqtt.url} (required), {@code username}, {@code password} (may refer to a
 * secret), {@code clientId} (default {@code cob-<nodeId>}).
 *
 * <p><b>Answers.</b> When the task waits, a JSON object payload gets the field {@code
 * correlationKey}; the device answers on the response topic with a JSON object carrying the same
 * {@code correlationKey} (see {@link DeviceAnswers}). With another payload the device must learn
 * the key otherwise (e.g. set {@code correlationKey} to the device's id when it has one request at
 * a time). Response topics are subscribed once per filter and shared by all tasks.
 *
 * <p><b>Idempotency.</b> A job that runs again (after a failure, a crash or an answer that did not
 * come in time) publishes again with the same correlation key; devices must treat a repeated key as
 * the same request. Without a response topic the message carries no key of its own: subscribers
 * that must not act twice put the job's idempotency key into the payload through the task's input
 * mapping.
 *
 * <p>Thread-safe; one MQTT connection per node, made at the first task.
 */
public final class MqttConnector implements Connector {
  private static final Logger LOG = LoggerFactory.getLogger(MqttConnector.class);
  public static final String TYPE = "mqtt";

  private final ConnectorContext context;
  private final DeviceAnswers answers;
  private MqttSession session;
  private boolean closed;

  public MqttConnector(ConnectorContext context) {
    this.context = context;
    this.answers = new DeviceAnswers(context.clock(), context.outcomes());
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public JobResult execute(ActivatedJob job, JobConfig config) {
    MqttTask task = MqttTask.read(job, config);
    MqttSession s = session();
    Optional<String> responseTopic = task.responseTopic();
    if (responseTopic.isPresent()) {
      if (context.outcomes() == null) {
        throw ConnectorException.misconfigured(
            "setting 'responseTopic' needs the node's job outcomes, which this node lacks");
      }
      s.subscribe(responseTopic.get());
      DeviceAnswers.Waiter me =
          new DeviceAnswers.Waiter(job.key(), task.resultVariable(), responseTopic.get());
      answers
          .expect(task.correlationKey(), me, task.replyTimeout())
          .ifPresent(
              other -> {
                throw ConnectorException.transientFailure(
                    "job "
                        + other.jobKey()
                        + " already waits for an answer with correlation key '"
                        + task.correlationKey()
                        + "'",
                    null);
              });
    }
    try {
      s.publish(task.topic(), task.payload(), task.qos(), task.retain(), task.publishTimeout());
    } catch (ConnectorException e) {
      responseTopic.ifPresent(t -> answers.forget(task.correlationKey()));
      throw e;
    }
    LOG.info(
        "event=mqtt_published instance={} element={} topic={} qos={} responseTopic={}"
            + " correlationKey={}",
        job.instanceId(),
        job.elementId(),
        task.topic(),
        task.qos(),
        responseTopic.orElse("-"),
        responseTopic.isPresent() ? task.correlationKey() : "-");
    return responseTopic.isPresent()
        ? new JobResult.Await(task.replyTimeout())
        : JobResult.complete();
  }

  private synchronized MqttSession session() {
    if (closed) {
      throw ConnectorException.transientFailure("the mqtt connector is closed", null);
    }
    if (session == null) {
      Map<String, Object> settings = context.settings(TYPE);
      String url = setting(settings, "url");
      if (url == null) {
        throw ConnectorException.misconfigured(
            "the node has no connectors.mqtt.url (e.g. tcp://127.0.0.1:1883) in cob.yaml");
      }
      String clientId = setting(settings, "clientId");
      session =
          MqttSession.connect(
              url,
              clientId != null ? clientId : "cob-" + context.nodeId(),
              setting(settings, "username"),
              setting(settings, "password"),
              answers::onMessage);
    }
    return session;
  }

  private String setting(Map<String, Object> settings, String name) {
    Object v = settings.get(name);
    if (v == null || v.toString().isBlank()) {
      return null;
    }
    return context.secrets().resolve(v.toString().strip(), "connectors.mqtt." + name);
  }

  /** Disconnects and ends this node's session on the broker (see {@link MqttSession#close}). */
  @Override
  public synchronized void close() {
    closed = true;
    if (session != null) {
      session.close();
      session = null;
    }
  }
}
