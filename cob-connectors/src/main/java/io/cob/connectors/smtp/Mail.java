package io.cob.connectors.smtp;

import io.cob.connectors.ConnectorException;
import io.cob.connectors.JobConfig;
import io.cob.engine.port.BlobRef;
import io.cob.engine.port.BlobStore;
import jakarta.activation.DataHandler;
import jakarta.mail.Message.RecipientType;
import jakarta.mail.MessagingException;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.internet.MimeUtility;
import java.io.UnsupportedEncodingException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One mail as a task describes it, checked before anything is sent: every address parsed, the
 * subject and headers free of line breaks, every attachment a blob the store has with the checksum
 * the reference claims. Whatever is wrong is a {@link ConnectorException#misconfigured} naming the
 * setting.
 */
record Mail(
    InternetAddress from,
    List<InternetAddress> to,
    List<InternetAddress> cc,
    List<InternetAddress> bcc,
    List<InternetAddress> replyTo,
    String subject,
    String text,
    String html,
    List<Attachment> attachments,
    Map<String, String> headers) {

  /** A blob to attach, under a file name. */
  record Attachment(BlobRef ref, String filename) {}

  /** Headers that other settings make, or that would break the message's structure. */
  private static final Set<String> RESERVED =
      Set.of(
          "from",
          "to",
          "cc",
          "bcc",
          "reply-to",
          "subject",
          "message-id",
          "mime-version",
          "date",
          "traceparent");

  /** Reads and checks the mail settings of a task. */
  static Mail of(JobConfig config, String defaultFrom, BlobStore blobs) {
    String from = config.optionalString("from").filter(f -> !f.isBlank()).orElse(defaultFrom);
    if (from == null) {
      throw ConnectorException.misconfigured(
          "setting 'from' is missing: set it on the task or as connectors.smtp.from in cob.yaml");
    }
    List<InternetAddress> to = addresses(config, "to");
    if (to.isEmpty()) {
      throw config.missing("to");
    }
    String subject = oneLine("subject", config.string("subject"));
    String text = config.optionalString("text").orElse(null);
    String html = config.optionalString("html").orElse(null);
    List<Attachment> attachments = attachments(config, blobs);
    if (text == null && html == null && attachments.isEmpty()) {
      throw ConnectorException.misconfigured(
          "the mail has no content: set 'text', 'html' or 'attachments'");
    }
    List<InternetAddress> sender = parse("from", from);
    if (sender.size() != 1) {
      throw ConnectorException.misconfigured(
          "setting 'from' must be one mail address, not " + sender.size());
    }
    return new Mail(
        sender.getFirst(),
        to,
        addresses(config, "cc"),
        addresses(config, "bcc"),
        addresses(config, "replyTo"),
        subject,
        text,
        html,
        attachments,
        headers(config));
  }

  /** Every recipient, To, Cc and Bcc. */
  List<InternetAddress> recipients() {
    List<InternetAddress> all = new ArrayList<>(to);
    all.addAll(cc);
    all.addAll(bcc);
    return all;
  }

  /**
   * The MIME message: the text and HTML as multipart/alternative when both are given, followed by
   * the attachments in a multipart/mixed, whose content is read from the blob store while the
   * message is written.
   */
  MimeMessage toMessage(Session session, String messageId, String traceparent, BlobStore blobs)
      throws MessagingException {
    MimeMessage m = new IdentifiedMessage(session, messageId);
    m.setFrom(from);
    m.setRecipients(RecipientType.TO, to.toArray(InternetAddress[]::new));
    m.setRecipients(RecipientType.CC, cc.toArray(InternetAddress[]::new));
    m.setRecipients(RecipientType.BCC, bcc.toArray(InternetAddress[]::new));
    if (!replyTo.isEmpty()) {
      m.setReplyTo(replyTo.toArray(InternetAddress[]::new));
    }
    m.setSubject(subject, "UTF-8");
    m.setSentDate(new java.util.Date());
    for (Map.Entry<String, String> h : headers.entrySet()) {
      m.setHeader(h.getKey(), encode(h.getKey(), h.getValue()));
    }
    m.setHeader("traceparent", traceparent);
    if (attachments.isEmpty()) {
      fillBody(m);
    } else {
      MimeMultipart mixed = new MimeMultipart("mixed");
      if (text != null || html != null) {
        MimeBodyPart body = new MimeBodyPart();
        fillBody(body);
        mixed.addBodyPart(body);
      }
      for (Attachment a : attachments) {
        mixed.addBodyPart(attachmentPart(a, blobs));
      }
      m.setContent(mixed);
    }
    m.saveChanges();
    return m;
  }

  private void fillBody(Part part) throws MessagingException {
    if (text != null && html != null) {
      MimeMultipart alternative = new MimeMultipart("alternative");
      MimeBodyPart plain = new MimeBodyPart();
      plain.setText(text, "UTF-8");
      MimeBodyPart rich = new MimeBodyPart();
      rich.setText(html, "UTF-8", "html");
      alternative.addBodyPart(plain);
      alternative.addBodyPart(rich);
      part.setContent(alternative);
    } else if (html != null) {
      ((jakarta.mail.internet.MimePart) part).setText(html, "UTF-8", "html");
    } else {
      ((jakarta.mail.internet.MimePart) part).setText(text == null ? "" : text, "UTF-8");
    }
  }

  private static MimeBodyPart attachmentPart(Attachment a, BlobStore blobs)
      throws MessagingException {
    MimeBodyPart part = new MimeBodyPart();
    part.setDataHandler(new DataHandler(new BlobDataSource(blobs, a.ref(), a.filename())));
    part.setDisposition(Part.ATTACHMENT);
    part.setFileName(a.filename());
    // Said at once, so that Jakarta Mail does not read the blob to choose an encoding.
    part.setHeader("Content-Transfer-Encoding", "base64");
    return part;
  }

  private static String encode(String name, String value) {
    try {
      return MimeUtility.fold(name.length() + 2, MimeUtility.encodeText(value, "UTF-8", null));
    } catch (UnsupportedEncodingException e) {
      throw new IllegalStateException("the Java runtime lacks UTF-8", e);
    }
  }

  // ---------------------------------------------------------------- reading settings

  private static List<InternetAddress> addresses(JobConfig config, String name) {
    List<InternetAddress> out = new ArrayList<>();
    for (Object v : config.list(name)) {
      if (!(v instanceof String s)) {
        throw config.wrongType(name, "a mail address or a list of them", v);
      }
      out.addAll(parse(name, s));
    }
    return out;
  }

  private static List<InternetAddress> parse(String setting, String text) {
    try {
      InternetAddress[] parsed = InternetAddress.parse(oneLine(setting, text), true);
      for (InternetAddress a : parsed) {
        a.validate();
      }
      return List.of(parsed);
    } catch (AddressException e) {
      throw ConnectorException.misconfigured(
          "setting '"
              + setting
              + "': '"
              + text
              + "' is not a mail address ("
              + e.getMessage()
              + ")");
    }
  }

  private static List<Attachment> attachments(JobConfig config, BlobStore blobs) {
    List<Attachment> out = new ArrayList<>();
    List<Object> values = config.list("attachments");
    for (int i = 0; i < values.size(); i++) {
      String where = "attachments[" + i + "]";
      Object v = values.get(i);
      BlobRef ref =
          BlobRef.fromVariable(v)
              .orElseThrow(
                  () ->
                      ConnectorException.misconfigured(
                          "setting '"
                              + where
                              + "' must be a blob reference {blobId, sha256, size, contentType},"
                              + " optionally with filename"));
      BlobRef stored =
          blobs
              .describe(ref.blobId())
              .orElseThrow(
                  () ->
                      ConnectorException.misconfigured(
                          "setting '" + where + "': no blob " + ref.blobId() + " in the store"));
      if (!stored.sha256().equals(ref.sha256()) || stored.size() != ref.size()) {
        throw ConnectorException.misconfigured(
            "setting '"
                + where
                + "': blob "
                + ref.blobId()
                + " in the store is not the one referenced (sha256 or size differ)");
      }
      Object name = ((Map<?, ?>) v).get("filename");
      String filename =
          name instanceof String s && !s.isBlank() ? fileName(where, s) : "attachment-" + (i + 1);
      out.add(new Attachment(stored, filename));
    }
    return out;
  }

  private static String fileName(String where, String name) {
    if (name.length() > 255 || !name.matches("[^/\\\\\\p{Cntrl}]+")) {
      throw ConnectorException.misconfigured(
          "setting '"
              + where
              + "': filename '"
              + name
              + "' must have no '/', '\\' or control characters and at most 255 characters");
    }
    return name;
  }

  private static Map<String, String> headers(JobConfig config) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, Object> h : config.map("headers").entrySet()) {
      String name = h.getKey();
      if (!name.matches("[!-9;-~]+")) {
        throw ConnectorException.misconfigured(
            "setting 'headers': '" + name + "' is not a header name");
      }
      String lower = name.toLowerCase(Locale.ROOT);
      if (RESERVED.contains(lower) || lower.startsWith("content-")) {
        throw ConnectorException.misconfigured(
            "setting 'headers': header '"
                + name
                + "' is set by the connector (use the settings to, cc, bcc, replyTo, from,"
                + " subject, text, html, attachments)");
      }
      Object value = h.getValue();
      if (value instanceof Map || value instanceof List || value == null) {
        throw config.wrongType("headers." + name, "a text", value);
      }
      out.put(name, oneLine("headers." + name, String.valueOf(value)));
    }
    return out;
  }

  private static String oneLine(String setting, String value) {
    if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
      throw ConnectorException.misconfigured(
          "setting '" + setting + "' must be one line (line breaks would forge headers)");
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if ((c < 0x20 && c != '\t') || c == 0x7f) {
        throw ConnectorException.misconfigured(
            "setting '"
                + setting
                + "' holds the control character U+"
                + String.format("%04X", (int) c)
                + " at position "
                + (i + 1)
                + ", which a mail header cannot carry");
      }
    }
    return value;
  }

  /** A message whose Message-ID is given, not made up when it is saved. */
  private static final class IdentifiedMessage extends MimeMessage {
    private final String messageId;

    IdentifiedMessage(Session session, String messageId) {
      super(session);
      this.messageId = messageId;
    }

    @Override
    protected void updateMessageID() throws MessagingException {
      setHeader("Message-ID", messageId);
    }
  }
}
