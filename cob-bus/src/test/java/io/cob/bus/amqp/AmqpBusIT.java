package io.cob.bus.amqp;

import static io.cob.bus.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.cob.bus.BusContract;
import io.cob.bus.RecordingHandler;
import io.cob.bus.TestEnvelopes;
import io.cob.engine.port.bus.Bus;
import io.cob.engine.port.bus.BusException;
import io.cob.engine.port.bus.Envelope;
import io.cob.engine.port.bus.Subscription;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The bus contract on RabbitMQ with quorum queues, plus what only a real broker does: connection
 * loss and recovery, queues that exist with other arguments, messages that are no envelopes.
 */
class AmqpBusIT extends BusContract {
  private static final String NAMESPACE = RabbitMq.uniqueNamespace();

  @BeforeAll
  static void broker() {
    RabbitMq.requireAvailable();
  }

  protected AmqpSettings settings() {
    return AmqpSettings.DEFAULTS
        .withNamespace(NAMESPACE)
        .withRecoveryInterval(Duration.ofMillis(200));
  }

  @Override
  protected Bus newBus() {
    return AmqpBus.connect(RabbitMq.address(), settings());
  }

  @Override
  protected int maxDeliveries() {
    return settings().maxDeliveries();
  }

  @Override
  protected void cleanUp(Bus bus) {
    ((AmqpBus) bus).deleteDeclared();
  }

  @Test
  void shouldDeleteTheNoticeQueuesOfEveryPairOfDeclaredClouds() {
    AmqpSettings own = settings().withNamespace(RabbitMq.uniqueNamespace());
    java.util.List<String> clouds = java.util.List.of("p", "q", "r");
    try (AmqpBus node = AmqpBus.connect(RabbitMq.address(), own)) {
      clouds.forEach(node::declareCloud);
      for (String cloud : clouds) {
        for (String taker : clouds) {
          node.postTakeoverNotice(cloud + "~" + taker, "taken".getBytes(StandardCharsets.UTF_8));
        }
      }
      node.deleteDeclared();
    }

    // A notice left behind is still there for a later bus of the namespace to read.
    try (AmqpBus later = AmqpBus.connect(RabbitMq.address(), own)) {
      clouds.forEach(later::declareCloud);
      for (String cloud : clouds) {
        for (String taker : clouds) {
          assertThat(later.takeoverNotice(cloud + "~" + taker)).as(cloud + "~" + taker).isEmpty();
        }
      }
      later.deleteDeclared();
    }
  }

  @Test
  void shouldRideOutAConnectionCutWithoutLosingAConfirmedEnvelope() throws Exception {
    AmqpAddress direct = RabbitMq.address();
    try (TcpProxy proxy = TcpProxy.to(direct.host(), direct.port())) {
      AmqpAddress viaProxy =
          new AmqpAddress(
              false,
              "127.0.0.1",
              proxy.port(),
              direct.user(),
              direct.password(),
              direct.vhost(),
              Map.of());
      AmqpBus node = AmqpBus.connect(viaProxy, settings());
      try {
        RecordingHandler received = new RecordingHandler();
        node.subscribe(cloud("a"), received);
        Set<String> confirmed = ConcurrentHashMap.newKeySet();
        publishSome(node, 20, confirmed);
        await("the first envelopes arrive", () -> received.distinctIds().containsAll(confirmed));

        proxy.cut();
        AtomicInteger refused = new AtomicInteger();
        await(
            "a publish during the outage fails",
            () -> !tryPublish(node, TestEnvelopes.to(cloud("b"), cloud("a")), confirmed, refused));
        publishSome(bus, 10, confirmed); // another node, still connected, keeps sending to a
        for (int i = 0; i < 5; i++) {
          tryPublish(node, TestEnvelopes.to(cloud("b"), cloud("a")), confirmed, refused);
        }
        proxy.restore();

        // The outbox way: the same envelope again until the broker confirms it.
        Envelope retried = TestEnvelopes.to(cloud("b"), cloud("a"));
        await(
            "a publish succeeds after recovery",
            () -> tryPublish(node, retried, confirmed, refused));
        publishSome(node, 20, confirmed);

        await(
            "every confirmed envelope arrives",
            () -> received.distinctIds().containsAll(confirmed));
        assertThat(refused.get()).isGreaterThanOrEqualTo(1);
        assertThat(confirmed).hasSizeGreaterThanOrEqualTo(51);
      } finally {
        node.close();
      }
    }
  }

