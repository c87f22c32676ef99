package io.cob.connectors.mqtt;

import io.cob.connectors.ConnectorException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's one MQTT connection (Eclipse Paho, MQTT 3.1.1): publishes and holds the subscriptions
 * to response topics.
 *
 * <p>The session is persistent ({@code cleanSession = false}) under the stable client id {@code
 * cob-<nodeId>}, so the broker keeps QoS 1 subscriptions and queues answers while the connection is
 * down; Paho reconnects by itself, and every known subscription is made again after a reconnect in
 * case the broker lost the session. In-flight QoS 1/2 messages are kept in memory. Closing ends the
 * session.
 *
 * <p>Thread-safe. Every message that arrives on a subscription goes to {@code onMessage} on Paho's
 * callback thread; the broker gets the acknowledgement after it returned.
 */
final class MqttSession implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MqttSession.class);
  private static final int SUBSCRIBE_QOS = 1;
  private static final long WAIT_MILLIS = 10_000;

  private final MqttAsyncClient client;
  private final String url;
  private final Map<String, Boolean> subscriptions = new ConcurrentHashMap<>();

  private MqttSession(MqttAsyncClient client, String url) {
    this.client = client;
    this.url = url;
  }

  /**
   * Connects to the broker at {@code url} ({@code tcp://host:1883}, {@code ssl://host:8883}).
   *
   * @param username the user name, or {@code null} to connect without one
   * @throws ConnectorException misconfigured for a bad URL, client id or refused credentials,
   *     transient when the broker cannot be reached
   */
  static MqttSession connect(
      String url,
      String clientId,
      String username,
      String password,
      BiConsumer<String, MqttMessage> onMessage) {
    MqttAsyncClient client;
    try {
      client = new MqttAsyncClient(url, clientId, new MemoryPersistence());
    } catch (MqttException | IllegalArgumentException e) {
      throw ConnectorException.misconfigured(
          "connectors.mqtt.url '" + url + "' or client id '" + clientId + "' is not valid: " + e);
    }
    MqttSession session = new MqttSession(client, url);
    client.setCallback(session.callback(onMessage));
    MqttConnectOptions options = new MqttConnectOptions();
    options.setCleanSession(false);
    options.setAutomaticReconnect(true);
    options.setConnectionTimeout(10);
    options.setKeepAliveInterval(30);
    options.setMaxInflight(100);
    if (username != null) {
      options.setUserName(username);
      options.setPassword(password == null ? new char[0] : password.toCharArray());
    }
    try {
      client.connect(options).waitForCompletion(WAIT_MILLIS);
    } catch (MqttException e) {
      closeQuietly(client);
      if (e.getReasonCode() == MqttException.REASON_CODE_FAILED_AUTHENTICATION
          || e.getReasonCode() == MqttException.REASON_CODE_NOT_AUTHORIZED
          || e.getReasonCode() == MqttException.REASON_CODE_INVALID_CLIENT_ID) {
        throw ConnectorException.misconfigured(
            "broker " + url + " refused client '" + clientId + "': " + e.getMessage());
      }
      throw ConnectorException.transientFailure("cannot connect to " + url + ": " + describe(e), e);
    }
    LOG.info("event=mqtt_connected broker={} client={}", url, clientId);
    return session;
  }

  private MqttCallbackExtended callback(BiConsumer<String, MqttMessage> onMessage) {
    return new MqttCallbackExtended() {
      @Override
      public void connectComplete(boolean reconnect, String serverUri) {
        if (reconnect) {
          LOG.info("event=mqtt_reconnected broker={}", serverUri);
          resubscribe();
        }
      }

      @Override
      public void connectionLost(Throwable cause) {
        LOG.warn("event=mqtt_connection_lost broker={} error={}", url, String.valueOf(cause));
      }

      @Override
      public void messageArrived(String topic, MqttMessage message) {
        try {
          onMessage.accept(topic, message);
        } catch (RuntimeException e) {
          // Paho drops the connection when this method throws: log, and let the job's wait lapse.
          LOG.warn("event=mqtt_message_failed topic={} error={}", topic, e.toString());
        }
      }

      @Override
      public void deliveryComplete(IMqttDeliveryToken token) {}
    };
  }

  /** Subscribes to {@code filter} at QoS 1 unless this session already did; waits for the ack. */
  void subscribe(String filter) {
    subscriptions.computeIfAbsent(
        filter,
        f -> {
          try {
            IMqttToken token = client.subscribe(f, SUBSCRIBE_QOS);
            token.waitForCompletion(WAIT_MILLIS);
            int[] granted = token.getGrantedQos();
            if (granted.length > 0 && granted[0] == 0x80) {
              throw ConnectorException.misconfigured(
                  "broker " + url + " refused the subscription to '" + f + "'");
            }
            LOG.info("event=mqtt_subscribed broker={} filter={}", url, f);
            return Boolean.TRUE;
          } catch (MqttException e) {
            throw ConnectorException.transientFailure(
                "cannot subscribe to '" + f + "' on " + url + ": " + describe(e), e);
          }
        });
  }

  /** Publishes one message and waits for the broker's acknowledgement (none for QoS 0). */
  void publish(String topic, byte[] payload, int qos, boolean retain, Duration timeout) {
    try {
      client.publish(topic, payload, qos, retain).waitForCompletion(timeout.toMillis());
    } catch (MqttException e) {
      throw ConnectorException.transientFailure(
          "publish to '" + topic + "' on " + url + " failed: " + describe(e), e);
    }
  }

  /** After a reconnect: the broker may have lost the session, so subscribe again (no waiting). */
  private void resubscribe() {
    for (String filter : subscriptions.keySet()) {
      try {
        client.subscribe(filter, SUBSCRIBE_QOS);
      } catch (MqttException e) {
        LOG.warn("event=mqtt_resubscribe_failed filter={} error={}", filter, describe(e));
      }
    }
  }

  private static String describe(MqttException e) {
    Throwable cause = e.getCause();
    return e.getMessage() + " (" + e.getReasonCode() + ")" + (cause == null ? "" : ": " + cause);
  }

  private static void closeQuietly(MqttAsyncClient client) {
    try {
      if (client.isConnected()) {
        client.disconnect().waitForCompletion(WAIT_MILLIS);
      }
      client.close();
    } catch (MqttException e) {
      LOG.debug("event=mqtt_close_failed error={}", e.toString());
    }
  }

  /**
   * Disconnects and ends the session on the broker. What it would keep (subscriptions, answers
   * queued while the node is down) is of no use to the next start, which no longer knows the
   * waiting jobs; ending it keeps nodes that do not come back (e.g. a {@code cob run}) from leaving
   * sessions behind. After a crash the session stays until a node with the same id connects.
   */
  @Override
  public void close() {
    try {
      if (client.isConnected()) {
        client.disconnect().waitForCompletion(WAIT_MILLIS);
      }
      MqttConnectOptions clean = new MqttConnectOptions();
      clean.setCleanSession(true);
      clean.setConnectionTimeout(5);
      client.connect(clean).waitForCompletion(WAIT_MILLIS);
      client.disconnect().waitForCompletion(WAIT_MILLIS);
      LOG.info("event=mqtt_session_ended broker={}", url);
    } catch (MqttException e) {
      LOG.debug("event=mqtt_session_end_failed broker={} error={}", url, e.toString());
    }
    closeQuietly(client);
  }
}
