package io.cob.connectors.smtp;

import static io.cob.connectors.TestContexts.job;
import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import io.cob.connectors.ConnectorContext;
import io.cob.connectors.ConnectorJobHandler;
import io.cob.connectors.Secrets;
import io.cob.engine.blob.InMemoryBlobStore;
import io.cob.engine.blob.VerifyingInputStream;
import io.cob.engine.port.BlobRef;
import io.cob.engine.port.BlobStore;
import io.cob.engine.port.JobResult;
import io.cob.model.expr.StandardExpressionEvaluator;
import jakarta.mail.Address;
import jakarta.mail.BodyPart;
import jakarta.mail.Message.RecipientType;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The smtp connector against GreenMail, a real SMTP server on a loopback port of its own. */
class SmtpConnectorTest {
  private static final String MESSAGE_ID = "<0190c9a4-7b1e-7000-8000-000000000001.5@cob>";

  @RegisterExtension
  static final GreenMailExtension SERVER =
      new GreenMailExtension(
          new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());

  private final InMemoryBlobStore blobs = new InMemoryBlobStore();
  private Map<String, Object> node;

  @BeforeEach
  void nodeSettings() {
    node = new HashMap<>();
    node.put("host", "127.0.0.1");
    node.put("port", SERVER.getSmtp().getPort());
    node.put("from", "Cob <cob@example.org>");
  }

  @Test
  void shouldSendTextAndHtmlWithAnAttachmentStreamedFromTheBlobStore() throws Exception {
    byte[] pdf = random(300_000);
    Map<String, Object> attachment = blob(pdf, "application/pdf");
    attachment.put("filename", "Bericht März.pdf");
    Map<String, Object> vars = new LinkedHashMap<>();
    vars.put("to", List.of("ada@example.org", "Bob <bob@example.org>"));
    vars.put("cc", "carol@example.org");
    vars.put("bcc", "dave@example.org");
    vars.put("attachments", List.of(attachment));
    vars.put("headers", Map.of("X-Order", "4711"));

    JobResult result =
        run(
            Map.of(
                "subject", "Bericht für März",
                "text", "Guten Tag,\nanbei der Bericht.",
                "html", "<p>Guten Tag,<br>anbei der <b>Bericht</b>.</p>",
                "replyTo", "office@example.org"),
            vars,
            blobs);

    assertThat(result)
        .isEqualTo(
            new JobResult.Complete(
                Map.of(
                    "mail",
                    Map.of(
                        "messageId",
                        MESSAGE_ID,
                        "acceptedRecipients",
                        List.of(
                            "ada@example.org",
                            "bob@example.org",
                            "carol@example.org",
                            "dave@example.org")))));
    assertThat(SERVER.waitForIncomingEmail(5000, 4)).isTrue();
    MimeMessage m = SERVER.getReceivedMessages()[0];
    assertThat(m.getSubject()).isEqualTo("Bericht für März");
    assertThat(m.getMessageID()).isEqualTo(MESSAGE_ID);
    assertThat(m.getHeader("traceparent")[0])
        .matches("00-0190c9a47b1e70008000000000000001-[0-9a-f]{16}-01");
    assertThat(m.getHeader("X-Order")).containsExactly("4711");
    assertThat(addresses(m.getFrom())).containsExactly("cob@example.org");
    assertThat(addresses(m.getRecipients(RecipientType.TO)))
        .containsExactly("ada@example.org", "bob@example.org");
    assertThat(addresses(m.getRecipients(RecipientType.CC))).containsExactly("carol@example.org");
    assertThat(m.getHeader("Bcc")).as("Bcc is not shown to the recipients").isNull();
    assertThat(addresses(m.getReplyTo())).containsExactly("office@example.org");

    MimeMultipart mixed = (MimeMultipart) m.getContent();
    assertThat(mixed.getContentType()).startsWith("multipart/mixed");
    MimeMultipart alternative = (MimeMultipart) mixed.getBodyPart(0).getContent();
    assertThat(alternative.getContentType()).startsWith("multipart/alternative");
    assertThat(alternative.getBodyPart(0).getContent())
        .isEqualTo("Guten Tag,\r\nanbei der Bericht.");
    assertThat(alternative.getBodyPart(1).getContentType()).startsWith("text/html");
    BodyPart file = mixed.getBodyPart(1);
    assertThat(file.getFileName()).isEqualTo("Bericht März.pdf");
    assertThat(file.getContentType()).startsWith("application/pdf");
    assertThat(file.getDisposition()).isEqualTo("attachment");
    try (InputStream in = file.getInputStream()) {
      assertThat(in.readAllBytes()).isEqualTo(pdf);
    }
  }

