package io.cob.connectors.amqp;

import io.cob.connectors.AwaitedAnswers;
import io.cob.connectors.JobOutcomes;
import io.cob.connectors.MessageBody;
import io.cob.engine.port.BlobStore;
import io.cob.engine.port.Store;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies replies from the reply queue to the jobs that wait for them.
 *
 * <p>The reply's {@code correlation_id} is the job key. Its body becomes the variable named by the
 * task's {@code resultVariable}: JSON is parsed, text stays text, other content becomes a blob
 * reference. A reply with the AMQP header {@code error-code} is a BPMN error with that code instead
 * (message from the header {@code error-message}, else a default; the body still goes into the
 * result variable, so a boundary event's output mapping can read it).
 *
 * <p>Replies are delivered at least once; the engine applies the first outcome for a job and
 * refuses any later one, which is logged and acknowledged. After a restart of the node, the result
 * variable of a job it waited for before is taken from the task's literal {@code resultVariable}
 * header, else {@code reply}.
 */
final class AmqpReplies {
  private static final Logger LOG = LoggerFactory.getLogger(AmqpReplies.class);

  /** The reply header that makes the reply a BPMN error with this code. */
  static final String ERROR_CODE_HEADER = "error-code";

  /** The reply header with the error's message, next to {@link #ERROR_CODE_HEADER}. */
  static final String ERROR_MESSAGE_HEADER = "error-message";

  private final AwaitedAnswers<String, String> awaited;
  private final JobOutcomes outcomes;
  private final BlobStore blobs;
  private final Store store;

  /**
   * @param awaited the result variable of every job waiting for a reply, by job key
   * @param store where to find a job this node no longer remembers; may be {@code null}
   */
  AmqpReplies(
      AwaitedAnswers<String, String> awaited, JobOutcomes outcomes, BlobStore blobs, Store store) {
    this.awaited = awaited;
    this.outcomes = outcomes;
    this.blobs = blobs;
    this.store = store;
  }

  void apply(ReplyConsumer.Reply reply) {
    String jobKey = reply.properties().getCorrelationId();
    if (jobKey == null || jobKey.lastIndexOf(':') <= 0) {
      LOG.warn(
          "event=amqp_reply_uncorrelated correlation={} message={} reason={}",
          jobKey,
          reply.properties().getMessageId(),
          "correlation_id is not a job key; acknowledged and dropped");
      return;
    }
    Map<String, Object> variables = new HashMap<>();
    variables.put(
        resultVariable(jobKey),
        MessageBody.decode(reply.body(), reply.properties().getContentType(), blobs));
    String errorCode = header(reply, ERROR_CODE_HEADER);
    boolean applied;
    if (errorCode == null) {
      applied = outcomes.complete(jobKey, variables);
    } else {
      String message = header(reply, ERROR_MESSAGE_HEADER);
      applied =
          outcomes.throwError(
              jobKey,
              errorCode,
              message != null ? message : "the amqp reply carries error-code " + errorCode,
              variables);
    }
    LOG.info(
        "event={} job={} outcome={} redelivered={}",
        applied ? "amqp_reply_applied" : "amqp_reply_refused",
        jobKey,
        errorCode == null ? "complete" : "error " + errorCode,
        reply.redelivered());
  }

  private String resultVariable(String jobKey) {
    return awaited.find(jobKey).orElseGet(() -> remembered(jobKey));
  }

  /** The variable for a job sent before this node restarted, from its task's literal header. */
  private String remembered(String jobKey) {
    if (store != null) {
      try {
        String header =
            store.job(jobKey).map(row -> row.headers().get("resultVariable")).orElse(null);
        if (header != null && !header.isBlank() && !header.startsWith("=")) {
          return header.strip();
        }
      } catch (RuntimeException e) {
        LOG.debug("event=amqp_reply_job_lookup_failed job={} error={}", jobKey, e.toString());
      }
    }
    return AmqpTask.DEFAULT_RESULT_VARIABLE;
  }

  private static String header(ReplyConsumer.Reply reply, String name) {
    Map<String, Object> headers = reply.properties().getHeaders();
    Object v = headers == null ? null : headers.get(name);
    // String headers arrive as the client's LongString; its toString() is the UTF-8 text.
    return v == null ? null : v.toString();
  }
}
