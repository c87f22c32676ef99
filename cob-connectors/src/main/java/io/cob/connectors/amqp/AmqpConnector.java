package io.cob.connectors.amqp;

import com.rabbitmq.client.AMQP;
import io.cob.connectors.AwaitedAnswers;
import io.cob.connectors.Connector;
import io.cob.connectors.ConnectorContext;
import io.cob.connectors.ConnectorException;
import io.cob.connectors.JobConfig;
import io.cob.connectors.TraceParent;
import io.cob.engine.port.ActivatedJob;
import io.cob.engine.port.JobResult;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code amqp} job type: publishes a message to a RabbitMQ exchange with publisher confirms and
 * either completes at once ({@code mode = fire-and-forget}) or waits for the reply ({@code mode =
 * request-reply}).
 *
 * <p><b>Settings</b> (task header or variable, see {@link JobConfig}): {@code url} (default the
 * node's {@code connectors.amqp.url}), {@code exchange} (default {@code ""}, the default exchange),
 * {@code routingKey} (required), {@code body}, {@code contentType}, {@code headers}, {@code mode},
 * {@code replyTimeout} (default PT5M), {@code resultVariable} (default {@code reply}), {@code
 * persistent} (default true), {@code mandatory} (default false), {@code confirmTimeout} (default
 * PT10S). Node settings: {@code connectors.amqp.url}, {@code connectors.amqp.replyQueue} (default
 * {@code cob.replies.<nodeId>}), {@code connectors.amqp.replyQueueExpiry} (default P1D: the broker
 * removes a reply queue no one consumed for that long), {@code connectors.amqp.recoveryInterval}
 * (default PT5S, the wait between reconnection attempts).
 *
 * <p><b>Idempotency.</b> Every message carries {@code message_id} = the job's idempotency key,
 * which stays the same when the job runs again (after a failure, a crash, or a reply that did not
 * come in time), so consumers de-duplicate by it. Every message also carries the W3C {@code
 * traceparent} header.
 *
 * <p><b>Request/reply.</b> The request carries {@code correlation_id} = the job key and {@code
 * reply_to} = this node's durable reply queue on the same broker; the job then waits ({@link
 * JobResult.Await}) and the responder's reply completes it (see {@link AmqpReplies} for the {@code
 * error-code} convention). A reply arriving twice is applied once. The reply queue is declared and
 * consumed from the first request-reply task on a broker on.
 *
 * <p>Thread-safe: one connection per broker URL, shared, with automatic recovery.
 */
public final class AmqpConnector implements Connector {
  private static final Logger LOG = LoggerFactory.getLogger(AmqpConnector.class);
  public static final String TYPE = "amqp";

  private final ConnectorContext context;
  private final String defaultUrl;
  private final String replyQueue;
  private final Duration recoveryInterval;
  private final Duration replyQueueExpiry;
  private final AwaitedAnswers<String, String> awaited;
  private final AmqpReplies replies;
  private final Map<String, AmqpBroker> brokers = new ConcurrentHashMap<>();
  private volatile boolean closed;

  public AmqpConnector(ConnectorContext context) {
    this.context = context;
    Map<String, Object> settings = context.settings(TYPE);
    this.defaultUrl = nodeSetting(settings, "url");
    String queue = nodeSetting(settings, "replyQueue");
    this.replyQueue = queue != null ? queue : "cob.replies." + context.nodeId();
    this.recoveryInterval = nodeDuration(settings, "recoveryInterval", Duration.ofSeconds(5));
    this.replyQueueExpiry = nodeDuration(settings, "replyQueueExpiry", Duration.ofDays(1));
    this.awaited = new AwaitedAnswers<>(context.clock());
    this.replies = new AmqpReplies(awaited, context.outcomes(), context.blobs(), context.store());
  }

  @Override
  public String type() {
    return TYPE;
  }

  /** The queue this node's replies come to. */
  public String replyQueue() {
    return replyQueue;
  }