  @Test
  void shouldNotReviveASubscriptionClosedDuringAnOutage() throws Exception {
    AmqpAddress direct = RabbitMq.address();
    try (TcpProxy proxy = TcpProxy.to(direct.host(), direct.port())) {
      AmqpBus node = AmqpBus.connect(viaProxy(proxy), settings());
      try {
        RecordingHandler closedOne = new RecordingHandler();
        var subscription = node.subscribe(cloud("a"), closedOne);
        proxy.cut();
        AtomicInteger refused = new AtomicInteger();
        Set<String> probe = ConcurrentHashMap.newKeySet();
        await(
            "the node notices the outage",
            () -> !tryPublish(node, TestEnvelopes.to(cloud("a"), cloud("x")), probe, refused));
        subscription.close();
        proxy.restore();
        await(
            "the node is back",
            () -> tryPublish(node, TestEnvelopes.to(cloud("a"), cloud("x")), probe, refused));

        RecordingHandler open = new RecordingHandler();
        bus.subscribe(cloud("a"), open);
        Set<String> sent = ConcurrentHashMap.newKeySet();
        publishSome(bus, 50, sent);

        await(
            "every envelope reaches the open subscription",
            () -> open.distinctIds().containsAll(sent));
        assertThat(closedOne.count()).isZero();
      } finally {
        node.deleteDeclared(); // the probe cloud x
        node.close();
      }
    }
  }

  @Test
  void shouldDropThePresenceOfANodeCutOffAndNotRestoreItBehindItsBack() throws Exception {
    AmqpAddress direct = RabbitMq.address();
    try (TcpProxy proxy = TcpProxy.to(direct.host(), direct.port())) {
      AmqpBus node = AmqpBus.connect(viaProxy(proxy), settings());
      try {
        node.holdPresence(cloud("p"));
        assertThat(bus.presence(cloud("p"))).isTrue();

        proxy.cut();
        await("the broker drops the cut-off node's presence", () -> !bus.presence(cloud("p")));
        assertThatThrownBy(() -> node.presence(cloud("p")))
            .as("the cut-off node cannot confirm anything")
            .isInstanceOf(BusException.class);
        proxy.restore();

        await(
            "the node reaches the broker again",
            () -> {
              try {
                return !node.presence(cloud("p"));
              } catch (BusException e) {
                return false;
              }
            });
        assertThat(bus.presence(cloud("p"))).as("not claimed again by the client").isFalse();
        node.holdPresence(cloud("p"));
        assertThat(bus.presence(cloud("p"))).isTrue();
      } finally {
        node.close();
      }
    }
  }

  /**
   * A node whose network goes silent (nothing through, nothing closed) learns it by the AMQP
   * heartbeat, which kills the connection under whatever call waits on it, even the close of its
   * presence hold: that close returns, and asking for a presence fails with a {@link BusException},
   * the one failure the node's ownership guard expects.
   */
  @Test
  void shouldReleaseThePresenceOfANodeGoneSilentWithoutThrowingWhatTheClientThrows()
      throws Exception {
    AmqpAddress direct = RabbitMq.address();
    try (TcpProxy proxy = TcpProxy.to(direct.host(), direct.port())) {
      AmqpSettings heartbeat =
          AmqpSettings.parse(
              Map.of(
                  "namespace",
                  settings().namespace(),
                  "heartbeat",
                  "PT1S",
                  "connectTimeout",
                  "PT2S"));
      AmqpBus node = AmqpBus.connect(viaProxy(proxy), heartbeat);
      try {
        Subscription hold = node.holdPresence(cloud("p"));
        assertThat(bus.presence(cloud("p"))).isTrue();

        proxy.silence();
        hold.close(); // waits for the broker's answer until the heartbeat gives the connection up
        assertThatThrownBy(() -> node.presence(cloud("p")))
            .as("the silent node cannot confirm anything")
            .isInstanceOf(BusException.class);
        await("the broker drops the silent node's presence", () -> !bus.presence(cloud("p")));
      } finally {
        proxy.restore();
        node.close();
      }
    }
  }

