package io.cob.connectors.amqp;

import io.cob.connectors.ConnectorException;
import io.cob.connectors.JobConfig;
import io.cob.connectors.MessageBody;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The settings of one {@code amqp} task, read and checked before anything is sent.
 *
 * @param url the broker's URI from the task, or empty for the node's {@code connectors.amqp.url}
 * @param requestReply whether the job waits for a reply ({@code mode = request-reply})
 * @param confirmTimeout how long to wait for the broker's publisher confirm
 */
record AmqpTask(
    Optional<String> url,
    String exchange,
    String routingKey,
    MessageBody body,
    Map<String, Object> headers,
    boolean requestReply,
    Duration replyTimeout,
    String resultVariable,
    boolean persistent,
    boolean mandatory,
    Duration confirmTimeout) {

  static final String FIRE_AND_FORGET = "fire-and-forget";
  static final String REQUEST_REPLY = "request-reply";
  static final Duration DEFAULT_REPLY_TIMEOUT = Duration.ofMinutes(5);
  static final Duration DEFAULT_CONFIRM_TIMEOUT = Duration.ofSeconds(10);
  static final String DEFAULT_RESULT_VARIABLE = "reply";

  static AmqpTask read(JobConfig config) {
    String mode = config.string("mode", FIRE_AND_FORGET).strip();
    if (!mode.equals(FIRE_AND_FORGET) && !mode.equals(REQUEST_REPLY)) {
      throw config.wrongType("mode", "'fire-and-forget' or 'request-reply'", mode);
    }
    Duration replyTimeout = positive(config, "replyTimeout", DEFAULT_REPLY_TIMEOUT);
    Duration confirmTimeout = positive(config, "confirmTimeout", DEFAULT_CONFIRM_TIMEOUT);
    String resultVariable = config.string("resultVariable", DEFAULT_RESULT_VARIABLE).strip();
    if (resultVariable.isEmpty()) {
      throw config.wrongType("resultVariable", "a variable name", "");
    }
    MessageBody body =
        MessageBody.encode(
            config.value("body").orElse(null),
            config.optionalString("contentType"),
            config.context().blobs(),
            "body");
    return new AmqpTask(
        config.optionalString("url").map(String::strip).filter(u -> !u.isEmpty()),
        config.string("exchange", ""),
        config.string("routingKey"),
        body,
        config.map("headers"),
        mode.equals(REQUEST_REPLY),
        replyTimeout,
        resultVariable,
        config.flag("persistent", true),
        config.flag("mandatory", false),
        confirmTimeout);
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