  @Test
  void shouldTakeASingleBlobReferenceByExpressionAndTheNodeDefaultsForTheRest() throws Exception {
    byte[] csv = "a;b\n1;2\n".getBytes(StandardCharsets.UTF_8);
    JobResult result =
        run(
            Map.of(
                "to", "ada@example.org",
                "subject", "Export",
                "attachments", "=export",
                "resultVariable", "sent"),
            Map.of("export", blob(csv, "text/csv")),
            blobs);

    assertThat(result).isInstanceOf(JobResult.Complete.class);
    assertThat(((JobResult.Complete) result).variables()).containsOnlyKeys("sent");
    MimeMessage m = SERVER.getReceivedMessages()[0];
    MimeMultipart mixed = (MimeMultipart) m.getContent();
    assertThat(mixed.getCount()).as("no body part, only the attachment").isEqualTo(1);
    assertThat(mixed.getBodyPart(0).getFileName()).isEqualTo("attachment-1");
    try (InputStream in = mixed.getBodyPart(0).getInputStream()) {
      assertThat(in.readAllBytes()).isEqualTo(csv);
    }
  }

  @Test
  void shouldLogInWithAPasswordFromTheSecrets() throws Exception {
    SERVER.setUser("cob@example.org", "cob", "s3cret");
    node.put("username", "cob");
    node.put("password", "{{secrets.SMTP_PASSWORD}}");

    JobResult result =
        run(
            Map.of("to", "ada@example.org", "subject", "Hi", "text", "Hello"),
            Map.of(),
            blobs,
            Map.of("SMTP_PASSWORD", "s3cret"));

    assertThat(result).isInstanceOf(JobResult.Complete.class);
    assertThat(SERVER.getReceivedMessages()).hasSize(1);
  }

  @Test
  void shouldRaiseAnIncidentWhenTheLoginIsRefused() throws Exception {
    SERVER.setUser("cob@example.org", "cob", "s3cret");
    node.put("username", "cob");
    node.put("password", "wrong");

    JobResult result =
        run(Map.of("to", "ada@example.org", "subject", "Hi", "text", "Hello"), Map.of(), blobs);

    assertThat(result).isInstanceOf(JobResult.Fail.class);
    JobResult.Fail fail = (JobResult.Fail) result;
    assertThat(fail.retries()).isZero();
    assertThat(fail.errorMessage())
        .startsWith("smtp task 'task': the SMTP server 127.0.0.1:")
        .contains("refused the login of 'cob'")
        .doesNotContain("wrong");
  }

  @Test
  void shouldLetTheTaskOverrideTheServerOfTheNode() throws Exception {
    int serverPort = SERVER.getSmtp().getPort();
    node.put("port", freePort());

    JobResult result =
        run(
            Map.of(
                "to", "ada@example.org",
                "subject", "Hi",
                "text", "Hello",
                "port", String.valueOf(serverPort),
                "from", "other@example.org"),
            Map.of(),
            blobs);

    assertThat(result).isInstanceOf(JobResult.Complete.class);
    assertThat(addresses(SERVER.getReceivedMessages()[0].getFrom()))
        .containsExactly("other@example.org");
  }

