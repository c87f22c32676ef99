package io.cob.server.api;

import io.cob.connectors.http.CallbackTokens;
import io.cob.connectors.http.CallbackTokens.Verification;
import io.cob.engine.Engine;
import io.cob.engine.port.Store;
import io.cob.engine.runtime.CommandRejectedException;
import io.cob.server.http.Call;
import io.cob.server.http.Reply;
import io.cob.server.http.Router;
import io.cob.server.metrics.NodeMetrics;
import io.cob.server.problem.ProblemException;
import io.cob.server.xcloud.RoutingJobOutcomes;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Callbacks of asynchronous http tasks ({@code callback=true}): {@code POST
 * /api/v1/callbacks/{token}}, the URL the task sent to the service.
 *
 * <p>The body is any JSON value (or empty). It completes the waiting job with one variable, {@code
 * callbackResult}, holding the body, which the task's output mapping picks from; the service cannot
 * set other process variables. A JSON object with a text {@code errorCode} instead throws that BPMN
 * error at the task (catchable by a boundary error event), with {@code errorMessage} as its message
 * and {@code callbackResult} = the body as its variables.
 *
 * <p>Answers: 204 when applied; 404 {@code not-found} for a token this installation did not issue
 * (garbage, altered, another key); 410 {@code gone} when the token expired ({@code
 * callbackTimeout}) or was used already (the job is no longer open: completed by an earlier
 * callback, or its task ended otherwise); 400 for a body that is not JSON. The token is the only
 * credential: it is unguessable, signed, expiring and good for one outcome.
 */
public final class CallbacksApi {
  private static final Logger LOG = LoggerFactory.getLogger(CallbacksApi.class);

  /** The variable the callback's body becomes. */
  public static final String RESULT_VARIABLE = "callbackResult";

  private final Engine engine;
  private final Store store;
  private final NodeMetrics metrics;
  private final CallbackTokens tokens;
  private final RoutingJobOutcomes outcomes;

  /**
   * @param callbackKey the store's callback key, the one the http connector signs tokens with
   * @param outcomes where answers for jobs this node runs for other clouds go (back to them), or
   *     {@code null} on a node without a bus
   */
  public CallbacksApi(
      Engine engine, NodeMetrics metrics, byte[] callbackKey, RoutingJobOutcomes outcomes) {
    this.engine = engine;
    this.store = engine.store();
    this.metrics = metrics;
    this.tokens = new CallbackTokens(callbackKey, engine.clock());
    this.outcomes = outcomes;
  }

  public void register(Router r) {
    r.post("/api/v1/callbacks/{token}", this::callback);
  }

  Reply callback(Call call) throws Exception {
    call.allowQuery();
    String jobKey =
        switch (tokens.verify(call.param("token"))) {
          case Verification.Valid v -> v.jobKey();
          case Verification.Expired e ->
              throw ProblemException.gone(
                  "callback expired at "
                      + e.expiredAt()
                      + " (the task's callbackTimeout); the task sends its request again with a"
                      + " new callback URL");
          case Verification.Unknown u ->
              throw ProblemException.notFound(
                  "unknown callback: the token in this URL was not issued here or was altered");
        };
    Object body = call.json(Object.class, false);
    Map<String, Object> variables = new LinkedHashMap<>();
    variables.put(RESULT_VARIABLE, body);
    if (outcomes != null && outcomes.isRemote(jobKey)) {
      // A job this node runs for another cloud: the answer goes back there over the bus.
      boolean taken =
          body instanceof Map<?, ?> m && m.get("errorCode") instanceof String code
              ? outcomes.throwError(jobKey, code, errorMessage(m), variables)
              : outcomes.complete(jobKey, variables);
      if (!taken) {
        throw used(jobKey);
      }
      LOG.info("event=callback_forwarded job={}", jobKey);
      return Reply.noContent();
    }
    if (store.job(jobKey).isEmpty()) {
      throw used(jobKey);
    }
    try {
      if (body instanceof Map<?, ?> m && m.get("errorCode") instanceof String code) {
        String message = errorMessage(m);
        metrics.run("throwError", () -> engine.throwError(jobKey, code, message, variables));
      } else {
        metrics.run("completeJob", () -> engine.completeJob(jobKey, variables));
      }
    } catch (CommandRejectedException e) {
      // A concurrent callback with the same token won the race.
      throw used(jobKey);
    }
    LOG.info(
        "event=callback_applied job={} error={}",
        jobKey,
        body instanceof Map<?, ?> m && m.get("errorCode") != null);
    return Reply.noContent();
  }

  private static String errorMessage(Map<?, ?> body) {
    return body.get("errorMessage") instanceof String s ? s : "reported by callback";
  }

  private static ProblemException used(String jobKey) {
    return ProblemException.gone(
        "callback already used: the task of job "
            + jobKey
            + " is no longer waiting (answered before, or ended otherwise)");
  }
}
