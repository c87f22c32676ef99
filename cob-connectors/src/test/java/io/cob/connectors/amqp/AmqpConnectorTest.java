package io.cob.connectors.amqp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cob.connectors.ConnectorContext;
import io.cob.connectors.ConnectorException;
import io.cob.connectors.Connectors;
import io.cob.connectors.JobConfig;
import io.cob.connectors.TestContexts;
import io.cob.engine.port.ActivatedJob;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the amqp connector says about bad settings and an unreachable broker; no broker needed. */
class AmqpConnectorTest {

  private static ConnectorException run(Map<String, Object> nodeSettings, Map<String, String> h) {
    ConnectorContext ctx = TestContexts.context("n1", Map.of(), null, Map.of("amqp", nodeSettings));
    ActivatedJob job = TestContexts.job("amqp", h, Map.of());
    try (AmqpConnector c = new AmqpConnector(ctx)) {
      c.execute(job, new JobConfig(job, ctx));
    } catch (ConnectorException e) {
      return e;
    }
    throw new AssertionError("no ConnectorException");
  }

  @Test
  void shouldNameTheMissingRoutingKey() {
    assertThat(run(Map.of(), Map.of("exchange", "orders")).getMessage())
        .contains("setting 'routingKey' is missing");
  }

  @Test
  void shouldNameAnUnknownModeAndABadReplyTimeout() {
    assertThat(run(Map.of(), Map.of("routingKey", "k", "mode", "rpc")).getMessage())
        .contains("setting 'mode' must be 'fire-and-forget' or 'request-reply', not String rpc");
    assertThat(run(Map.of(), Map.of("routingKey", "k", "replyTimeout", "PT0S")).getMessage())
        .contains("setting 'replyTimeout' must be a positive duration");
  }

  @Test
  void shouldSayWhereTheUrlIsMissing() {
    ConnectorException e = run(Map.of(), Map.of("routingKey", "k"));
    assertThat(e.getMessage()).contains("setting 'url' is missing").contains("connectors.amqp.url");
    assertThat(e.retryable()).isFalse();
  }

  @Test
  void shouldRefuseAUrlThatIsNotAmqpWithoutShowingThePassword() {
    ConnectorException e =
        run(Map.of(), Map.of("routingKey", "k", "url", "http://bob:hunter2@127.0.0.1:5672"));
    assertThat(e.getMessage()).contains("is not an AMQP URI").doesNotContain("hunter2");
    assertThat(e.retryable()).isFalse();
  }

  @Test
  void shouldTreatAnUnreachableBrokerAsTransient() {
    ConnectorException e =
        run(Map.of("url", "amqp://bob:hunter2@127.0.0.1:1"), Map.of("routingKey", "k"));
    assertThat(e.getMessage())
        .contains("cannot connect to amqp://127.0.0.1:1")
        .doesNotContain("hunter2");
    assertThat(e.retryable()).isTrue();
  }

  @Test
  void shouldBeInTheStandardConnectorsWithoutConnectingWhenTheNodeStarts() {
    ConnectorContext ctx =
        TestContexts.context(
            "n1",
            Map.of(),
            null,
            Map.of(
                "amqp", Map.of("url", "amqp://127.0.0.1:1"),
                "mqtt", Map.of("url", "tcp://127.0.0.1:1")));
    try (Connectors all = Connectors.standard(ctx)) {
      assertThat(all.byType()).containsKeys("amqp", "mqtt");
    }
  }

  @Test
  void shouldRefuseABadRecoveryIntervalWhenTheNodeStarts() {
    ConnectorContext ctx =
        TestContexts.context(
            "n1", Map.of(), null, Map.of("amqp", Map.of("recoveryInterval", "soon")));
    assertThatThrownBy(() -> new AmqpConnector(ctx))
        .hasMessageContaining("connectors.amqp.recoveryInterval must be a positive ISO-8601");
  }
}