  @Test
  void shouldRetryWhenTheServerCannotBeReached() throws Exception {
    node.put("port", freePort());
    node.put("timeout", "PT2S");

    JobResult result =
        run(Map.of("to", "ada@example.org", "subject", "Hi", "text", "Hello"), Map.of(), blobs);

    assertThat(result).isInstanceOf(JobResult.Fail.class);
    assertThat(((JobResult.Fail) result).retries()).as("one retry used up").isNull();
    assertThat(((JobResult.Fail) result).errorMessage())
        .contains("cannot send through the SMTP server 127.0.0.1:");
  }

  @Test
  void shouldThrowABpmnErrorWhenTheServerRejectsARecipientForGood() throws Exception {
    try (ScriptedSmtpServer refusing = new ScriptedSmtpServer("550 5.1.1 no such user")) {
      node.put("port", refusing.port());

      JobResult result =
          run(Map.of("to", "nobody@example.org", "subject", "Hi", "text", "x"), Map.of(), blobs);

      assertThat(result).isInstanceOf(JobResult.Error.class);
      JobResult.Error error = (JobResult.Error) result;
      assertThat(error.errorCode()).isEqualTo("SMTP_550");
      assertThat(error.errorMessage()).contains("no such user");
    }
  }

  @Test
  void shouldRetryWhenTheServerDefersTheMail() throws Exception {
    try (ScriptedSmtpServer deferring = new ScriptedSmtpServer("451 4.3.0 try again later")) {
      node.put("port", deferring.port());

      JobResult result =
          run(Map.of("to", "ada@example.org", "subject", "Hi", "text", "x"), Map.of(), blobs);

      assertThat(result).isInstanceOf(JobResult.Fail.class);
      assertThat(((JobResult.Fail) result).retries()).isNull();
      assertThat(((JobResult.Fail) result).errorMessage()).contains("deferred the mail (451)");
    }
  }

  @Test
  void shouldNotSendADamagedAttachment() throws Exception {
    byte[] content = random(200_000);
    BlobStore damaging = new DamagingBlobStore(blobs);
    Map<String, Object> ref = blob(content, "application/octet-stream");

    JobResult result =
        run(
            Map.of("to", "ada@example.org", "subject", "Hi", "text", "x"),
            Map.of("attachments", ref),
            damaging);

    assertThat(result).isInstanceOf(JobResult.Fail.class);
    assertThat(((JobResult.Fail) result).retries()).isZero();
    assertThat(((JobResult.Fail) result).errorMessage())
        .contains("attachment not sent: blob " + ref.get("blobId") + " is corrupt");
    assertThat(SERVER.getReceivedMessages()).isEmpty();
  }

  @Test
  void shouldRefuseWhatIsNotABlobTheStoreHas() throws Exception {
    Map<String, Object> unknown =
        new BlobRef("no-such-blob", "0".repeat(64), 3, "text/plain").toVariable();

    assertThat(failure(Map.of("attachments", unknown)))
        .isEqualTo("smtp task 'task': setting 'attachments[0]': no blob no-such-blob in the store");
    assertThat(failure(Map.of("attachments", List.of("report.pdf"))))
        .contains("setting 'attachments[0]' must be a blob reference");
    Map<String, Object> wrongSum = blob(new byte[] {1, 2, 3}, "text/plain");
    wrongSum.put("sha256", "1".repeat(64));
    assertThat(failure(Map.of("attachments", wrongSum))).contains("is not the one referenced");
  }