  @Override
  public JobResult execute(ActivatedJob job, JobConfig config) {
    AmqpTask task = AmqpTask.read(config);
    String url =
        task.url()
            .or(() -> java.util.Optional.ofNullable(defaultUrl))
            .orElseThrow(
                () ->
                    ConnectorException.misconfigured(
                        "setting 'url' is missing and the node has no connectors.amqp.url"));
    AmqpBroker broker = broker(url);
    AMQP.BasicProperties.Builder props = properties(job, task);
    if (task.requestReply()) {
      if (context.outcomes() == null) {
        throw ConnectorException.misconfigured(
            "mode 'request-reply' needs the node's job outcomes, which this node lacks");
      }
      broker.consumeReplies(replyQueue, replyQueueExpiry, replies::apply);
      // Registered before the publish: the reply may come before this method returns.
      awaited.expect(job.key(), task.resultVariable(), task.replyTimeout(), (a, b) -> true);
      props.correlationId(job.key()).replyTo(replyQueue);
    }
    try {
      broker.publish(
          task.exchange(),
          task.routingKey(),
          task.mandatory(),
          props.build(),
          task.body().bytes(),
          task.confirmTimeout());
    } catch (ConnectorException e) {
      awaited.forget(job.key());
      throw e;
    }
    LOG.info(
        "event=amqp_published instance={} element={} broker={} exchange={} routingKey={} mode={}",
        job.instanceId(),
        job.elementId(),
        broker.address(),
        task.exchange(),
        task.routingKey(),
        task.requestReply() ? AmqpTask.REQUEST_REPLY : AmqpTask.FIRE_AND_FORGET);
    return task.requestReply() ? new JobResult.Await(task.replyTimeout()) : JobResult.complete();
  }

  private AMQP.BasicProperties.Builder properties(ActivatedJob job, AmqpTask task) {
    Map<String, Object> headers = new LinkedHashMap<>();
    task.headers().forEach((k, v) -> headers.put(k, headerValue(v)));
    headers.put("traceparent", TraceParent.forJob(job));
    return new AMQP.BasicProperties.Builder()
        .messageId(job.idempotencyKey())
        .contentType(task.body().contentType())
        .deliveryMode(task.persistent() ? 2 : 1)
        .timestamp(new Date(context.clock().millis()))
        .appId("cob")
        .headers(headers);
  }

  /** A value the AMQP field-table encoder takes: decimals as doubles, nested maps and lists. */
  private static Object headerValue(Object v) {
    return switch (v) {
      case BigDecimal d when d.scale() <= 0 && d.toBigInteger().bitLength() < 64 ->
          d.longValueExact();
      case BigDecimal d -> d.doubleValue();
      case Map<?, ?> m -> {
        Map<String, Object> out = new LinkedHashMap<>();
        m.forEach((k, x) -> out.put(String.valueOf(k), headerValue(x)));
        yield out;
      }
      case List<?> l -> {
        List<Object> out = new ArrayList<>();
        l.forEach(x -> out.add(headerValue(x)));
        yield out;
      }
      case null -> null;
      default -> v;
    };
  }

  private AmqpBroker broker(String url) {
    if (closed) {
      throw ConnectorException.transientFailure("the amqp connector is closed", null);
    }
    return brokers.computeIfAbsent(
        url, u -> AmqpBroker.connect(u, "cob-" + context.nodeId(), recoveryInterval));
  }

  private Duration nodeDuration(Map<String, Object> settings, String name, Duration otherwise) {
    String setting = nodeSetting(settings, name);
    if (setting == null) {
      return otherwise;
    }
    try {
      Duration d = Duration.parse(setting);
      if (!d.isNegative() && !d.isZero()) {
        return d;
      }
    } catch (DateTimeParseException e) {
      // reported below
    }
    throw new IllegalArgumentException(
        "connectors.amqp."
            + name
            + " must be a positive ISO-8601 duration such as PT5S, not '"
            + setting
            + "'");
  }

  private String nodeSetting(Map<String, Object> settings, String name) {
    Object v = settings.get(name);
    if (v == null || v.toString().isBlank()) {
      return null;
    }
    return context.secrets().resolve(v.toString().strip(), "connectors.amqp." + name);
  }

  /** Closes every broker connection with its channels and reply consumer. */
  @Override
  public void close() {
    closed = true;
    brokers.values().forEach(AmqpBroker::close);
    brokers.clear();
  }
}
