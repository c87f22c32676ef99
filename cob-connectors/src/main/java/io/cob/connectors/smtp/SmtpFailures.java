package io.cob.connectors.smtp;

import io.cob.connectors.ConnectorException;
import io.cob.engine.port.BlobCorruptException;
import io.cob.engine.port.JobResult;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import java.io.FileNotFoundException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPSenderFailedException;

/**
 * What a failed send means for the job:
 *
 * <ul>
 *   <li>the server refused for good (a 5xx reply to the sender, a recipient or the message): the
 *       BPMN error {@code SMTP_<code>}, e.g. {@code SMTP_550} for an unknown mailbox;
 *   <li>the server refused for now (4xx), could not be reached, or the connection broke: a
 *       transient failure, retried after the back-off;
 *   <li>the login failed, or an attachment's blob is damaged or gone: misconfigured, an incident at
 *       once, since sending again cannot help.
 * </ul>
 */
final class SmtpFailures {
  private SmtpFailures() {}

  /**
   * The job's outcome for a failure.
   *
   * @throws ConnectorException for retryable and configuration failures
   */
  static JobResult outcome(MessagingException e, SmtpServer server) {
    List<Throwable> chain = chain(e);
    for (Throwable t : chain) {
      if (t instanceof BlobCorruptException corrupt) {
        throw ConnectorException.misconfigured("attachment not sent: " + corrupt.getMessage());
      }
      if (t instanceof FileNotFoundException gone) {
        throw ConnectorException.misconfigured("attachment not sent: " + gone.getMessage());
      }
      if (t instanceof AuthenticationFailedException auth) {
        throw ConnectorException.misconfigured(
            "the SMTP server "
                + server.host()
                + ":"
                + server.port()
                + " refused the login of '"
                + server.username()
                + "': "
                + oneLine(auth.getMessage()));
      }
    }
    for (Throwable t : chain) {
      int code = replyCode(t);
      if (code >= 500) {
        return new JobResult.Error(
            "SMTP_" + code,
            "the SMTP server refused the mail: " + oneLine(t.getMessage()),
            Map.of());
      }
      if (code >= 400) {
        throw ConnectorException.transientFailure(
            "the SMTP server deferred the mail (" + code + "): " + oneLine(t.getMessage()), e);
      }
    }
    throw ConnectorException.transientFailure(
        "cannot send through the SMTP server "
            + server.host()
            + ":"
            + server.port()
            + ": "
            + describe(chain),
        e);
  }

  /** The SMTP reply code a failure carries, or 0. */
  private static int replyCode(Throwable t) {
    return switch (t) {
      case SMTPAddressFailedException a -> a.getReturnCode();
      case SMTPSenderFailedException s -> s.getReturnCode();
      case SMTPSendFailedException s -> s.getReturnCode();
      default -> 0;
    };
  }

  /** The failure, its causes and the exceptions Jakarta Mail chains with setNextException. */
  private static List<Throwable> chain(Throwable e) {
    List<Throwable> out = new ArrayList<>();
    List<Throwable> todo = new ArrayList<>(List.of(e));
    while (!todo.isEmpty() && out.size() < 20) {
      Throwable t = todo.removeFirst();
      if (t == null || out.contains(t)) {
        continue;
      }
      out.add(t);
      todo.add(t.getCause());
      if (t instanceof MessagingException m) {
        todo.add(m.getNextException());
      }
    }
    return out;
  }

  private static String describe(List<Throwable> chain) {
    Throwable root = chain.getLast();
    for (Throwable t : chain) {
      if (!(t instanceof MessagingException)) {
        root = t;
        break;
      }
    }
    return root.getClass().getSimpleName() + ": " + oneLine(root.getMessage());
  }

  private static String oneLine(String s) {
    return s == null ? "" : s.strip().replaceAll("\\s*[\\r\\n]+\\s*", " ");
  }
}