  @Test
  void shouldRefuseBadSettingsNamingThem() throws Exception {
    assertThat(failure(Map.of("to", "not an address")))
        .contains("setting 'to': 'not an address' is not a mail address");
    assertThat(failure(Map.of("subject", "Hi\r\nBcc: eve@example.org")))
        .contains("setting 'subject' must be one line");
    assertThat(failure(Map.of("subject", "Hi\u0000there")))
        .contains(
            "setting 'subject' holds the control character U+0000 at position 3, which a mail"
                + " header cannot carry");
    assertThat(failure(Map.of("to", "ann@example.org\nbcc: eve@example.org")))
        .contains("setting 'to' must be one line");
    assertThat(failure(Map.of("headers", Map.of("X-Ref", "a\rBcc: eve@example.org"))))
        .contains("setting 'headers.X-Ref' must be one line");
    assertThat(failure(Map.of("headers", Map.of("Content-Type", "text/evil"))))
        .contains("header 'Content-Type' is set by the connector");
    assertThat(failure(Map.of("tls", "maybe")))
        .contains("setting 'tls' must be none, starttls or ssl, not 'maybe'");
    assertThat(failure(Map.of("port", "99999"))).contains("setting 'port' must be a port number");
    Map<String, Object> noTo = new HashMap<>(Map.of("subject", "Hi", "text", "x"));
    assertThat(message(run(Map.of(), noTo, blobs))).contains("setting 'to' is missing");
    node.remove("from");
    assertThat(failure(Map.of())).contains("setting 'from' is missing");
    node.remove("host");
    assertThat(failure(Map.of())).contains("setting 'host' is missing");
    assertThat(SERVER.getReceivedMessages()).isEmpty();
  }

  @Test
  void shouldDeriveTheSameMessageIdFromTheSameIdempotencyKey() {
    assertThat(SmtpConnector.messageId("0190c9a4-7b1e:5")).isEqualTo("<0190c9a4-7b1e.5@cob>");
    assertThat(SmtpConnector.messageId("a b..c:")).isEqualTo("<a.b.c@cob>");
  }

  // ---------------------------------------------------------------- helpers

  private JobResult run(Map<String, String> headers, Map<String, Object> vars, BlobStore store)
      throws Exception {
    return run(headers, vars, store, Map.of());
  }

  private JobResult run(
      Map<String, String> headers,
      Map<String, Object> vars,
      BlobStore store,
      Map<String, String> secrets)
      throws Exception {
    ConnectorContext context =
        new ConnectorContext(
            "node-1",
            "private",
            Secrets.of(secrets),
            store,
            new StandardExpressionEvaluator(),
            Clock.systemUTC(),
            null,
            null,
            () -> URI.create("http://127.0.0.1:8080"),
            new byte[32],
            Map.of("smtp", node));
    return new ConnectorJobHandler(new SmtpConnector(context), context)
        .handle(job("smtp", headers, vars));
  }

  /** The incident message of a mail that is fine but for {@code vars}. */
  private String failure(Map<String, Object> vars) throws Exception {
    Map<String, Object> all = new HashMap<>(Map.of("to", "ada@example.org", "subject", "Hi"));
    all.put("text", "x");
    all.putAll(vars);
    JobResult result = run(Map.of(), all, blobs);
    assertThat(result).isInstanceOf(JobResult.Fail.class);
    assertThat(((JobResult.Fail) result).retries()).isZero();
    return message(result);
  }

  private static String message(JobResult result) {
    return ((JobResult.Fail) result).errorMessage();
  }

  private Map<String, Object> blob(byte[] content, String type) throws IOException {
    BlobRef ref = blobs.put(new ByteArrayInputStream(content), type, 1 << 24);
    return new LinkedHashMap<>(ref.toVariable());
  }

  private static List<String> addresses(Address[] addresses) {
    return Arrays.stream(addresses)
        .map(a -> ((jakarta.mail.internet.InternetAddress) a).getAddress())
        .toList();
  }

  private static byte[] random(int size) {
    byte[] b = new byte[size];
    new Random(42).nextBytes(b);
    return b;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** Serves every blob with its last byte changed, as a failing disk would. */
  private record DamagingBlobStore(InMemoryBlobStore good) implements BlobStore {
    @Override
    public BlobRef put(InputStream content, String contentType, long maxBytes) throws IOException {
      return good.put(content, contentType, maxBytes);
    }

    @Override
    public Optional<BlobRef> describe(String blobId) {
      return good.describe(blobId);
    }

    @Override
    public InputStream open(String blobId) throws IOException {
      byte[] bytes;
      try (InputStream in = good.open(blobId)) {
        bytes = in.readAllBytes();
      }
      bytes[bytes.length - 1] ^= 1;
      return new VerifyingInputStream(new ByteArrayInputStream(bytes), good.describe(blobId).get());
    }
  }
}