  private static AmqpAddress viaProxy(TcpProxy proxy) {
    AmqpAddress direct = RabbitMq.address();
    return new AmqpAddress(
        false,
        "127.0.0.1",
        proxy.port(),
        direct.user(),
        direct.password(),
        direct.vhost(),
        Map.of());
  }

  @Test
  void shouldNameAQueueThatExistsWithOtherArguments() throws Exception {
    String queue = NAMESPACE + "cob.cloud." + cloud("odd");
    try (Connection raw = rawConnection();
        Channel ch = raw.createChannel()) {
      ch.queueDeclare(queue, true, false, false, Map.of()); // classic, where quorum is asked for
      try {
        assertThatThrownBy(() -> bus.declareCloud(cloud("odd")))
            .isInstanceOf(BusException.class)
            .hasMessageContaining("cannot declare the queues of cloud " + cloud("odd"))
            .hasMessageContaining("PRECONDITION_FAILED");
        // the bus still works afterwards
        RecordingHandler a = new RecordingHandler();
        bus.subscribe(cloud("a"), a);
        Envelope e = TestEnvelopes.to(cloud("b"), cloud("a"));
        bus.publish(e);
        await("the bus still delivers", () -> a.got(e.messageId()));
      } finally {
        ch.queueDelete(queue);
        ch.queueDelete(queue + ".dlq"); // declared before the queue failed
      }
    }
  }

  @Test
  void shouldDeadLetterAMessageThatIsNoEnvelope() throws Exception {
    RecordingHandler a = new RecordingHandler();
    bus.subscribe(cloud("a"), a);
    String queue = NAMESPACE + "cob.cloud." + cloud("a");
    try (Connection raw = rawConnection();
        Channel ch = raw.createChannel()) {
      ch.basicPublish(
          "",
          queue,
          new AMQP.BasicProperties.Builder().messageId("junk").build(),
          "hello".getBytes(StandardCharsets.UTF_8));
      await("it lands in the dead-letter queue", () -> messageCount(ch, queue + ".dlq") == 1);
    }
    assertThat(a.count()).isZero();
  }

  @Test
  void shouldSayWhyItCannotConnect() {
    AmqpAddress nowhere = new AmqpAddress(false, "127.0.0.1", 1, "guest", "secret", "/", Map.of());

    assertThatThrownBy(() -> AmqpBus.connect(nowhere, settings()))
        .isInstanceOf(BusException.class)
        .hasMessageStartingWith("cannot connect to RabbitMQ at amqp://guest:***@127.0.0.1:1/: ")
        .hasMessageNotContaining("secret");
  }

  @Test
  void shouldSayWhenTheLoginIsRefused() {
    AmqpAddress direct = RabbitMq.address();
    AmqpAddress wrong =
        new AmqpAddress(
            false, direct.host(), direct.port(), "guest", "wrong-password", "/", Map.of());

    assertThatThrownBy(() -> AmqpBus.connect(wrong, settings()))
        .isInstanceOf(BusException.class)
        .hasMessageContaining("cannot connect to RabbitMQ at amqp://guest:***@")
        .hasMessageContaining("ACCESS_REFUSED");
  }

  private void publishSome(Bus via, int n, Set<String> confirmed) {
    for (int i = 0; i < n; i++) {
      Envelope e = TestEnvelopes.to(cloud("b"), cloud("a"));
      via.publish(e);
      confirmed.add(e.messageId());
    }
  }

  /** Publishes; true and remembered when confirmed, false when the bus said no. */
  private static boolean tryPublish(
      Bus via, Envelope e, Set<String> confirmed, AtomicInteger refused) {
    try {
      via.publish(e);
      confirmed.add(e.messageId());
      return true;
    } catch (BusException expected) {
      refused.incrementAndGet();
      return false;
    }
  }

  private static Connection rawConnection() throws Exception {
    AmqpAddress a = RabbitMq.address();
    ConnectionFactory f = new ConnectionFactory();
    f.setHost(a.host());
    f.setPort(a.port());
    f.setUsername(a.user());
    f.setPassword(a.password());
    f.setVirtualHost(a.vhost());
    return f.newConnection("cob-bus-it-raw");
  }

  private static long messageCount(Channel ch, String queue) {
    try {
      return ch.messageCount(queue);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
