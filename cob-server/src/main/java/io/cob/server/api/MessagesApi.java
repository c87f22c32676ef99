package io.cob.server.api;

import io.cob.engine.Engine;
import io.cob.engine.runtime.PublishResult;
import io.cob.server.http.Call;
import io.cob.server.http.Reply;
import io.cob.server.http.Router;
import io.cob.server.metrics.NodeMetrics;
import io.cob.server.problem.ProblemException;
import io.cob.server.tracing.CommandSpans;
import io.cob.server.tracing.NodeTracing;
import io.opentelemetry.api.common.AttributeKey;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /messages}: publishes a message. By {@code correlationKey} (or by name alone when
 * none is given) it goes to every instance with an open subscription, starts processes with a
 * matching message start event, and otherwise is buffered for {@code timeToLive}; by {@code
 * instanceId} it goes to that instance's subscription of that name only and is never buffered. 200
 * with what happened; an unknown {@code instanceId} is 404; a node that is fenced (its cloud's
 * ownership lease unconfirmed, or the cloud taken over) refuses it with 409, as it refuses
 * commands. A publication is the span {@code cob.message.publish}, whose trace the instances it
 * starts belong to.
 */
public final class MessagesApi {
  /** The longest a message may be buffered. */
  public static final Duration MAX_TTL = Duration.ofDays(365);

  private static final AttributeKey<String> MESSAGE = AttributeKey.stringKey("cob.message.name");

  private final Engine engine;
  private final NodeMetrics metrics;
  private final CommandSpans spans;

  public MessagesApi(Engine engine, NodeMetrics metrics, NodeTracing tracing) {
    this.engine = engine;
    this.metrics = metrics;
    this.spans = new CommandSpans(tracing);
  }

  public void register(Router r) {
    r.post("/api/v1/messages", this::publish);
  }

  public record PublishRequest(
      String name,
      String correlationKey,
      String instanceId,
      Map<String, Object> variables,
      Duration timeToLive) {}

  /**
   * {@code started} and {@code messageId} extend the contract's {@code correlated} and {@code
   * buffered}.
   */
  public record Published(
      String messageId, List<String> correlated, boolean buffered, List<String> started) {}

  Reply publish(Call call) throws Exception {
    call.allowQuery();
    PublishRequest req = call.json(PublishRequest.class, true);
    String name = Fields.text(req.name(), "name");
    if (req.instanceId() != null && req.correlationKey() != null) {
      throw ProblemException.invalid(
          "instanceId",
          "give either 'correlationKey' or 'instanceId', not both: a message for one instance is correlated by name");
    }
    if (req.instanceId() != null && req.timeToLive() != null && !req.timeToLive().isZero()) {
      throw ProblemException.invalid(
          "timeToLive",
          "a message for one instance ('instanceId') is never buffered;"
              + " leave out 'timeToLive'");
    }
    Duration ttl =
        req.timeToLive() == null
            ? Duration.ZERO
            : Fields.duration(req.timeToLive(), "timeToLive", Duration.ZERO, MAX_TTL);
    if (req.instanceId() != null && engine.instance(req.instanceId()).isEmpty()) {
      throw ProblemException.notFound("instance " + req.instanceId() + " does not exist");
    }
    PublishResult r =
        spans.run(
            "cob.message.publish",
            "POST",
            "/api/v1/messages",
            call.header("traceparent"),
            span -> {
              span.setAttribute(MESSAGE, name);
              return metrics.time(
                  "publishMessage",
                  () ->
                      engine.publishMessage(
                          name, req.correlationKey(), req.variables(), ttl, req.instanceId()));
            });
    return Reply.ok(new Published(r.messageId(), r.correlated(), r.buffered(), r.started()));
  }
}
