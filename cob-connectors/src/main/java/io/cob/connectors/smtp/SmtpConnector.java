package io.cob.connectors.smtp;

import io.cob.connectors.Connector;
import io.cob.connectors.ConnectorContext;
import io.cob.connectors.ConnectorException;
import io.cob.connectors.JobConfig;
import io.cob.connectors.TraceParent;
import io.cob.engine.port.ActivatedJob;
import io.cob.engine.port.JobResult;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Job type {@code smtp}: sends one mail (text and/or HTML, attachments from the blob store) through
 * an SMTP server, with Jakarta Mail (Angus Mail).
 *
 * <p><b>Settings.</b> The server ({@code host}, {@code port}, {@code username}, {@code password},
 * {@code tls}, {@code from}, {@code timeout}) comes from {@code connectors.smtp.*} in {@code
 * cob.yaml}, each overridable by the task (see {@link SmtpServer}); the mail ({@code to}, {@code
 * cc}, {@code bcc}, {@code from}, {@code replyTo}, {@code subject}, {@code text}, {@code html},
 * {@code attachments}, {@code headers}) from the task (see {@link Mail}).
 *
 * <p><b>Attachments</b> are blob references; their content is streamed from the blob store while
 * the message is written, never copied into variables or held whole, and its SHA-256 is checked on
 * the way: a damaged blob aborts the send before the message is complete.
 *
 * <p><b>Idempotency.</b> SMTP has no idempotent submit, so a job run again after a crash may send
 * the mail again; the Message-ID is derived from the job's idempotency key ({@code <KEY@cob>}), so
 * every copy is recognisably the same mail (and many servers and clients drop the duplicate). Every
 * mail carries the job's {@code traceparent} header.
 *
 * <p><b>Outcomes.</b> Completes with {@code {messageId, acceptedRecipients}} under {@code
 * resultVariable} (default {@code mail}). A bad address or setting, a failed login, an unknown or
 * damaged blob: incident at once. Cannot connect, time-out, 4xx: retried. A permanent rejection
 * (5xx): BPMN error {@code SMTP_<code>}, catchable by a boundary event.
 *
 * <p>Thread-safe: each job opens its own session and connection.
 */
public final class SmtpConnector implements Connector {
  private static final Logger LOG = LoggerFactory.getLogger(SmtpConnector.class);

  private final ConnectorContext context;

  public SmtpConnector(ConnectorContext context) {
    this.context = context;
  }

  @Override
  public String type() {
    return "smtp";
  }

  @Override
  public JobResult execute(ActivatedJob job, JobConfig config) {
    SmtpServer server = SmtpServer.of(config);
    Mail mail = Mail.of(config, server.from(), context.blobs());
    String resultVariable = config.string("resultVariable", "mail");
    String messageId = messageId(job.idempotencyKey());
    Session session = Session.getInstance(server.sessionProperties(mail.from().getAddress()));
    try {
      MimeMessage message =
          mail.toMessage(session, messageId, TraceParent.forJob(job), context.blobs());
      try (Transport transport = session.getTransport("smtp")) {
        transport.connect(server.host(), server.port(), server.username(), server.password());
        transport.sendMessage(message, message.getAllRecipients());
      }
    } catch (MessagingException e) {
      JobResult refused = SmtpFailures.outcome(e, server);
      LOG.info(
          "event=mail_refused instance={} element={} messageId={} error={}",
          job.instanceId(),
          job.elementId(),
          messageId,
          refused);
      return refused;
    }
    List<String> accepted = mail.recipients().stream().map(InternetAddress::getAddress).toList();
    LOG.info(
        "event=mail_sent instance={} element={} messageId={} recipients={} attachments={}",
        job.instanceId(),
        job.elementId(),
        messageId,
        accepted.size(),
        mail.attachments().size());
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("messageId", messageId);
    result.put("acceptedRecipients", accepted);
    return new JobResult.Complete(Map.of(resultVariable, result));
  }

  /**
   * {@code <KEY@cob>} with every character of the key that a Message-ID may not hold (RFC 5322
   * dot-atom) replaced by a dot: the same key always gives the same id.
   */
  static String messageId(String idempotencyKey) {
    String left =
        idempotencyKey
            .replaceAll("[^A-Za-z0-9!#$%&'*+/=?^_`{|}~-]", ".")
            .replaceAll("\\.{2,}", ".")
            .replaceAll("^\\.|\\.$", "");
    if (left.isEmpty()) {
      throw ConnectorException.misconfigured(
          "the job's idempotency key gives no Message-ID: " + idempotencyKey);
    }
    return "<" + left + "@cob>";
  }
}
